import type { Knex } from 'knex';
import type { Queryable } from '@seqsync/core';
import { SeqsyncError, adaptDriverObject, dialectNameOf } from '@seqsync/core';

/**
 * The parts of a knex client seqsync uses. knex types `knex.client` as `any`, so the shape is spelled
 * out once here and everything else works against it.
 */
export interface KnexClientLike {
  /** `pg`, `mysql2`, `better-sqlite3`, … — set by knex's dialect class, also for the client aliases (`postgres`, `postgresql`). */
  readonly driverName?: string;
  readonly config?: { readonly searchPath?: string | readonly string[] };
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/** A knex instance or a knex transaction (`trx`), as seqsync sees it. */
export interface KnexLike {
  readonly client: KnexClientLike;
  /** True for a `trx` handed out by `knex.transaction()` or passed to a migration. */
  readonly isTransaction?: boolean;
  isCompleted?(): boolean;
}

/**
 * knex clients for a database seqsync does realign, through a driver whose connection object core has no
 * adapter for: the statement is about the knex client, and names the one to use instead. Every other
 * driver name is core's to accept or refuse (`dialectNameOf`).
 */
const otherDriverClients: Readonly<Record<string, { readonly through: string; readonly instead: string }>> = {
  mysql: { through: 'MySQL/MariaDB through the mysql driver', instead: 'mysql2' },
  sqlite3: { through: 'SQLite through the sqlite3 driver', instead: 'better-sqlite3' },
  pgnative: { through: 'PostgreSQL through pg-native', instead: 'pg' },
};

/**
 * Checks the argument is a knex instance or transaction on a supported driver, before any connection is
 * taken: an unsupported database fails loudly instead of realigning nothing.
 */
export function knexOf(knex: Knex): KnexLike {
  const candidate = knex as unknown as Partial<KnexLike> | null;
  const client = candidate?.client;
  if (client == null || typeof client.acquireConnection !== 'function' || typeof client.releaseConnection !== 'function') {
    throw new SeqsyncError('INVALID_OPTION', 'expected a knex instance or a knex transaction (trx)');
  }
  const name = client.driverName ?? '(none)';
  const other = otherDriverClients[name];
  if (other !== undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE',
      `${other.through} (knex client ${JSON.stringify(name)}) is not supported: use knex's ${JSON.stringify(other.instead)} client`);
  }
  dialectNameOf(name);
  return candidate as KnexLike;
}

/**
 * Runs `fn` with a Queryable on the knex instance's own pool, never a second pool or URL.
 *
 * Why not `knex.raw`: core sends PostgreSQL `$1` SQL, and knex rewrites every `?` in raw SQL into a
 * placeholder — core's catalog SQL holds literal `?` inside regular expressions (`'(-?[0-9]+)'`), and a
 * quoted table name may hold one too. Escaping them textually would be a guess about core's SQL. So the
 * SQL goes to the driver connection knex itself leased, untouched: a node-postgres client, a mysql2
 * connection (whose greeting tells MySQL from MariaDB) or the better-sqlite3 Database.
 *
 * - In a transaction (`trx`, e.g. inside a migration): the trx's own connection, and
 *   `transaction: (fn) => fn(self)`, so core neither begins nor commits — the caller's commit decides.
 * - On a plain knex instance: one connection leased from knex's pool for the whole run, on which core
 *   sends BEGIN/COMMIT itself, one transaction per batch. Chosen over `knex.transaction()` because core
 *   then owns the transaction and can send lock + read and write + commit as one script each (2 round
 *   trips per batch instead of 7), rolls back itself on failure, and the run occupies a single pool slot.
 */
export async function withKnexQueryable<T>(knex: KnexLike, fn: (db: Queryable) => Promise<T>): Promise<T> {
  if (knex.isTransaction === true && knex.isCompleted?.() === true) {
    throw new SeqsyncError('INVALID_OPTION', 'the knex transaction was already committed or rolled back');
  }
  const client = knex.client;
  // On a trx, knex's transaction client returns the transaction's connection and releasing it is a no-op.
  const connection = await client.acquireConnection();
  try {
    const db = connection !== null && typeof connection === 'object' ? await adaptDriverObject(connection) : null;
    if (db === null) {
      throw new SeqsyncError('UNSUPPORTED_DATABASE',
        `knex handed out a connection that is not a ${client.driverName ?? 'known'} connection`);
    }
    if (knex.isTransaction !== true) return await fn(db);
    const inTransaction: Queryable = { ...db, transaction: (run) => run(inTransaction) };
    return await fn(inTransaction);
  } finally {
    // A connection broken mid-run is flagged by knex's own 'error'/'end' listeners, and its pool drops it on validation.
    await client.releaseConnection(connection);
  }
}

import type { Queryable } from '@seqsync/core';
import { SeqsyncError, fromBetterSqlite3, fromMysql2Connection, fromPgClient } from '@seqsync/core';
import type { KnexDriver, KnexLike } from './knex-client';
import { driverOf } from './knex-client';

/** The part of a node-postgres client (what knex's "pg" pool hands out) core's adapter needs. */
type PgConnection = Parameters<typeof fromPgClient>[0];

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
    const db = adapt(driverOf(client), connection);
    if (knex.isTransaction !== true) return await fn(db);
    const inTransaction: Queryable = { ...db, transaction: (run) => run(inTransaction) };
    return await fn(inTransaction);
  } finally {
    // A connection broken mid-run is flagged by knex's own 'error'/'end' listeners, and its pool drops it on validation.
    await client.releaseConnection(connection);
  }
}

function adapt(driver: KnexDriver, connection: unknown): Queryable {
  if (connection === null || typeof connection !== 'object' || typeof (connection as { prepare?: unknown; query?: unknown })[driver === 'better-sqlite3' ? 'prepare' : 'query'] !== 'function') {
    throw new SeqsyncError('UNSUPPORTED_DATABASE', `knex handed out a connection that is not a ${driver} connection`);
  }
  if (driver === 'mysql2') return fromMysql2Connection(connection as Parameters<typeof fromMysql2Connection>[0]);
  if (driver === 'better-sqlite3') return fromBetterSqlite3(connection as Parameters<typeof fromBetterSqlite3>[0]);
  return fromPgClient(connection as PgConnection);
}

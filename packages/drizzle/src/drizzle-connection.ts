import type { Queryable } from '@seqsync/core';
import type { ColumnNamer, DrizzleDialect, DrizzleSchema } from './drizzle-metadata';
import { SeqsyncError, adaptDriverObject, isSeqsyncError } from '@seqsync/core';
import { entityKind } from 'drizzle-orm';

/**
 * A Drizzle database, or the `tx` of `db.transaction(async (tx) => …)`, of any driver and schema: what every one of
 * them has in common, structurally. Drizzle's own generic database types cannot say "any schema" without `any`
 * (their `query` field is computed from the schema), so which driver it is gets checked at run time, by its session.
 */
export interface DrizzleDatabase {
  /** Drizzle's own view of the schema given to `drizzle(…, { schema })` (`{}` without one). */
  readonly _: { readonly fullSchema: Readonly<Record<string, unknown>> };
}

/**
 * The one place seqsync reads Drizzle's internals, as drizzle-orm 0.45.4 has them (every other read is public API:
 * `db.$client`, `db._.fullSchema`, getTableConfig, entityKind):
 *
 * - `db.dialect.casing` — PgDialect / MySqlDialect / SQLiteDialect keep a `CasingCache` made from
 *   `drizzle(…, { casing })` (pg-core/dialect.js `this.casing = new CasingCache(config?.casing)`) and name every
 *   column through its `getColumnCasing` at query build time: the schema objects alone do not know that
 *   `accountId` is `account_id` under `casing: 'snake_case'`.
 * - `db.session` — the session a database or transaction sends its statements through (a constructor field of
 *   PgDatabase / MySqlDatabase / BaseSQLiteDatabase, and of each Transaction, which extends them); its class's
 *   entityKind names the driver (`NodePgSession`, `MySql2Session`, …).
 * - `tx.session.client` — the driver object a transaction's session sends its statements on:
 *   node-postgres `NodePgSession.transaction` makes a session on `await pool.connect()` (the PoolClient; the
 *   Client itself for a Client); postgres-js on the `TransactionSql` of `sql.begin`; pglite on PGlite's
 *   `Transaction` of `pglite.transaction`; mysql2 on `await pool.getConnection()` (promise API). Savepoints
 *   (nested `tx.transaction`) keep the same session client.
 */
interface DrizzleInternals {
  readonly dialect?: { readonly casing?: Partial<ColumnNamer> };
  readonly session?: { readonly client?: unknown };
  readonly _?: { readonly fullSchema?: DrizzleSchema };
  readonly $client?: unknown;
}

/** The session classes of the drivers seqsync adapts, by their `entityKind`, and the family each reaches. */
const sessions: Readonly<Record<string, { readonly driver: string; readonly dialect: DrizzleDialect }>> = {
  NodePgSession: { driver: 'drizzle-orm/node-postgres', dialect: 'postgresql' },
  PostgresJsSession: { driver: 'drizzle-orm/postgres-js', dialect: 'postgresql' },
  PgliteSession: { driver: 'drizzle-orm/pglite', dialect: 'postgresql' },
  MySql2Session: { driver: 'drizzle-orm/mysql2', dialect: 'mysql' },
  BetterSQLiteSession: { driver: 'drizzle-orm/better-sqlite3', dialect: 'sqlite' },
};

const TRANSACTION_KINDS: ReadonlySet<string> = new Set(['PgTransaction', 'MySqlTransaction', 'SQLiteTransaction']);

const SUPPORTED = Object.values(sessions).map((s) => s.driver).join(', ');

/** What seqsync knows of a db once it has checked the argument, before any query. */
export interface DrizzleTarget {
  readonly driver: string;
  readonly dialect: DrizzleDialect;
  readonly inTransaction: boolean;
  /** The schema given to `drizzle(…, { schema })`; `{}` when none was. */
  readonly fullSchema: DrizzleSchema;
  readonly columnNamer: ColumnNamer;
  /** The driver object statements go to: `db.$client`, or the transaction's own connection. */
  readonly client: unknown;
}

/**
 * Checks the argument is a Drizzle database or transaction on a driver seqsync adapts, and finds its casing and
 * its connection: an unknown shape fails here, loudly, rather than realigning nothing.
 */
export function drizzleTargetOf(db: DrizzleDatabase): DrizzleTarget {
  const candidate = db as unknown as DrizzleInternals | null;
  const session = candidate?.session;
  if (candidate === null || typeof candidate !== 'object' || session === undefined || session === null) {
    throw new SeqsyncError('INVALID_OPTION', 'expected a Drizzle database (drizzle(…)) or the tx of db.transaction(async (tx) => …)');
  }
  const kinds = entityKindsOf(session);
  const known = kinds.map((kind) => sessions[kind]).find((entry) => entry !== undefined);
  if (known === undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE', `a Drizzle database whose session is ${kinds[0] ?? 'unknown'} is not supported: `
      + `seqsync adapts ${SUPPORTED}`);
  }
  const inTransaction = entityKindsOf(candidate).some((kind) => TRANSACTION_KINDS.has(kind));
  const casing = candidate.dialect?.casing;
  if (casing === undefined || typeof casing.getColumnCasing !== 'function') {
    throw new SeqsyncError('UNSUPPORTED_DATABASE', `this ${known.driver} database has no dialect.casing (read as in drizzle-orm 0.45): `
      + 'seqsync cannot tell the database names of its columns with this drizzle-orm version');
  }
  const client = inTransaction ? session.client : candidate.$client;
  if (client === undefined || client === null) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE', inTransaction
      ? `this ${known.driver} transaction has no session.client (read as in drizzle-orm 0.45): seqsync cannot find its connection`
      : `this ${known.driver} database has no $client: seqsync cannot find its connection`);
  }
  return {
    ...known,
    inTransaction,
    fullSchema: candidate._?.fullSchema ?? {},
    columnNamer: casing as ColumnNamer,
    client,
  };
}

/**
 * The db's own connection as core's Queryable, never a second connection. On a database: its pool or client,
 * on which core begins and commits one transaction per batch. Inside `db.transaction(async (tx) => …)`: the
 * transaction's connection, and `transaction: (fn) => fn(self)`, so core neither begins nor commits and sees
 * the transaction's rows — the caller's commit decides, as with knex's trx.
 */
export async function queryableOf(target: DrizzleTarget): Promise<Queryable> {
  if (target.inTransaction && target.dialect === 'sqlite') {
    // better-sqlite3 runs db.transaction(fn) as a native transaction that commits the moment fn returns; an
    // async realign inside it would run its statements after the commit, unaware.
    throw new SeqsyncError('INVALID_OPTION', 'a drizzle-orm/better-sqlite3 transaction is synchronous (better-sqlite3 commits when '
      + 'the callback returns), so an asynchronous realign cannot run inside it: call realignSequences(db) after db.transaction(…)');
  }
  const db = await adapt(target.client);
  if (db === null) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE',
      `the connection of this ${target.driver} ${target.inTransaction ? 'transaction' : 'database'} is not one seqsync can adapt`);
  }
  if (!target.inTransaction) return db;
  const joined: Queryable = { ...db, transaction: (fn) => fn(joined) };
  return joined;
}

/**
 * Drizzle sends a pgTable without a pgSchema unqualified, so the server takes the first table of that name on the
 * connection's search_path. Core reads an unqualified name in every schema: an archive's or another tenant's table of
 * the same name would be locked and written too. Each such name is resolved here as the server resolves Drizzle's
 * queries on this connection (to_regclass); one no schema on the path has gets current_schema(), where Drizzle's
 * migrations would create it, so core reports it unknown there rather than finding it elsewhere. One round trip.
 */
const SEARCH_PATH_SQL = 'SELECT t.name AS "table", COALESCE(n.nspname::pg_catalog.text, pg_catalog.current_schema()::pg_catalog.text) '
  + 'AS "schema" FROM pg_catalog.unnest($1::pg_catalog.text[]) AS t(name) '
  + 'LEFT JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.quote_ident(t.name)) '
  + 'LEFT JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace';

/** The schema each unqualified PostgreSQL table name resolves to on this connection (null: no schema is current). */
export async function searchPathSchemas(db: Queryable, tables: readonly string[]): Promise<ReadonlyMap<string, string | null>> {
  const rows = await db.query<{ table: string; schema: string | null }>(SEARCH_PATH_SQL, [tables]).catch((error: unknown) => {
    if (isSeqsyncError(error)) throw error;
    throw new SeqsyncError('QUERY_FAILED', `reading the search_path the schema's tables are found on failed: ${String(
      (error as { message?: unknown } | null)?.message ?? error)}; nothing was changed`, { cause: error });
  });
  return new Map(rows.map((row) => [row.table, row.schema]));
}

async function adapt(client: unknown): Promise<Queryable | null> {
  if ((typeof client !== 'object' && typeof client !== 'function') || client === null) return null;
  // A PGlite Transaction is joined by core itself (fromPGliteTransaction), as the other drivers' transactions are here.
  return adaptDriverObject(client);
}

/** The `entityKind` of an object's class and of each class it extends, nearest first (what drizzle's `is()` walks). */
function entityKindsOf(value: object): string[] {
  const kinds: string[] = [];
  for (let type = Object.getPrototypeOf(value)?.constructor as unknown; typeof type === 'function'; type = Object.getPrototypeOf(type)) {
    const kind = (type as unknown as Record<symbol, unknown>)[entityKind];
    if (typeof kind === 'string' && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

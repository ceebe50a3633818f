import type { Queryable } from '@seqsync/core';
import type { PrismaClientLike, TransactionCapableClient } from './prisma-client-like';
import type { DialectFamily } from './provider';
import { canOpenTransaction, isTransactionClient } from './prisma-client-like';
import { toDriverError } from './driver-error';
import { familyOfDialect, familyOfProvider, providerOf } from './provider';
import { resolveDialect } from './server-dialect';

export interface PrismaQueryableOptions {
  /** Datasource provider; default: read from the client. */
  readonly provider?: string;
  /**
   * Core dialect: `postgres`, `mysql`, `mariadb` or `sqlite`. Default: the provider's. Prisma's `mysql`
   * provider serves both servers: `fromPrismaClient` then assumes MySQL (pass `'mariadb'` for MariaDB),
   * `prismaQueryable` asks the server.
   */
  readonly dialect?: string;
  /** Limit for each interactive transaction seqsync opens (one per batch). Default 60 s. */
  readonly transactionTimeoutMs?: number;
  /** How long to wait for a pooled connection to start a transaction. Default 10 s. */
  readonly maxWaitMs?: number;
}

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 10_000;

/** How core gets one connection inside one transaction from a client that can open interactive transactions. */
interface Lease {
  /**
   * `transaction`: core runs inside Prisma's transaction. `connection`: Prisma's transaction only pins
   * the connection — it is committed at once (it is empty) and core runs its own transaction on it,
   * exactly as on a driver connection.
   */
  readonly kind: 'transaction' | 'connection';
  /** Leaves a transaction open again for Prisma's closing COMMIT / ROLLBACK, where the database refuses them without one. */
  readonly reopen?: string;
}

/**
 * A pooled Prisma client offers no connection lease, only interactive transactions, which pin one
 * connection each. Per family:
 * - PostgreSQL runs inside Prisma's transaction: core needs nothing there that a transaction forbids.
 * - MySQL/MariaDB: core sets REPEATABLE READ before START TRANSACTION (refused inside an open one, error
 *   1568), and reset mode ends with DDL (ALTER TABLE … AUTO_INCREMENT, ALTER SEQUENCE … RESTART), which
 *   commits implicitly and which core therefore refuses inside a caller's transaction. MySQL accepts
 *   Prisma's closing COMMIT with no transaction open.
 * - SQLite: Prisma's BEGIN is deferred, so core's read would take a shared lock first, and SQLite does
 *   not call its busy handler when a shared lock is upgraded to a write lock: a writer in another
 *   process would fail the run at once instead of being waited for. Core's own BEGIN IMMEDIATE takes the
 *   write lock up front, waiting up to lockTimeoutMs. SQLite refuses a COMMIT with no transaction open,
 *   hence the empty one reopened for Prisma.
 */
const leases: Readonly<Record<DialectFamily, Lease>> = {
  postgres: { kind: 'transaction' },
  mysql: { kind: 'connection' },
  sqlite: { kind: 'connection', reopen: 'BEGIN' },
};

/**
 * A Prisma client as core's Queryable, on the client's own connection — no second connection string.
 *
 * Core needs each batch on one connection inside one transaction (it locks, reads, then writes), and gets
 * it through Prisma's interactive `$transaction` (see `leases`). Given a transaction client (`tx`), it
 * runs inside that transaction instead. Raw queries are prepared statements, one statement each, so
 * `multiStatement` stays unset.
 *
 * @example
 * const report = await realign(fromPrismaClient(prisma), { tables: ['User'] });
 * const onMariadb = await realign(fromPrismaClient(prisma, { dialect: 'mariadb' }), { mode: 'reset' });
 */
export function fromPrismaClient(client: PrismaClientLike, options: PrismaQueryableOptions = {}): Queryable {
  const provider = options.provider ?? providerOf(client);
  const dialect = options.dialect ?? familyOfProvider(provider) ?? provider;
  const family = familyOfDialect(dialect);
  const plain = (on: PrismaClientLike): Queryable => ({
    dialect,
    query: <Row extends object>(sql: string, params: readonly unknown[] = []) => runQuery<Row>(on, sql, params, family),
  });
  if (isTransactionClient(client) || !canOpenTransaction(client)) {
    // Already inside the caller's transaction: core neither begins nor commits, and sees its uncommitted rows.
    const joined: Queryable = { ...plain(client), transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(joined) };
    return joined;
  }
  const settings = {
    timeout: options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    maxWait: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
  };
  const lease = leases[family ?? 'postgres'];
  if (lease.kind === 'connection') {
    return {
      ...plain(client),
      connection: <T>(fn: (connection: Queryable) => Promise<T>) => leaseConnection(client, lease, family, settings, (tx) => fn(plain(tx))),
    };
  }
  return { ...plain(client), transaction: <T>(fn: (tx: Queryable) => Promise<T>) => client.$transaction((tx) => fn(plain(tx)), settings) };
}

/**
 * Like `fromPrismaClient`, and for a `mysql` datasource asks the server whether it is MySQL or MariaDB
 * (one `SELECT VERSION()`), so the Queryable carries the dialect core needs. What `realignSequences` uses.
 *
 * @example
 * const report = await check(await prismaQueryable(prisma), { tables: ['User'] });
 */
export async function prismaQueryable(client: PrismaClientLike, options: PrismaQueryableOptions = {}): Promise<Queryable> {
  const provider = options.provider ?? providerOf(client);
  const dialect = options.dialect ?? await resolveDialect(client, provider);
  return fromPrismaClient(client, { ...options, provider, dialect });
}

/** One pinned connection with no transaction open on it (see `leases`). */
function leaseConnection<T>(client: TransactionCapableClient, lease: Lease, family: DialectFamily | null,
  settings: { timeout: number; maxWait: number }, fn: (pinned: PrismaClientLike) => Promise<T>): Promise<T> {
  return client.$transaction(async (tx) => {
    await runQuery(tx, 'COMMIT', [], family);
    try {
      return await fn(tx);
    } finally {
      // Fails only when a transaction is still open (core could not roll back), which is all Prisma needs.
      if (lease.reopen !== undefined) await runQuery(tx, lease.reopen, [], family).catch(() => undefined);
    }
  }, settings);
}

/**
 * Every statement goes through `$queryRawUnsafe`, writes and transaction control included: the MariaDB
 * adapter runs raw queries and raw executes alike and returns no rows for an OK packet, and the SQLite
 * adapter runs a statement that returns no rows instead of reading it. Only `$queryRawUnsafe` returns
 * rows, which the row-returning statements (SELECT, PRAGMA, MySQL's parenthesised UNION) need.
 */
async function runQuery<Row extends object>(client: PrismaClientLike, sql: string, params: readonly unknown[], family: DialectFamily | null): Promise<Row[]> {
  let rows: unknown;
  try {
    rows = await client.$queryRawUnsafe(sql, ...params);
  } catch (error) {
    throw toDriverError(error, family ?? 'postgres');
  }
  return Array.isArray(rows) ? (rows.map(normaliseRow) as Row[]) : [];
}

/**
 * Prisma decodes 64-bit integers as BigInt (int8 and oid on PostgreSQL, BIGINT and every integer of
 * SQLite's adapter) and numeric as Decimal, where node-postgres gives strings. Core reads such columns
 * with `BigInt(text)` and `Number(text)`, so they are handed over as strings; booleans and 32-bit
 * numbers already match.
 */
export function normaliseRow(row: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as Record<string, unknown>)) out[key] = normaliseValue(value);
  return out;
}

function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(normaliseValue);
  if (isDecimal(value)) return value.toString();
  return value;
}

function isDecimal(value: unknown): value is { toString(): string } {
  return typeof value === 'object' && value !== null
    && typeof (value as { toFixed?: unknown }).toFixed === 'function'
    && typeof (value as { isFinite?: unknown }).isFinite === 'function';
}

import type { Queryable } from '@seqsync/core';
import { dialectTraits, driverError } from '@seqsync/core';

/**
 * The parts of a Prisma client seqsync uses. Structural, so any generated client (`prisma-client` or
 * `prisma-client-js`, extended or not) fits without seqsync importing the user's generated code.
 */
export interface PrismaClientLike {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $transaction?: unknown;
}

/** Options of an interactive transaction (`prisma.$transaction(fn, options)`). */
interface PrismaTransactionOptions {
  readonly maxWait?: number;
  readonly timeout?: number;
}

/** A client that can open an interactive transaction. */
interface TransactionCapableClient extends PrismaClientLike {
  $transaction<T>(fn: (tx: PrismaClientLike) => Promise<T>, options?: PrismaTransactionOptions): Promise<T>;
}

export interface PrismaQueryableOptions {
  /** Datasource provider, which core reads as the dialect (`postgresql`, `mysql`, `sqlite`, …); default: read from the client. */
  readonly provider?: string;
  /** Limit for each interactive transaction seqsync opens (one per batch). Default 60 s. */
  readonly transactionTimeoutMs?: number;
  /** How long to wait for a pooled connection to start a transaction. Default 10 s. */
  readonly maxWaitMs?: number;
}

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 10_000;

/**
 * The datasource provider of a client: generator metadata when given (it is what the schema says),
 * else what the generated client was built for. `_activeProvider` is internal to Prisma but has carried
 * the provider since Prisma 2; a driver adapter's `provider` is the last resort. Undefined when none of
 * them says: core's default dialect then applies.
 */
export function providerOf(client: object, fromMetadata?: string): string | undefined {
  if (fromMetadata !== undefined) return fromMetadata;
  const active = (client as { _activeProvider?: unknown })._activeProvider;
  if (typeof active === 'string') return active;
  const adapter = (client as { _engineConfig?: { adapter?: { provider?: unknown } } })._engineConfig?.adapter?.provider;
  return typeof adapter === 'string' ? adapter : undefined;
}

/**
 * A transaction client (the `tx` inside `$transaction(async (tx) => …)`) has no `$disconnect`: Prisma
 * removes the connection-lifecycle methods from it. That is the sign seqsync is already in a transaction
 * and must neither open another connection nor commit.
 */
function isTransactionClient(client: PrismaClientLike): boolean {
  return typeof (client as { $disconnect?: unknown }).$disconnect !== 'function';
}

function canOpenTransaction(client: PrismaClientLike): client is TransactionCapableClient {
  return typeof client.$transaction === 'function' && !isTransactionClient(client);
}

/**
 * A Prisma client as core's Queryable, on the client's own connection — no second connection string. The
 * provider is the dialect: core refuses providers it has no dialect for and, for `mysql`, asks the server
 * whether it is MySQL or MariaDB.
 *
 * Core needs each batch on one connection inside one transaction (it locks, reads, then writes). A pooled
 * Prisma client offers no connection lease, only interactive `$transaction`s, which pin one connection
 * each. Where core can join a transaction (PostgreSQL) it runs inside Prisma's. Where it must begin its
 * own (`beginsOwnTransaction`: MySQL/MariaDB set the isolation level before START TRANSACTION and a reset
 * ends with DDL; SQLite takes its write lock up front with BEGIN IMMEDIATE), Prisma's transaction only
 * pins the connection: it is committed at once (it is empty) and core runs its own on it; where the
 * database refuses Prisma's closing COMMIT with none open (SQLite), one is reopened for it.
 *
 * Given a transaction client (`tx`), it runs inside that transaction instead. Raw queries are prepared
 * statements, one statement each, so `multiStatement` stays unset.
 *
 * @example
 * const report = await realign(fromPrismaClient(prisma), { tables: ['User'] });
 */
export function fromPrismaClient(client: PrismaClientLike, options: PrismaQueryableOptions = {}): Queryable {
  const dialect = options.provider ?? providerOf(client);
  const plain = (on: PrismaClientLike): Queryable => ({
    dialect,
    query: <Row extends object>(sql: string, params: readonly unknown[] = []) => runQuery<Row>(on, sql, params),
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
  const traits = dialectTraits(dialect);
  if (!traits.beginsOwnTransaction) {
    return {
      ...plain(client),
      transaction: <T>(fn: (tx: Queryable) => Promise<T>) => client.$transaction((tx) => fn(plain(tx)), settings),
    };
  }
  return {
    ...plain(client),
    connection: <T>(fn: (connection: Queryable) => Promise<T>) => client.$transaction(async (tx) => {
      await runQuery(tx, 'COMMIT', []);
      try {
        return await fn(plain(tx));
      } finally {
        // Fails only when a transaction is still open (core could not roll back), which is all Prisma needs.
        if (traits.reopenAfterCommit !== null) await runQuery(tx, traits.reopenAfterCommit, []).catch(() => undefined);
      }
    }, settings),
  };
}

/**
 * Every statement goes through `$queryRawUnsafe`, writes and transaction control included: the MariaDB
 * adapter runs raw queries and raw executes alike and returns no rows for an OK packet, and the SQLite
 * adapter runs a statement that returns no rows instead of reading it. Only `$queryRawUnsafe` returns
 * rows, which the row-returning statements (SELECT, PRAGMA, MySQL's parenthesised UNION) need.
 */
async function runQuery<Row extends object>(client: PrismaClientLike, sql: string, params: readonly unknown[]): Promise<Row[]> {
  let rows: unknown;
  try {
    rows = await client.$queryRawUnsafe(sql, ...params);
  } catch (error) {
    throw toDriverError(error);
  }
  return Array.isArray(rows) ? (rows.map(normaliseRow) as Row[]) : [];
}

interface PrismaErrorLike {
  message?: string;
  meta?: {
    code?: unknown;
    message?: unknown;
    driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; originalMessage?: unknown; message?: unknown } };
  };
}

/**
 * Prisma reports a failed raw query as P2010 with the driver's own code inside `meta` (driver adapters:
 * `driverAdapterError.cause.originalCode` — a SQLSTATE from pg, the server's error number from the
 * mariadb driver, an `SQLITE_*` name from better-sqlite3). Core classifies failures by that code, so it
 * is handed back as core's `driverError`, with Prisma's error as `cause`. Errors without a driver code
 * (a closed client, a timed-out transaction) are returned unchanged.
 */
export function toDriverError(error: unknown): unknown {
  const prismaError = (error ?? {}) as PrismaErrorLike;
  const cause = prismaError.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code ?? prismaError.meta?.code;
  if (typeof code !== 'string' && typeof code !== 'number') return error;
  const message = String(cause?.originalMessage ?? cause?.message ?? prismaError.meta?.message ?? prismaError.message ?? String(error));
  return driverError(String(code), message, error);
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

import type { Queryable } from '@seqsync/core';
import type { PrismaClientLike } from './prisma-client-like';
import { canOpenTransaction, isTransactionClient } from './prisma-client-like';
import { dialectOf, providerOf } from './provider';

export interface PrismaQueryableOptions {
  /** Datasource provider; default: read from the client. */
  readonly provider?: string;
  /** Limit for each interactive transaction seqsync opens (one per batch). Default 60 s. */
  readonly transactionTimeoutMs?: number;
  /** How long to wait for a pooled connection to start a transaction. Default 10 s. */
  readonly maxWaitMs?: number;
}

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 10_000;

/**
 * A Prisma client as core's Queryable, on the client's own connection — no second connection string.
 *
 * Core needs each batch on one connection inside one transaction (it locks, reads, then setvals), and a
 * pooled client gives no connection lease, so the Queryable's `transaction` capability is Prisma's
 * interactive `$transaction`. Given a transaction client (`tx`), it runs inside that transaction instead.
 * Raw queries are prepared statements, one statement each, so `multiStatement` stays unset.
 *
 * @example
 * const report = await realign(fromPrismaClient(prisma), { tables: ['User'] });
 */
export function fromPrismaClient(client: PrismaClientLike, options: PrismaQueryableOptions = {}): Queryable {
  const provider = options.provider ?? providerOf(client);
  const queryable: Queryable = {
    dialect: dialectOf(provider) ?? provider,
    query: <Row extends object>(sql: string, params: readonly unknown[] = []) => runQuery<Row>(client, sql, params),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
      if (isTransactionClient(client) || !canOpenTransaction(client)) return fn(queryable);
      return client.$transaction((tx) => fn(fromPrismaClient(tx, { ...options, provider })), {
        timeout: options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
        maxWait: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      });
    },
  };
  return queryable;
}

async function runQuery<Row extends object>(client: PrismaClientLike, sql: string, params: readonly unknown[]): Promise<Row[]> {
  let rows: unknown;
  try {
    rows = await client.$queryRawUnsafe(sql, ...params);
  } catch (error) {
    throw toDriverError(error);
  }
  return Array.isArray(rows) ? (rows.map(normaliseRow) as Row[]) : [];
}

/**
 * Prisma decodes int8 and oid as BigInt and numeric as Decimal, where node-postgres gives strings.
 * Core reads such columns with `BigInt(text)` and `Number(text)`, so they are handed over the way pg
 * returns them; booleans and int4 numbers already match.
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

interface PrismaErrorLike {
  message?: string;
  meta?: {
    code?: unknown;
    message?: unknown;
    driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; originalMessage?: unknown; message?: unknown } };
  };
}

/**
 * Prisma reports a failed raw query as P2010 with the SQLSTATE inside `meta` (driver adapters: in
 * `driverAdapterError.cause`). Core classifies failures by SQLSTATE — 55P03 is a lock timeout, 42501 a
 * missing privilege — so the SQLSTATE becomes the error's `code`, with Prisma's error kept as `cause`.
 */
export function toDriverError(error: unknown): unknown {
  const prismaError = (error ?? {}) as PrismaErrorLike;
  const cause = prismaError.meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code ?? prismaError.meta?.code;
  if (typeof sqlState !== 'string' || !/^[0-9A-Z]{5}$/.test(sqlState)) return error;
  const text = cause?.originalMessage ?? cause?.message ?? prismaError.meta?.message ?? prismaError.message ?? String(error);
  return Object.assign(new Error(String(text), { cause: error }), { code: sqlState });
}

import type { DialectFamily } from './provider';

interface PrismaErrorLike {
  message?: string;
  meta?: {
    code?: unknown;
    message?: unknown;
    driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; originalMessage?: unknown; message?: unknown } };
  };
}

/** Turns the driver's own code and message back into the error shape core's translation reads; null when the code is not the driver's. */
type DriverShape = (code: string, message: string) => Record<string, unknown> | null;

/**
 * What each family's driver error looks like to core. Prisma's driver adapters keep the driver's code as
 * `originalCode`: a SQLSTATE from pg, the server's error number from the `mariadb` driver, an
 * `SQLITE_*` name from better-sqlite3.
 */
const shapes: Readonly<Record<DialectFamily, DriverShape>> = {
  // Core classifies PostgreSQL failures by SQLSTATE: 55P03 is a lock timeout, 42501 a missing privilege.
  postgres: (code) => (/^[0-9A-Z]{5}$/.test(code) ? { code } : null),
  // Core reads mysql2's shape: `errno` (1205 lock wait timeout, 1142 denied, …) and `sqlMessage`.
  mysql: (code, message) => (/^[0-9]+$/.test(code) ? { errno: Number(code), code, sqlMessage: message } : null),
  // Core reads better-sqlite3's shape: `code` such as SQLITE_BUSY or SQLITE_READONLY.
  sqlite: (code) => (/^SQLITE_[A-Z_]+$/.test(code) ? { code } : null),
};

/**
 * Prisma reports a failed raw query as P2010 with the driver's code inside `meta` (driver adapters: in
 * `driverAdapterError.cause`). Core classifies failures by that code, so it is put back where core's
 * translation for the family looks for it, with Prisma's error kept as `cause`. Errors without a driver
 * code (a closed client, a timed-out transaction) are returned unchanged.
 */
export function toDriverError(error: unknown, family: DialectFamily = 'postgres'): unknown {
  const prismaError = (error ?? {}) as PrismaErrorLike;
  const cause = prismaError.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code ?? prismaError.meta?.code;
  if (typeof code !== 'string') return error;
  const text = String(cause?.originalMessage ?? cause?.message ?? prismaError.meta?.message ?? prismaError.message ?? String(error));
  const shape = shapes[family](code, text);
  return shape === null ? error : Object.assign(new Error(text, { cause: error }), shape);
}

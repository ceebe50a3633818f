import type { Queryable } from '../../types';
import { translateMysqlError } from './mysql-errors';

type Callback = (error: Error | null, results?: unknown, fields?: unknown) => void;

/** The parts of a mysql2 callback-style Connection / PoolConnection seqsync uses. */
export interface Mysql2ConnectionLike {
  query(options: { sql: string; values?: unknown[]; rowsAsArray?: boolean }, callback: Callback): unknown;
  readonly config?: { readonly multipleStatements?: boolean };
}
/** The parts of a mysql2 callback-style Pool seqsync uses. */
export interface Mysql2PoolLike {
  getConnection(callback: (error: Error | null, connection: Mysql2ConnectionLike & { release(): void; destroy(): void }) => void): void;
  readonly config?: { readonly connectionConfig?: { readonly multipleStatements?: boolean } };
}

/**
 * Whether a value is a mysql2 connection or pool, in either API. The promise wrappers of `mysql2/promise`
 * keep the callback object they wrap in `.connection` / `.pool`; seqsync always talks to that one.
 */
export function mysql2Target(value: object): { connection: Mysql2ConnectionLike } | { pool: Mysql2PoolLike } | null {
  const candidate = value as { connection?: unknown; pool?: unknown };
  if (isCallbackPool(candidate.pool)) return { pool: candidate.pool };
  if (isCallbackPool(value)) return { pool: value };
  if (isCallbackConnection(candidate.connection)) return { connection: candidate.connection };
  if (isCallbackConnection(value)) return { connection: value };
  return null;
}

/**
 * A mysql2 connection as a Queryable. It passes on the version string of the server's greeting (MariaDB
 * announces itself there), from which core tells MySQL from MariaDB without a query. Scripts are possible
 * only when the connection was opened with `multipleStatements`.
 */
export function fromMysql2Connection(connection: Mysql2ConnectionLike): Queryable {
  return {
    dialect: 'mysql',
    serverVersion: greetingVersion(connection),
    multiStatement: connection.config?.multipleStatements === true,
    query: <Row extends object>(sql: string, params?: readonly unknown[]) => runQuery<Row>(connection, sql, params),
  };
}

/**
 * A mysql2 connection handed over by the caller: a connection made with `createConnection` greets the server
 * lazily, so wait for the greeting (no query is sent) before telling MySQL from MariaDB.
 */
export async function adaptMysql2Connection(connection: Mysql2ConnectionLike): Promise<Queryable> {
  const connectable = connection as Mysql2ConnectionLike & { connect?: (callback: (error: Error | null) => void) => void };
  if (typeof connectable.connect === 'function') {
    await new Promise<void>((resolve, reject) => connectable.connect!((error) => (error ? reject(error) : resolve())))
      .catch((error: unknown) => { throw translateMysqlError(error, { phase: 'connect' }); });
  }
  return fromMysql2Connection(connection);
}

/** A mysql2 pool: catalog reads go to any connection, each batch leases one for its whole transaction. */
export async function fromMysql2Pool(pool: Mysql2PoolLike): Promise<Queryable> {
  // Leasing one connection tells which server the pool reaches; a pool opens it lazily otherwise.
  const serverVersion = await withConnection(pool, async (connection) => greetingVersion(connection))
    .catch((error: unknown) => { throw translateMysqlError(error, { phase: 'connect' }); });
  return {
    dialect: 'mysql',
    serverVersion,
    multiStatement: pool.config?.connectionConfig?.multipleStatements === true,
    query: <Row extends object>(sql: string, params?: readonly unknown[]) =>
      withConnection(pool, (connection) => runQuery<Row>(connection, sql, params)),
    connection: <T>(fn: (connection: Queryable) => Promise<T>) =>
      withConnection(pool, (connection) => fn(fromMysql2Connection(connection))),
  };
}

/** MariaDB's greeting reads e.g. `5.5.5-10.11.19-MariaDB`; mysql2 keeps it on the connection after the handshake. */
function greetingVersion(connection: object): string | undefined {
  return (connection as { _handshakePacket?: { serverVersion?: string } })._handshakePacket?.serverVersion;
}

async function withConnection<T>(pool: Mysql2PoolLike, fn: (connection: Mysql2ConnectionLike) => Promise<T>): Promise<T> {
  const connection = await new Promise<Mysql2ConnectionLike & { release(): void; destroy(): void }>((resolve, reject) =>
    pool.getConnection((error, leased) => (error ? reject(error) : resolve(leased))));
  try {
    const result = await fn(connection);
    connection.release();
    return result;
  } catch (error) {
    // A connection whose batch failed may hold session state mid-way (a transaction, timeouts): drop it.
    connection.destroy();
    throw error;
  }
}

function runQuery<Row extends object>(connection: Mysql2ConnectionLike, sql: string, params?: readonly unknown[]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    connection.query({ sql, values: params && params.length > 0 ? [...params] : undefined, rowsAsArray: false }, (error, results) => {
      if (error) reject(error);
      else resolve(rowsOf(results) as Row[]);
    });
  });
}

/** A script answers with one result per statement (rows or an OK header); callers want the last one's rows. */
function rowsOf(results: unknown): object[] {
  if (!Array.isArray(results)) return [];
  const first: unknown = results[0];
  const isScript = Array.isArray(first) || (first !== null && typeof first === 'object' && first.constructor?.name === 'ResultSetHeader');
  if (!isScript) return results as object[];
  const last: unknown = results[results.length - 1];
  return Array.isArray(last) ? (last as object[]) : [];
}

function isCallbackConnection(value: unknown): value is Mysql2ConnectionLike {
  const candidate = value as { query?: unknown; execute?: unknown; config?: unknown; promise?: unknown } | null;
  return candidate !== null && typeof candidate === 'object' && typeof candidate.query === 'function'
    && typeof candidate.execute === 'function' && typeof candidate.promise === 'function' && typeof candidate.config === 'object';
}

function isCallbackPool(value: unknown): value is Mysql2PoolLike {
  const candidate = value as { getConnection?: unknown; promise?: unknown; config?: { connectionConfig?: unknown } } | null;
  return candidate !== null && typeof candidate === 'object' && typeof candidate.getConnection === 'function'
    && typeof candidate.promise === 'function' && typeof candidate.config?.connectionConfig === 'object';
}

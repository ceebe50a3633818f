import type { Queryable } from '../../types';

/** The parts of node-postgres' Client / PoolClient seqsync uses. */
export interface PgClientLike {
  query(sql: string, params?: readonly unknown[]): Promise<PgResult | PgResult[]>;
}
/** The parts of node-postgres' Pool seqsync uses. */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgClientLike & PgEvents & { release(error?: Error | boolean): void }>;
  readonly totalCount: number;
}
interface PgResult { rows: object[] }
interface PgEvents {
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** node-postgres returns one result per statement for a script; callers want the last one's rows. */
function lastRows(result: PgResult | PgResult[]): object[] {
  return Array.isArray(result) ? (result.length === 0 ? [] : result[result.length - 1].rows ?? []) : result.rows;
}

/**
 * A pg Client (or a client checked out of a pool) as a Queryable. Without bind parameters node-postgres
 * uses the simple query protocol, which carries a whole script in one round trip.
 */
export function fromPgClient(client: PgClientLike): Queryable {
  return {
    dialect: 'postgres',
    multiStatement: true,
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
      lastRows(await (params && params.length > 0 ? client.query(sql, params) : client.query(sql))) as Row[],
  };
}

/** A pg Pool as a Queryable: reads go to any client, transactions lease one. */
export function fromPgPool(pool: PgPoolLike): Queryable {
  return {
    ...fromPgClient(pool),
    connection: async <T>(fn: (connection: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      // A pool stops listening for 'error' on a client it hands out. If the server ends the session while we
      // hold it, the socket error would be an uncaught 'error' event that kills the caller's process; the
      // query in flight rejects on its own, which is where seqsync reports it.
      const swallow = (error: Error) => { failure = error; };
      client.on('error', swallow);
      try {
        return await fn(fromPgClient(client));
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // A client whose transaction failed mid-way is discarded, not returned in an unknown state.
        client.removeListener('error', swallow);
        client.release(failure);
      }
    },
  };
}

export function isPgPool(value: object): value is PgPoolLike {
  return typeof (value as PgPoolLike).connect === 'function' && 'totalCount' in value && 'idleCount' in value;
}

export function isPgClient(value: object): value is PgClientLike {
  return typeof (value as PgClientLike).query === 'function' && 'connectionParameters' in value;
}

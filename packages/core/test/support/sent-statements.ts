import type { Queryable } from '../../src';

/**
 * What a run sends, seen below seqsync: every text handed to the driver, in order, one entry per query call (a
 * script is one entry, its statements joined by ';\n' as seqsync joins them).
 */
export interface Recorded {
  readonly queryable: Queryable;
  readonly sent: string[];
}

/**
 * `inner` (a real driver's Queryable) as it is, recording each query's text. With `callerTransaction` it is a
 * transaction the caller already opened, as an ORM hands one over: seqsync then sends no BEGIN or COMMIT of its own.
 */
export function recording(inner: Queryable, options: { callerTransaction?: boolean } = {}): Recorded {
  const sent: string[] = [];
  const self: Queryable = {
    dialect: inner.dialect,
    serverVersion: inner.serverVersion,
    multiStatement: inner.multiStatement,
    query: (sql, params) => {
      sent.push(sql);
      return inner.query(sql, params);
    },
    ...(options.callerTransaction === true ? { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(self) } : {}),
  };
  return { queryable: self, sent };
}

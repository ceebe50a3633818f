import type { Queryable } from '../../types';

/** The parts of a better-sqlite3 Database seqsync uses. */
export interface BetterSqlite3Like {
  prepare(sql: string): { readonly reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  readonly inTransaction: boolean;
  pragma(source: string): unknown;
}

export function isBetterSqlite3(value: object): value is BetterSqlite3Like {
  const candidate = value as Partial<BetterSqlite3Like>;
  return typeof candidate.prepare === 'function' && typeof candidate.pragma === 'function' && 'inTransaction' in value;
}

/**
 * A better-sqlite3 Database as a Queryable: synchronous and in-process, one statement per call (its
 * `exec` runs scripts but returns no rows). A Database already inside a transaction is the caller's
 * transaction: seqsync then neither begins nor commits.
 */
export function fromBetterSqlite3(db: BetterSqlite3Like): Queryable {
  const self: Queryable = {
    dialect: 'sqlite',
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
      const statement = db.prepare(sql);
      const values = params ?? [];
      if (statement.reader) return statement.all(...values) as Row[];
      statement.run(...values);
      return [];
    },
    ...(db.inTransaction ? { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(self) } : {}),
  };
  return self;
}

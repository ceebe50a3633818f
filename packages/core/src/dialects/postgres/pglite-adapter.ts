import type { Queryable } from '../../types';

/** The parts of PGlite (`@electric-sql/pglite`) seqsync uses. */
export interface PGliteLike {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: object[] }>;
  exec(sql: string): Promise<{ rows: object[] }[]>;
  readonly waitReady: Promise<void>;
}

export function isPGlite(value: object): value is PGliteLike {
  return typeof (value as PGliteLike).exec === 'function' && 'waitReady' in value;
}

/** In-process PostgreSQL: `exec` takes scripts, `query` binds parameters. */
export function fromPGlite(db: PGliteLike): Queryable {
  return {
    dialect: 'postgres',
    multiStatement: true,
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
      if (params && params.length > 0) return (await db.query(sql, params)).rows as Row[];
      const results = await db.exec(sql);
      return (results.length === 0 ? [] : results[results.length - 1].rows) as Row[];
    },
  };
}

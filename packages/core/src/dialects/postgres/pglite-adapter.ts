import type { Queryable } from '../../types';
import { SeqsyncError } from '../../errors';

/** The parts of PGlite (`@electric-sql/pglite`) seqsync uses. */
export interface PGliteLike {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: object[] }>;
  exec(sql: string): Promise<{ rows: object[] }[]>;
  readonly waitReady: Promise<void>;
}

/** PGlite's `Transaction` (what `pglite.transaction(async (tx) => …)` hands out): PGlite's query and exec, no waitReady. */
export interface PGliteTransactionLike extends Omit<PGliteLike, 'waitReady'> {
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export function isPGlite(value: object): value is PGliteLike {
  return typeof (value as PGliteLike).exec === 'function' && 'waitReady' in value;
}

export function isPGliteTransaction(value: object): value is PGliteTransactionLike {
  const candidate = value as Partial<PGliteTransactionLike>;
  return typeof candidate.exec === 'function' && typeof candidate.query === 'function' && typeof candidate.rollback === 'function'
    && 'closed' in value && !('waitReady' in value);
}

/**
 * A PGlite transaction joined, as a knex trx is: seqsync neither begins nor commits (`transaction` hands back itself),
 * sees the transaction's uncommitted rows, and PGlite's own commit or rollback at the end of the callback decides.
 */
export function fromPGliteTransaction(tx: PGliteTransactionLike): Queryable {
  if (tx.closed) throw new SeqsyncError('INVALID_OPTION', 'the PGlite transaction was already committed or rolled back');
  const self: Queryable = { ...fromPGlite(tx as unknown as PGliteLike), transaction: (fn) => fn(self) };
  return self;
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

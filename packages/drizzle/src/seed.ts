import type { DrizzleDatabase } from './drizzle-connection';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import { realignSequences } from './realign-sequences';

export interface RealignAfterSeedOptions extends RealignSequencesOptions {
  /** Receives the report once the realign is done, e.g. to log the sequences that moved. */
  readonly onReport?: (report: SequencesReport) => void | Promise<void>;
}

/** What the seed returned and what the realign did. */
export interface SeedOutcome<T> {
  readonly result: T;
  readonly report: SequencesReport;
}

/**
 * Runs a seed, then realigns the schema's sequences: drizzle-seed's `seed()` (and any fixture loader) inserts
 * explicit ids, 1 to count, and leaves serial and identity sequences where they were, so the app's next plain
 * insert would collide. The realign runs only after the seed succeeded: a failed seed's error comes first.
 *
 * `reset()` before `seed()` empties the tables (PostgreSQL's TRUNCATE keeps each sequence where it was); the
 * default `advance` mode then leaves a sequence ahead of the new rows, which is safe. `{ mode: 'reset' }` moves it
 * to exactly past them, for compact ids in a throwaway database.
 *
 * @example
 * import { reset, seed } from 'drizzle-seed';
 * await realignAfterSeed(db, async (db) => {
 *   await reset(db, schema);
 *   await seed(db, schema, { count: 10 });
 * }, { schema });
 */
export async function realignAfterSeed<DB extends DrizzleDatabase, T>(
  db: DB,
  seed: (db: DB) => PromiseLike<T> | T,
  options: RealignAfterSeedOptions = {},
): Promise<SeedOutcome<T>> {
  const { onReport, ...realignOptions } = options;
  const result = await seed(db);
  const report = await realignSequences(db, realignOptions);
  await onReport?.(report);
  return { result, report };
}

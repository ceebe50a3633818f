import type { Knex } from 'knex';
import type { RealignSequencesMigrationOptions } from './migration';
import { realignAfterMigration } from './migration';

/** Options of the seed step: the same as the migration step's (knex ignores what `seed` returns, too). */
export type RealignAfterSeedOptions = RealignSequencesMigrationOptions;

/**
 * A seed function that realigns the sequences in scope, for a seed file that runs after every other one.
 * knex runs seed files in alphabetical order of their file names (all seed directories sorted together),
 * so name the file to sort last, e.g. `zz_realign_sequences.ts`.
 *
 * @example
 * // seeds/zz_realign_sequences.ts
 * import { realignAfterSeed } from '@seqsync/knex';
 * export const seed = realignAfterSeed();
 */
export function realignAfterSeed(options: RealignAfterSeedOptions = {}): (knex: Knex) => Promise<void> {
  // A seed and a migration's `up` are the same kind of function to knex: (knex) => Promise.
  return realignAfterMigration(async () => undefined, options);
}

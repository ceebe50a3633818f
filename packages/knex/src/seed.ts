import type { Knex } from 'knex';
import type { RealignStepOptions } from './step-options';
import { splitStepOptions } from './step-options';
import { realignSequences } from './realign-sequences';

/**
 * A seed function that realigns the sequences in scope, for a seed file that runs after every other one.
 * knex runs seed files in alphabetical order of their file names (all seed directories sorted together),
 * so name the file to sort last, e.g. `zz_realign_sequences.ts`.
 *
 * @example
 * // seeds/zz_realign_sequences.ts
 * import { realignAfterSeeds } from '@seqsync/knex';
 * export const seed = realignAfterSeeds();
 */
export function realignAfterSeeds(options: RealignStepOptions = {}): (knex: Knex) => Promise<void> {
  const { realignOptions, onReport } = splitStepOptions(options);
  return async (knex) => {
    const report = await realignSequences(knex, realignOptions);
    await onReport?.(report);
  };
}

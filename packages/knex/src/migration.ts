import type { Knex } from 'knex';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import { realignSequences } from './realign-sequences';

/** Options of the migration steps: the realign options, plus a way to see the report knex discards. */
export interface RealignSequencesMigrationOptions extends RealignSequencesOptions {
  /** Receives the report (knex ignores what `up` returns). E.g. log the sequences that moved. */
  readonly onReport?: (report: SequencesReport) => void | Promise<void>;
}

/** A knex migration function: `up` or `down`. */
export type MigrationFunction = (knex: Knex) => PromiseLike<unknown> | unknown;

/** What a migration file exports. */
export interface RealignSequencesMigration {
  up: (knex: Knex) => Promise<void>;
  down: (knex: Knex) => Promise<void>;
}

/**
 * A whole migration whose `up` realigns the sequences in scope. knex runs `up` inside the migration's
 * transaction, so the realignment commits together with the migration's row in `knex_migrations`.
 *
 * `down` is deliberately a no-op: moving a sequence back could hand out ids that rows already hold, and
 * rolling the migration back leaves nothing to undo (the data a realignment follows is other migrations' work).
 *
 * @example
 * // migrations/20240601120000_realign_sequences.ts
 * import { realignSequencesMigration } from '@seqsync/knex';
 * export const { up, down } = realignSequencesMigration();
 */
export function realignSequencesMigration(options: RealignSequencesMigrationOptions = {}): RealignSequencesMigration {
  return { up: realignAfterMigration(async () => undefined, options), down: async () => undefined };
}

/**
 * Wraps a migration's `up` so the sequences are realigned right after it, on the same connection and in
 * the same transaction — for a migration that inserts rows with explicit ids (reference data, imports).
 *
 * @example
 * export const up = realignAfterMigration(async (knex) => {
 *   await knex('countries').insert([{ id: 1, code: 'FR' }, { id: 2, code: 'DE' }]);
 * }, { tables: ['countries'] });
 * export const down = (knex: Knex) => knex('countries').whereIn('id', [1, 2]).del();
 */
export function realignAfterMigration(
  up: MigrationFunction,
  options: RealignSequencesMigrationOptions = {},
): (knex: Knex) => Promise<void> {
  const { onReport, ...realignOptions } = options;
  return async (knex) => {
    await up(knex);
    const report = await realignSequences(knex, realignOptions);
    await onReport?.(report);
  };
}

import type { Report } from '@seqsync/core';
import type { KnexRealignOptions } from './realign-sequences';

/** Options of the migration and seed steps: the realign options, plus a way to see the report knex discards. */
export interface RealignStepOptions extends KnexRealignOptions {
  /** Receives the report (knex ignores what `up` and `seed` return). E.g. log the sequences that moved. */
  onReport?: (report: Report) => void | Promise<void>;
}

/** Splits the step-only option off, so core only sees its own options. */
export function splitStepOptions(options: RealignStepOptions): { realignOptions: KnexRealignOptions; onReport?: RealignStepOptions['onReport'] } {
  const { onReport, ...realignOptions } = options;
  return { realignOptions, onReport };
}

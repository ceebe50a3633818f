import type { Knex } from 'knex';
import type { Options, Queryable, Report } from '@seqsync/core';
import { check, realign, withJson } from '@seqsync/core';
import { knexOf, withKnexQueryable } from './knex-connection';
import { scopeToSearchPath } from './knex-metadata';

/**
 * Options of `realignSequences` / `checkSequences`: core's options. Scope defaults to the schemas of
 * the knex config's `searchPath` when it has one (else every non-system schema); `schemas` or `tables`
 * replace that default.
 */
export type RealignSequencesOptions = Options;

/**
 * Core's report, in the shape every seqsync ORM package returns. `skipped` lists what the ORM's metadata
 * left out; knex has no models, so nothing is ever skipped by it.
 */
export interface SequencesReport extends Report {
  readonly skipped: readonly never[];
}

/**
 * Moves every key sequence in scope past the rows already in its table, through the knex instance's own
 * pool — or, given a transaction (`trx`), inside that transaction, committed when the caller commits.
 *
 * @example
 * import { realignSequences } from '@seqsync/knex';
 * await knex('users').insert([{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }]);
 * await realignSequences(knex);          // the next insert without an id gets 3
 * await realignSequences(knex, { tables: ['users', 'billing.Invoice'] });
 */
export function realignSequences(knex: Knex, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return runOnKnex(knex, options, realign);
}

/**
 * Read-only: which sequences in scope are behind their data, and what `realignSequences` would do.
 *
 * @example
 * const report = await checkSequences(knex);
 * const behind = report.sequences.filter((s) => s.behind).map((s) => s.sequence);
 */
export function checkSequences(knex: Knex, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return runOnKnex(knex, options, check);
}

async function runOnKnex(knex: Knex, options: RealignSequencesOptions,
  operation: (db: Queryable, options: Options) => Promise<Report>): Promise<SequencesReport> {
  const target = knexOf(knex);
  const report = await withKnexQueryable(target, async (db) => operation(db, await scopeToSearchPath(target.client, db, options)));
  // A spread drops the report's non-enumerable toJSON; withJson gives it back for JSON.stringify.
  return withJson({ ...report, skipped: [] });
}

import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { Options, Queryable, Report } from '@seqsync/core';
import type { EntityTable, SkippedEntity } from './typeorm-metadata';
import type { TypeormTarget } from './typeorm-connection';
import { check, realign, withJson } from '@seqsync/core';
import { describeEntities, tableNameOf } from './typeorm-metadata';
import { dataSourceOf, dialectOfDataSource, queryableFor } from './typeorm-connection';

/** Core's options, scoped by entities instead of table names. */
export interface RealignSequencesOptions extends Omit<Options, 'tables'> {
  /** Only these entities' tables (classes, EntitySchemas or names). Default: every entity of the DataSource. */
  readonly entities?: readonly EntityTarget<ObjectLiteral>[];
}

/** Core's report, plus which tables the entities mapped to and which entities were left out and why. */
export interface SequencesReport extends Report {
  readonly entityTables: readonly EntityTable[];
  readonly skipped: readonly SkippedEntity[];
}

type Operation = (db: Queryable, options: Options) => Promise<Report>;

/**
 * Moves the sequences behind your entities' `increment` and `identity` columns past the data, so the
 * next `save()` cannot hit `duplicate key value violates unique constraint`. Never moves a sequence
 * backwards unless `{ mode: 'reset' }`.
 *
 * Pass the DataSource (seqsync leases one QueryRunner per transaction and releases it), or the
 * EntityManager of a transaction you are in (seqsync then runs inside it and neither begins nor commits).
 *
 * @example
 * await dataSource.createQueryBuilder().insert().into(User, ['id', 'name']).values(seed).execute();
 * const report = await realignSequences(dataSource, { entities: [User] });
 * // report.sequences[0].nextValueAfter === 101n
 */
export function realignSequences(target: TypeormTarget, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(target, options, realign);
}

/**
 * Read-only: which of your entities' sequences are behind their data, and what `realignSequences`
 * would do. Nothing is written.
 *
 * @example
 * const report = await checkSequences(dataSource);
 * if (report.sequences.some((s) => s.behind)) throw new Error('run realignSequences');
 */
export function checkSequences(target: TypeormTarget, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(target, options, check);
}

/** Realigns exactly the given tables on the given connection; what the subscriber uses after a commit. */
export async function realignTables(
  db: Queryable,
  tables: readonly EntityTable[],
  options: Omit<Options, 'tables'>,
): Promise<SequencesReport> {
  const report = await realign(db, { ...options, tables: tables.map(tableNameOf) });
  return withJson({ ...report, entityTables: tables, skipped: [] });
}

async function run(target: TypeormTarget, options: RealignSequencesOptions, operation: Operation): Promise<SequencesReport> {
  const { entities, ...coreOptions } = options;
  const dataSource = dataSourceOf(target);
  const dialect = dialectOfDataSource(dataSource);
  const { tables, skipped } = describeEntities(dataSource, entities);
  const report = await operation(queryableFor(target, dialect), { ...coreOptions, tables: tables.map(tableNameOf) });
  // withJson: the copy keeps the report's toJSON, so JSON.stringify(report) writes BigInts as strings.
  return withJson({ ...report, entityTables: tables, skipped });
}

import type { Table } from 'drizzle-orm';
import type { Options, Queryable, Report } from '@seqsync/core';
import type { DrizzleDatabase, DrizzleTarget } from './drizzle-connection';
import type { DrizzleSchema, SchemaTable, SchemaTables, SkippedTable } from './drizzle-metadata';
import { SeqsyncError, check, realign, withJson } from '@seqsync/core';
import { drizzleTargetOf, queryableOf, searchPathSchemas } from './drizzle-connection';
import { describeTables, labelOf, tableNameOf, tablesOf } from './drizzle-metadata';

/** Core's options, scoped by the Drizzle schema: its tables, or the ones named. */
export interface RealignSequencesOptions extends Omit<Options, 'tables'> {
  /**
   * The schema whose tables are in scope: the object given to `drizzle(…, { schema })`, or `import * as schema`.
   * Default: the db's own (`drizzle(client, { schema })`); a db made without one needs it here.
   */
  readonly schema?: DrizzleSchema;
  /**
   * Only these tables: table objects of the schema (`users`, `billing.invoices`'s object), or database table names
   * as core matches them, exactly (`'UserAccount'`, `'billing.invoices'`).
   */
  readonly tables?: readonly (Table | string)[];
}

/** Core's report, plus the schema's tables that were in scope and those left out, with why. */
export interface SequencesReport extends Report {
  readonly schemaTables: readonly SchemaTable[];
  readonly skipped: readonly SkippedTable[];
}

type Operation = (db: Queryable, options: Options) => Promise<Report>;

/**
 * Moves the counters behind the schema's serial, identity, sequence-default and autoincrement keys past the data,
 * on the db's own connection, so the next plain `db.insert(…)` cannot fail with 23505 (`duplicate key value
 * violates unique constraint`). Never moves a counter backwards unless `{ mode: 'reset' }`.
 *
 * Inside `db.transaction(async (tx) => …)` pass `tx`: the run joins that transaction, sees its rows, and neither
 * begins nor commits.
 *
 * @example
 * await db.insert(users).values([{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }]);
 * const report = await realignSequences(db, { schema });   // the next insert gets id 3
 * await realignSequences(db, { schema, tables: [users] });
 */
export function realignSequences(db: DrizzleDatabase, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(db, options, realign);
}

/**
 * Read-only: which of the schema's counters are behind their data, and what `realignSequences` would do.
 *
 * @example
 * const report = await checkSequences(db, { schema });
 * if (report.sequences.some((s) => s.behind)) process.exitCode = 1;
 */
export function checkSequences(db: DrizzleDatabase, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(db, options, check);
}

async function run(db: DrizzleDatabase, options: RealignSequencesOptions, operation: Operation): Promise<SequencesReport> {
  const { schema, tables: only, ...coreOptions } = options;
  const target = drizzleTargetOf(db);
  const scope = scopeOf(target, schema, only);
  const queryable = await queryableOf(target);
  // A run whose signal already aborted stops in core before its first read: none of ours goes before it.
  const resolve = target.dialect === 'postgresql' && coreOptions.signal?.aborted !== true;
  const unqualified = resolve ? scope.described.tables.filter((table) => table.schema === null) : [];
  if (unqualified.length === 0) {
    return withSchemaTables(await operation(queryable, { ...coreOptions, tables: scope.names }), scope.described);
  }
  const schemas = await searchPathSchemas(queryable, unqualified.map((table) => table.table));
  const qualified = new Map(unqualified.map((table) => [tableNameOf(table),
    tableNameOf({ schema: schemas.get(table.table) ?? null, table: table.table })]));
  const report = await operation(queryable, { ...coreOptions, tables: scope.names.map((name) => qualified.get(name) ?? name) });
  // The search_path's read is the run's too: one round trip, two where the driver describes parameters first.
  const trips = queryable.describesParametersFirst === true ? 2 : 1;
  return withSchemaTables({ ...report, roundTrips: report.roundTrips + trips }, scope.described);
}

interface Scope {
  /** Core's `tables`. */
  readonly names: string[];
  readonly described: SchemaTables;
}

/**
 * The schema's tables a counter feeds, as core's exact names; with `tables`, only those. Everything is checked
 * before a connection is used: a table object from another schema, or of another database, changes nothing.
 */
export function scopeOf(target: DrizzleTarget, schema: DrizzleSchema | undefined, only: RealignSequencesOptions['tables']): Scope {
  const given = schema ?? target.fullSchema;
  if (tablesOf(given).length === 0) {
    throw new SeqsyncError('INVALID_OPTION', schema === undefined
      ? 'this db was made without a schema: pass { schema } (the object given to drizzle(…, { schema }), or import * as schema)'
      : 'the schema has no tables: pass the object given to drizzle(…, { schema }), or import * as schema');
  }
  const described = describeTables(given, target.columnNamer, target.dialect);
  if (only === undefined) return { names: described.tables.map(tableNameOf), described };
  if (!Array.isArray(only)) throw new SeqsyncError('INVALID_OPTION', 'tables must be a list of table objects or table names');
  const byObject = new Map(tablesOf(given).map((entry) => [entry.table, entry.property]));
  const objects = only.filter((entry): entry is Table => typeof entry !== 'string');
  const strangers = objects.filter((table) => !byObject.has(table));
  if (strangers.length > 0) {
    throw new SeqsyncError('INVALID_OPTION', `table ${strangers.map((t) => JSON.stringify(labelOf(t))).join(', ')} in tables is not `
      + 'a table object of the schema: pass the schema it is defined in (a table object from another schema file is another table)');
  }
  const wanted = new Set(objects.map((table) => byObject.get(table)));
  // A name that is a schema table's own is that table (its skip reason stays known); any other goes to core as given.
  const known = new Map([...described.tables, ...described.skipped].map((table) => [tableNameOf(table), table.property]));
  const names: string[] = [];
  for (const name of only.filter((entry): entry is string => typeof entry === 'string')) {
    const property = known.get(name);
    if (property === undefined) names.push(name);
    else wanted.add(property);
  }
  const keep = <T extends { readonly property: string }>(list: readonly T[]) => list.filter((t) => wanted.has(t.property));
  const narrowed = { dialect: described.dialect, tables: keep(described.tables), skipped: keep(described.skipped) };
  return { names: [...narrowed.tables.map(tableNameOf), ...names], described: narrowed };
}

/**
 * Core's report with the schema's tables. A table the schema gives a counter but the database shows without one
 * (migrations not applied, a column changed by hand) moves to `skipped`. `withJson` keeps the report's `toJSON`.
 */
export function withSchemaTables(report: Report, described: SchemaTables): SequencesReport {
  const without = new Set(report.tablesWithoutSequence);
  const lacking = described.tables.filter((table) => [...without].some((name) => namesTable(name, table)));
  const reason = 'the Drizzle schema gives it a counter, but the database has none on this table (migrations not applied?)';
  return withJson({
    ...report,
    schemaTables: described.tables.filter((table) => !lacking.includes(table)),
    skipped: [...described.skipped, ...lacking.map(({ schema, table, property }) => ({ schema, table, property, reason }))],
  });
}

/** Core names a table without a counter `schema.table`, unquoted; a schema table without a schema matches in any. */
function namesTable(name: string, table: SchemaTable): boolean {
  return table.schema === null ? name === table.table || name.endsWith(`.${table.table}`) : name === `${table.schema}.${table.table}`;
}

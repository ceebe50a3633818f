import type { CutoverSummary } from './types';
import type { CutoverRule } from './sequence-decision';
import type { CatalogScope } from './dialect';
import type { QualifiedName } from './table-names';
import { SeqsyncError } from './errors';
import { counterKey, onProgression } from './sequence-decision';

/*
 * Pure: which target counter each source counter feeds, decided before the first batch, so an ambiguous name or a
 * position the target cannot take refuses the run with nothing written.
 */

/** A column a counter feeds, on either side. */
export interface FedColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

/** One source counter as the read-only run on the source found it. */
export interface SourceCounter {
  readonly schema: string;
  readonly name: string;
  readonly uses: readonly FedColumn[];
  /** What the source would hand out next, or past its own data when that is further (see readSource). */
  readonly nextValue: bigint;
}

/** Everything the source read produced, and how its tables are to be matched. */
export interface SourceRead {
  /** The source as messages name it: its dialect and location. */
  readonly label: string;
  /** Whether both sides' schemas are namespaces within one database (PostgreSQL), so they take part in the match. */
  readonly schemas: boolean;
  /** Whether table, and column, names match regardless of case (one side compares them so: SQLite, MySQL's columns). */
  readonly foldTables: boolean;
  readonly foldColumns: boolean;
  readonly counters: readonly SourceCounter[];
}

/** What the target's catalog says about one counter before any live read (see Dialect.outline). */
export interface CounterOutline {
  readonly schema: string;
  readonly name: string;
  readonly uses: readonly FedColumn[];
  /** The counter's START and increment when the catalog knows them (a MariaDB sequence's are read live: null). */
  readonly start: bigint | null;
  readonly increment: bigint | null;
  /** The values the counter can hand out (its bounds narrowed by its columns' types); null when unknown before the read. */
  readonly bounds: { readonly min: bigint; readonly max: bigint } | null;
}

export interface CutoverMatch {
  readonly rule: CutoverRule;
  readonly summary: Omit<CutoverSummary, 'sourceRoundTrips'>;
}

const columnText = (use: FedColumn) => `${use.schema}.${use.table}.${use.column}`;

/**
 * Matches by schema, table and column when both sides have schemas; else by table and column, and a name that
 * stands for two tables on one side is refused naming both, since picking one would set a counter from another
 * table's history.
 *
 * @throws SeqsyncError `CUTOVER_MISMATCH`: an ambiguous name, or a source position outside a target counter's range.
 */
export function matchSource(source: SourceRead, targets: readonly CounterOutline[], margin: number,
  scope: Pick<CatalogScope, 'tables' | 'exclude'> = { tables: null, exclude: [] }): CutoverMatch {
  const bySchema = source.schemas;
  const fold = (name: string, folds: boolean) => (folds ? name.toLowerCase() : name);
  const keyOf = (use: FedColumn) => (bySchema ? `${use.schema}\u0000` : '')
    + `${fold(use.table, source.foldTables)}\u0000${fold(use.column, source.foldColumns)}`;
  const sourceByKey = indexSource(source, keyOf, bySchema);
  if (!bySchema || source.foldTables || source.foldColumns) assertUnambiguousTargets(targets, sourceByKey, keyOf);

  const sources = new Map<string, { counter: string; nextValue: bigint }>();
  const matchedKeys = new Set<string>();
  const unmatchedTarget: string[] = [];
  const misfits: string[] = [];
  for (const target of targets) {
    const found = target.uses.map((use) => ({ use, source: sourceByKey.get(keyOf(use)) }));
    const ascending = (target.increment ?? 1n) > 0n;
    let best: { counter: string; nextValue: bigint } | null = null;
    for (const { use, source: match } of found) {
      if (match === undefined) {
        unmatchedTarget.push(columnText(use));
        continue;
      }
      matchedKeys.add(keyOf(use));
      if (best === null || (ascending ? match.nextValue > best.nextValue : match.nextValue < best.nextValue)) best = match;
    }
    if (best === null) continue;
    sources.set(counterKey(target.schema, target.name), { counter: best.counter, nextValue: best.nextValue });
    // On the target's own progression, as the plan will put it (see requiredNextValue).
    const base = target.start === null || target.increment === null ? best.nextValue
      : onProgression({ start: target.start, increment: target.increment }, best.nextValue);
    const required = base + BigInt(margin) * (target.increment ?? 1n);
    if (target.bounds !== null && (required > target.bounds.max || required < target.bounds.min)) {
      misfits.push(`source ${best.counter} next value ${best.nextValue}${margin === 0 ? '' : ` + ${margin} steps = ${required}`} `
        + `does not fit target ${target.schema}.${target.name}, whose values lie in ${target.bounds.min}..${target.bounds.max}`);
    }
  }
  if (misfits.length > 0) {
    throw new SeqsyncError('CUTOVER_MISMATCH', `${misfits[0]}${misfits.length > 1 ? ` (and ${misfits.length - 1} more)` : ''}: `
      + 'widen the target column or sequence (e.g. to bigint) first. Nothing was changed.');
  }
  // A run narrowed to some tables does not list the source's others as missing on the target.
  const named = (use: FedColumn, names: readonly QualifiedName[]) =>
    names.some((name) => name.name === use.table && (!bySchema || name.schema === null || name.schema === use.schema));
  const unmatchedSource = source.counters.flatMap((counter) => counter.uses)
    .filter((use) => !matchedKeys.has(keyOf(use)) && (scope.tables === null || named(use, scope.tables)) && !named(use, scope.exclude))
    .map(columnText);
  return {
    rule: { margin, sources },
    summary: { source: source.label, unmatchedSource, unmatchedTarget },
  };
}

/** A source column's counter, by the key it is matched on. */
interface SourceEntry extends FedColumn {
  readonly counter: string;
  readonly nextValue: bigint;
}

function indexSource(source: SourceRead, keyOf: (use: FedColumn) => string, bySchema: boolean):
Map<string, SourceEntry> {
  const index = new Map<string, SourceEntry>();
  for (const counter of source.counters) {
    const label = `${counter.schema}.${counter.name}`;
    for (const use of counter.uses) {
      const key = keyOf(use);
      const seen = index.get(key);
      if (seen !== undefined && (seen.table !== use.table || seen.column !== use.column)) {
        throw new SeqsyncError('CUTOVER_MISMATCH', `the source has ${columnText(seen)} and ${columnText(use)}, which differ only in `
          + 'case, and the target cannot tell them apart: narrow the source to one. Nothing was changed.');
      }
      if (seen !== undefined && !bySchema && seen.schema !== use.schema) {
        throw new SeqsyncError('CUTOVER_MISMATCH', `the source has table ${use.table} in two schemas, `
          + `${seen.schema}.${use.table} and ${use.schema}.${use.table}, and the target has no schemas to tell them apart: `
          + 'narrow the source to one (a postgres:// URL\'s ?schema=). Nothing was changed.');
      }
      index.set(key, { counter: label, nextValue: counter.nextValue, schema: use.schema, table: use.table, column: use.column });
    }
  }
  return index;
}

function assertUnambiguousTargets(targets: readonly CounterOutline[], sourceByKey: ReadonlyMap<string, unknown>,
  keyOf: (use: FedColumn) => string): void {
  const schemasByKey = new Map<string, FedColumn>();
  for (const use of targets.flatMap((target) => target.uses)) {
    const key = keyOf(use);
    if (!sourceByKey.has(key)) continue;
    const seen = schemasByKey.get(key);
    if (seen === undefined) schemasByKey.set(key, use);
    else if (seen.schema !== use.schema) {
      throw new SeqsyncError('CUTOVER_MISMATCH', `the source's table ${use.table} matches two target tables, `
        + `${seen.schema}.${use.table} and ${use.schema}.${use.table}: the source has no schemas to tell them apart; `
        + 'narrow the target to one schema (schemas / --schema). Nothing was changed.');
    } else if (seen.table !== use.table || seen.column !== use.column) {
      throw new SeqsyncError('CUTOVER_MISMATCH', `the source's ${use.table}.${use.column} matches two target columns, `
        + `${columnText(seen)} and ${columnText(use)}, which differ only in case, as the source cannot tell: `
        + 'narrow the target with tables / exclude. Nothing was changed.');
    }
  }
}

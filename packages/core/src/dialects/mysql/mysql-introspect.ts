import type { Queryable, SequenceUse } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { QualifiedName } from '../../table-names';
import type { CatalogScope } from '../../dialect';
import type { LiveRead } from './mysql-catalog-sql';
import { assertSchemasPresent, compareText, formatTableName, tableKey, unknownTablesError } from '../../table-names';
import { bigIntOrNull } from '../../sequence-math';
import { SeqsyncError } from '../../errors';
import { catalogStatement } from './mysql-catalog-sql';
import { parseSequenceDefault } from './mysql-sql';

export interface MysqlColumnUse extends SequenceUse {
  /** information_schema's DATA_TYPE, e.g. `int`, `bigint`. */
  readonly dataType: string;
  readonly unsigned: boolean;
}

/**
 * One counter: a table's AUTO_INCREMENT (named after its table), or a MariaDB SEQUENCE with every column
 * whose default draws from it.
 */
export interface MysqlCounter {
  readonly kind: 'auto_increment' | 'sequence';
  readonly schema: string;
  readonly name: string;
  readonly uses: readonly MysqlColumnUse[];
}

export interface MysqlCatalog {
  /** `VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1` or `8.4.3`. */
  readonly serverVersion: string;
  readonly counters: readonly MysqlCounter[];
  readonly tablesWithoutSequence: readonly string[];
  /** `auto_increment_increment` / `auto_increment_offset`: the progression AUTO_INCREMENT values follow. */
  readonly autoIncrementStep: { readonly increment: bigint; readonly offset: bigint };
}

/** A table's AUTO_INCREMENT counter as read now. */
export interface AutoIncrementState {
  readonly kind: 'auto_increment';
  /** The value the next insert gets; null when the server reports none. */
  readonly nextValue: bigint | null;
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
}

/**
 * A MariaDB sequence as stored. `nextNotCached` is exact only while no values are cached in memory: once a
 * session has called NEXTVAL, the server holds up to `cacheSize` values and the next one is somewhere in
 * the cached range — MariaDB offers no way to read it without consuming it.
 */
export interface SequenceState {
  readonly kind: 'sequence';
  readonly nextNotCached: bigint;
  readonly cacheSize: bigint;
  readonly shape: SequenceShape;
  readonly cycle: boolean;
  /** How often a CYCLE sequence has wrapped: SETVAL only moves it within this round (or a later one). */
  readonly cycleCount: bigint;
  /** The extremes of the data within the sequence's bounds: the keys it can reach. */
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
  /** The data's extreme past MAXVALUE (descending: below MINVALUE), which the sequence never hands out; null if none. */
  readonly beyondBound: bigint | null;
}

export type MysqlLiveState = AutoIncrementState | SequenceState;

interface RawCatalogRow {
  rowKind: 'column' | 'sequence' | 'server' | 'table' | 'schema';
  tableSchema: string | null; tableName: string | null; columnName: string | null; dataType: string | null;
  columnType: string | null; extra: string | null; columnDefault: string | null;
}

export interface RawLiveRow {
  ref: number | string; first: string | null; second: string | null; third: string | null; fourth: string | null;
}

/** Reads the catalog in one round trip; no user table is touched. */
export async function loadCatalog(db: Queryable, scope: CatalogScope): Promise<MysqlCatalog> {
  const named = scope.tables ?? [];
  const allNamed = [...named, ...scope.exclude];
  const { sql, params } = catalogStatement(scope.schemas, allNamed.length > 0 ? [...new Set(allNamed.map((t) => t.name))] : null);
  const rows = await db.query<RawCatalogRow>(sql, params);
  const server = rows.find((row) => row.rowKind === 'server');
  if (server === undefined) throw new SeqsyncError('QUERY_FAILED', 'the MySQL catalog query returned no server row');
  const currentDatabase = server.tableName;
  assertSchemasPresent(scope.schemas, new Set(rows.filter((r) => r.rowKind === 'schema').map((r) => r.tableSchema!)));
  const inScope = scopeFilter(scope, currentDatabase);
  const sequences = new Set(rows.filter((r) => r.rowKind === 'sequence').map((r) => tableKey(r.tableSchema!, r.tableName!)));
  const counters = new Map<
    string, { kind: MysqlCounter['kind']; schema: string; name: string; uses: MysqlColumnUse[]; inScope: boolean }
  >();
  for (const row of rows.filter((r) => r.rowKind === 'column')) {
    const schema = row.tableSchema!;
    const table = row.tableName!;
    const use = {
      schema, table, column: row.columnName!, dataType: row.dataType!.toLowerCase(), unsigned: /\bunsigned\b/i.test(row.columnType ?? ''),
    };
    let counterKey: string;
    let entry: { kind: MysqlCounter['kind']; schema: string; name: string };
    if (/\bauto_increment\b/i.test(row.extra ?? '')) {
      counterKey = `a\u0000${tableKey(schema, table)}`;
      entry = { kind: 'auto_increment', schema, name: table };
      addUse(counters, counterKey, entry, { ...use, kind: 'auto_increment' }, inScope(schema, table));
    }
    const feed = parseSequenceDefault(row.columnDefault);
    // Only a default naming an existing sequence is a feed; anything else is an ordinary expression.
    if (feed !== null && sequences.has(tableKey(feed.schema ?? schema, feed.name))) {
      counterKey = `s\u0000${tableKey(feed.schema ?? schema, feed.name)}`;
      entry = { kind: 'sequence', schema: feed.schema ?? schema, name: feed.name };
      addUse(counters, counterKey, entry, { ...use, kind: 'default' }, inScope(schema, table));
    }
  }
  // A sequence is in scope when any table it feeds is; every table it feeds then counts towards its target.
  const selected = [...counters.values()].filter((c) => c.inScope)
    .map(({ kind, schema, name, uses }) => ({
      kind, schema, name,
      uses: uses.sort((a, b) => compareText(tableKey(a.schema, a.table), tableKey(b.schema, b.table)) || compareText(a.column, b.column)),
    }))
    .sort((a, b) => compareText(tableKey(a.schema, a.name), tableKey(b.schema, b.name)) || compareText(a.kind, b.kind));
  return {
    serverVersion: server.tableSchema ?? '',
    counters: selected,
    tablesWithoutSequence: tablesWithoutCounter(named, scope.exclude, rows, selected, currentDatabase, scope.schemas,
      scope.missingTablesAllowed === true),
    autoIncrementStep: { increment: BigInt(server.columnName ?? '1'), offset: BigInt(server.dataType ?? '1') },
  };
}

/** What a batch reads, and the statement reading it. */
export function liveReadsOf(batch: readonly MysqlCounter[]): LiveRead[] {
  const reads: LiveRead[] = [];
  for (const counter of batch) {
    if (counter.kind === 'sequence') reads.push({ kind: 'sequence', schema: counter.schema, name: counter.name });
    else reads.push({ kind: 'auto_increment', schema: counter.schema, table: counter.name });
    const sequence = counter.kind === 'sequence' ? { sequence: { schema: counter.schema, name: counter.name } } : {};
    for (const use of counter.uses) reads.push({ kind: 'column', schema: use.schema, table: use.table, column: use.column, ...sequence });
  }
  return reads;
}

/** Folds the live rows back onto the batch's counters: each counter's own state and the extremes over its columns. */
export function readLiveState(batch: readonly MysqlCounter[], rows: readonly RawLiveRow[]): MysqlLiveState[] {
  const byRef = new Map(rows.map((row) => [Number(row.ref), row]));
  let ref = 0;
  return batch.map((counter) => {
    const own = byRef.get(ref);
    ref += 1;
    const extremes = { max: null as bigint | null, min: null as bigint | null, reachMax: null as bigint | null,
      reachMin: null as bigint | null };
    for (let index = 0; index < counter.uses.length; index += 1, ref += 1) {
      const row = byRef.get(ref);
      const max = bigIntOrNull(row?.first ?? null);
      const min = bigIntOrNull(row?.second ?? null);
      const reachMax = bigIntOrNull(row?.third ?? null);
      const reachMin = bigIntOrNull(row?.fourth ?? null);
      if (max !== null && (extremes.max === null || max > extremes.max)) extremes.max = max;
      if (min !== null && (extremes.min === null || min < extremes.min)) extremes.min = min;
      if (reachMax !== null && (extremes.reachMax === null || reachMax > extremes.reachMax)) extremes.reachMax = reachMax;
      if (reachMin !== null && (extremes.reachMin === null || reachMin < extremes.reachMin)) extremes.reachMin = reachMin;
    }
    if (counter.kind === 'auto_increment') {
      if (own === undefined) throw vanished(counter);
      return { kind: 'auto_increment', nextValue: bigIntOrNull(own.first), dataMax: extremes.max, dataMin: extremes.min };
    }
    if (own === undefined || own.first === null || own.third === null) throw vanished(counter);
    const [start, increment, minValue, maxValue] = own.third.split(',').map(BigInt);
    const [cycleOption, cycleCount] = (own.fourth ?? '0,0').split(',');
    const beyond = increment > 0n
      ? (extremes.max !== null && extremes.max > maxValue ? extremes.max : null)
      : (extremes.min !== null && extremes.min < minValue ? extremes.min : null);
    return {
      kind: 'sequence', nextNotCached: BigInt(own.first), cacheSize: BigInt(own.second ?? '0'),
      shape: { start, increment, minValue, maxValue }, cycle: cycleOption === '1', cycleCount: BigInt(cycleCount ?? '0'),
      dataMax: extremes.reachMax, dataMin: extremes.reachMin, beyondBound: beyond,
    };
  });
}

function addUse(
  counters: Map<string, { kind: MysqlCounter['kind']; schema: string; name: string; uses: MysqlColumnUse[]; inScope: boolean }>,
  counterKey: string, entry: { kind: MysqlCounter['kind']; schema: string; name: string }, use: MysqlColumnUse, inScope: boolean,
): void {
  const existing = counters.get(counterKey) ?? { ...entry, uses: [], inScope: false };
  existing.uses.push(use);
  existing.inScope ||= inScope;
  counters.set(counterKey, existing);
}

/**
 * Names match exactly, case included: information_schema compares case-insensitively, so the SQL only
 * narrows and the decision is made here. Without `schemas`, an unqualified table name and the default scope
 * mean the connection's current database (every non-system one when none is selected); a qualified name
 * reaches its own database.
 */
function scopeFilter(scope: CatalogScope, currentDatabase: string | null): (schema: string, table: string) => boolean {
  const defaultSchema = (schema: string) => (scope.schemas !== null
    ? scope.schemas.includes(schema)
    : currentDatabase === null || schema === currentDatabase);
  const matches = (name: QualifiedName, schema: string, table: string) =>
    name.name === table && (name.schema === null
      ? defaultSchema(schema)
      : name.schema === schema && (scope.schemas === null || scope.schemas.includes(schema)));
  return (schema, table) => {
    if (scope.exclude.some((name) => name.name === table && (name.schema === null || name.schema === schema))) return false;
    if (scope.tables === null) return defaultSchema(schema);
    return scope.tables.some((name) => matches(name, schema, table));
  };
}

function tablesWithoutCounter(named: readonly QualifiedName[], excluded: readonly QualifiedName[], rows: readonly RawCatalogRow[],
  counters: readonly MysqlCounter[], currentDatabase: string | null, schemas: readonly string[] | null, missingAllowed: boolean): string[] {
  if (named.length + excluded.length === 0) return [];
  const tables = rows.filter((r) => r.rowKind === 'table').map((r) => ({ schema: r.tableSchema!, table: r.tableName! }));
  const visible = (schema: string) => (schemas !== null
    ? schemas.includes(schema)
    : currentDatabase === null || schema === currentDatabase);
  const found: { schema: string; table: string }[] = [];
  const unknown: QualifiedName[] = [];
  for (const name of named) {
    const hits = tables.filter((t) => t.table === name.name && (name.schema === null ? visible(t.schema) : t.schema === name.schema));
    if (hits.length === 0) unknown.push(name);
    found.push(...hits);
  }
  // Exclusions match in any database, as scopeFilter applies them.
  const unknownExcluded = excluded.filter((name) =>
    !tables.some((t) => t.table === name.name && (name.schema === null || t.schema === name.schema)));
  const error = unknownTablesError(unknown, unknownExcluded);
  if (error !== null && !missingAllowed) throw error;
  const fed = new Set(counters.flatMap((c) => c.uses.map((u) => tableKey(u.schema, u.table))));
  return [...new Set(found.filter((t) => !fed.has(tableKey(t.schema, t.table)))
    .map((t) => formatTableName({ schema: t.schema, name: t.table })))];
}

function vanished(counter: MysqlCounter): SeqsyncError {
  const what = counter.kind === 'sequence' ? 'sequence' : 'table';
  return new SeqsyncError('QUERY_FAILED', `${what} ${counter.schema}.${counter.name} vanished while reading it`);
}

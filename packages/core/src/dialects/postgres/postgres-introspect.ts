import type { Queryable, SequenceUse } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { QualifiedName } from '../../table-names';
import type { CatalogScope } from '../../dialect';
import { assertSchemasPresent, formatTableName, tableKey, unknownTablesError } from '../../table-names';
import { SeqsyncError } from '../../errors';
import type { LiveRead } from './postgres-catalog-sql';
import { CATALOG_SQL, RESOLVE_TABLES_SQL, SCHEMAS_SQL, liveStateSql } from './postgres-catalog-sql';
import { INTEGER_TYPE_NAMES } from './postgres-sql';

export interface PostgresColumnUse extends SequenceUse {
  readonly tableOid: string;
  readonly attnum: number;
  /** Base type name (domains resolved), e.g. `integer`. */
  readonly columnType: string;
  /** Lock-table entries reading this table takes: the table, its partitions and their indexes. */
  readonly lockWeight: number;
  readonly canReadTable: boolean;
  readonly canLockTable: boolean;
}

/** A sequence and every column it feeds, as the catalog describes them. */
export interface PostgresSequence {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly shape: SequenceShape;
  readonly cycle: boolean;
  readonly uses: readonly PostgresColumnUse[];
  readonly canRead: boolean;
  readonly canUpdate: boolean;
}

export interface PostgresCatalog {
  readonly sequences: readonly PostgresSequence[];
  readonly tablesWithoutSequence: readonly string[];
  /** Size of the server's shared lock table (max_locks_per_transaction × connections). */
  readonly lockCapacity: number;
}

/** What the data and the sequence look like right now; only the extreme on the sequence's side is read. */
export interface PostgresLiveState {
  readonly lastValue: bigint;
  readonly isCalled: boolean;
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
}

interface RawUseRow {
  sequenceOid: string; sequenceSchema: string; sequenceName: string;
  start: string; increment: string; minValue: string; maxValue: string; cycle: boolean;
  tableOid: string; tableSchema: string; tableName: string; attnum: number; columnName: string;
  columnType: string; kind: SequenceUse['kind']; lockWeight: number;
  canReadSequence: boolean; canUpdateSequence: boolean; canReadTable: boolean; canLockTable: boolean;
  lockCapacity: string;
}

/** One query_to_xml call: its position among the batch's queries and the rows it returned, as XML. */
interface RawLiveRow { position: number; doc: string | null }

/** Reads the catalog in one round trip (plus one each when schemas or tables are named); no user table is touched. */
export async function loadCatalog(db: Queryable, scope: CatalogScope): Promise<PostgresCatalog> {
  await assertSchemasExist(db, scope.schemas);
  const found = await resolveTables(db, scope.tables ?? [], scope.exclude);
  const rows = await db.query<RawUseRow>(CATALOG_SQL, [
    scope.schemas,
    scope.tables === null ? null : scope.tables.map((t) => t.schema),
    scope.tables === null ? null : scope.tables.map((t) => t.name),
    scope.exclude.map((t) => t.schema),
    scope.exclude.map((t) => t.name),
  ]);
  const sequences = groupBySequence(rows);
  const sequenced = new Set(sequences.flatMap((s) => s.uses.map((u) => tableKey(u.schema, u.table))));
  const tablesWithoutSequence = found
    .filter((t) => !sequenced.has(tableKey(t.schema, t.table)))
    .map((t) => formatTableName({ schema: t.schema, name: t.table }));
  const lockCapacity = rows.length === 0 ? 0 : Number(rows[0].lockCapacity);
  return { sequences, tablesWithoutSequence: [...new Set(tablesWithoutSequence)], lockCapacity };
}

/**
 * The live-state query for a batch: one statement without bind parameters, so the same text rides in a script
 * with the LOCK statement or goes on its own.
 */
export function liveStateStatement(batch: readonly PostgresSequence[]): string {
  return liveStateSql(liveReadsOf(batch));
}

/** The batch's reads in order: one per column, the sequence's position with its first column. */
function liveReadsOf(batch: readonly PostgresSequence[]): LiveRead[] {
  return batch.flatMap((sequence) => sequence.uses.map((use, index) => ({
    table: { schema: use.schema, name: use.table },
    column: use.column,
    sequence: index === 0 ? { schema: sequence.schema, name: sequence.name } : null,
    descending: sequence.shape.increment < 0n,
    baseType: INTEGER_TYPE_NAMES[use.columnType] ?? null,
  })));
}

/**
 * Folds the live-state rows into one state per sequence: its position and the data's extreme over all its
 * columns — MAX for ascending sequences (dataMin stays null), MIN for descending ones (dataMax stays null).
 * A name that now resolves to another table or sequence than the catalog described fails the batch.
 */
export function readLiveState(batch: readonly PostgresSequence[], rows: readonly RawLiveRow[]): Map<string, PostgresLiveState> {
  const reads = new Map<number, string>();
  for (const row of rows) {
    for (const element of (row.doc ?? '').split('</row>')) {
      const position = xmlValue(element, 'k');
      if (position !== null) reads.set(Number(position), element);
    }
  }
  const states = new Map<string, PostgresLiveState>();
  let position = 0;
  for (const sequence of batch) {
    const ascending = sequence.shape.increment > 0n;
    let extreme: bigint | null = null;
    let lastValue: bigint | null = null;
    let isCalled = false;
    for (const [index, use] of sequence.uses.entries()) {
      position += 1;
      const read = reads.get(position) ?? '';
      const sameSequence = index > 0 || (xmlValue(read, 's') === sequence.oid && xmlValue(read, 'l') !== null);
      if (xmlValue(read, 't') !== use.tableOid || !sameSequence) {
        throw new SeqsyncError('QUERY_FAILED',
          `sequence ${sequence.schema}.${sequence.name} or table ${use.schema}.${use.table} vanished or was replaced while reading it`);
      }
      if (index === 0) {
        lastValue = BigInt(xmlValue(read, 'l') as string);
        isCalled = xmlValue(read, 'c') === 'true';
      }
      const value = xmlValue(read, 'e');
      if (value !== null) {
        const candidate = BigInt(value);
        if (extreme === null || (ascending ? candidate > extreme : candidate < extreme)) extreme = candidate;
      }
    }
    states.set(sequence.oid, {
      lastValue: lastValue as bigint,
      isCalled,
      dataMax: ascending ? extreme : null,
      dataMin: ascending ? null : extreme,
    });
  }
  return states;
}

/** The text of `<name>` in query_to_xml's output; the elements hold integers and booleans only. */
function xmlValue(doc: string, name: string): string | null {
  const open = doc.indexOf(`<${name}>`);
  if (open < 0) return null;
  const start = open + name.length + 2;
  return doc.slice(start, doc.indexOf('<', start));
}

export type { RawLiveRow };

function groupBySequence(rows: readonly RawUseRow[]): PostgresSequence[] {
  const bySequence = new Map<string, { head: RawUseRow; uses: PostgresColumnUse[] }>();
  for (const row of rows) {
    const key = String(row.sequenceOid);
    const entry = bySequence.get(key) ?? { head: row, uses: [] };
    entry.uses.push({
      schema: row.tableSchema, table: row.tableName, column: row.columnName, kind: row.kind,
      tableOid: String(row.tableOid), attnum: Number(row.attnum), columnType: row.columnType,
      lockWeight: Number(row.lockWeight), canReadTable: row.canReadTable, canLockTable: row.canLockTable,
    });
    bySequence.set(key, entry);
  }
  return [...bySequence.values()].map(({ head, uses }) => ({
    oid: String(head.sequenceOid),
    schema: head.sequenceSchema,
    name: head.sequenceName,
    shape: {
      start: BigInt(head.start), increment: BigInt(head.increment), minValue: BigInt(head.minValue), maxValue: BigInt(head.maxValue),
    },
    cycle: head.cycle,
    uses,
    canRead: head.canReadSequence,
    canUpdate: head.canUpdateSequence,
  }));
}

/**
 * Checks every name the user gave, included or excluded, in one round trip (none when no table is named) and
 * returns the included tables found.
 */
async function resolveTables(
  db: Queryable, included: readonly QualifiedName[], excluded: readonly QualifiedName[],
): Promise<{ schema: string; table: string }[]> {
  const named = [...included, ...excluded];
  if (named.length === 0) return [];
  const rows = await db.query<{ position: number; schema: string; table: string }>(RESOLVE_TABLES_SQL, [
    named.map((t) => t.schema),
    named.map((t) => t.name),
  ]);
  const matched = new Set(rows.map((r) => Number(r.position)));
  const error = unknownTablesError(
    included.filter((_, index) => !matched.has(index + 1)),
    excluded.filter((_, index) => !matched.has(included.length + index + 1)),
  );
  if (error !== null) throw error;
  return rows.filter((r) => Number(r.position) <= included.length);
}

async function assertSchemasExist(db: Queryable, schemas: readonly string[] | null): Promise<void> {
  if (schemas === null || schemas.length === 0) return;
  const rows = await db.query<{ schema: string }>(SCHEMAS_SQL, [schemas]);
  assertSchemasPresent(schemas, new Set(rows.map((r) => r.schema)));
}

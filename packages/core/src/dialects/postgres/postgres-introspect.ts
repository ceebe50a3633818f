import type { Queryable, SequenceUse } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { QualifiedName } from '../../table-names';
import { formatTableName } from '../../table-names';
import { SeqsyncError } from '../../errors';
import { CATALOG_SQL, RESOLVE_TABLES_SQL, SCHEMAS_SQL, liveStateSql } from './postgres-catalog-sql';
import { sqlBooleanArray, sqlIntegerArray } from './postgres-sql';

/** Which tables the user asked about. */
export interface PostgresScope {
  readonly schemas: readonly string[] | null;
  readonly include: readonly QualifiedName[] | null;
  readonly exclude: readonly QualifiedName[];
}

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

interface RawLiveRow { sequenceOid: string; tableOid: string; attnum: number; extreme: string | null; lastValue: string | null; isCalled: string | null }

/** Reads the catalog in one round trip (plus one each when schemas or tables are named); no user table is touched. */
export async function loadCatalog(db: Queryable, scope: PostgresScope): Promise<PostgresCatalog> {
  await assertSchemasExist(db, scope.schemas);
  const named = scope.include ?? [];
  const found = named.length > 0 ? await resolveTables(db, named) : [];
  const rows = await db.query<RawUseRow>(CATALOG_SQL, [
    scope.schemas,
    scope.include === null ? null : scope.include.map((t) => t.schema),
    scope.include === null ? null : scope.include.map((t) => t.name),
    scope.exclude.map((t) => t.schema),
    scope.exclude.map((t) => t.name),
  ]);
  const sequences = groupBySequence(rows);
  const sequenced = new Set(sequences.flatMap((s) => s.uses.map((u) => `${u.schema}\u0000${u.table}`)));
  const tablesWithoutSequence = found
    .filter((t) => !sequenced.has(`${t.schema}\u0000${t.table}`))
    .map((t) => formatTableName({ schema: t.schema, name: t.table }));
  const lockCapacity = rows.length === 0 ? 0 : Number(rows[0].lockCapacity);
  return { sequences, tablesWithoutSequence: [...new Set(tablesWithoutSequence)], lockCapacity };
}

/**
 * The live-state query for a batch. `inline` writes the OIDs into the text so the query can ride in a
 * script with the LOCK statement; otherwise they are bind parameters.
 */
export function liveStateStatement(batch: readonly PostgresSequence[], inline: boolean): { sql: string; params: unknown[] } {
  const rows = batch.flatMap((sequence) => sequence.uses.map((use) => ({ sequence, use })));
  const sequenceOids = rows.map((r) => r.sequence.oid);
  const tableOids = rows.map((r) => r.use.tableOid);
  const attnums = rows.map((r) => r.use.attnum);
  const descending = rows.map((r) => r.sequence.shape.increment < 0n);
  if (inline) {
    return {
      sql: liveStateSql(sqlIntegerArray(sequenceOids.map(BigInt), 'oid'), sqlIntegerArray(tableOids.map(BigInt), 'oid'),
        sqlIntegerArray(attnums, 'int2'), sqlBooleanArray(descending)),
      params: [],
    };
  }
  return { sql: liveStateSql('$1::oid[]', '$2::oid[]', '$3::int2[]', '$4::bool[]'), params: [sequenceOids, tableOids, attnums, descending] };
}

/**
 * Folds the live-state rows into one state per sequence: its position and the data's extreme over all its
 * columns — MAX for ascending sequences (dataMin stays null), MIN for descending ones (dataMax stays null).
 */
export function readLiveState(batch: readonly PostgresSequence[], rows: readonly RawLiveRow[]): Map<string, PostgresLiveState> {
  const bySequence = new Map<string, RawLiveRow[]>();
  for (const row of rows) {
    const key = String(row.sequenceOid);
    bySequence.set(key, [...(bySequence.get(key) ?? []), row]);
  }
  const states = new Map<string, PostgresLiveState>();
  for (const sequence of batch) {
    const found = bySequence.get(sequence.oid) ?? [];
    if (found.length !== sequence.uses.length || found.some((row) => row.lastValue === null)) {
      throw new SeqsyncError('QUERY_FAILED', `sequence ${sequence.schema}.${sequence.name} or a table it feeds vanished while reading it`);
    }
    const extremes = found.map((row) => row.extreme).filter((value): value is string => value !== null).map(BigInt);
    const ascending = sequence.shape.increment > 0n;
    const extreme = extremes.length === 0 ? null : extremes.reduce((a, b) => (ascending ? (b > a ? b : a) : (b < a ? b : a)));
    states.set(sequence.oid, {
      lastValue: BigInt(found[0].lastValue as string),
      isCalled: found[0].isCalled === 'true',
      dataMax: ascending ? extreme : null,
      dataMin: ascending ? null : extreme,
    });
  }
  return states;
}

/** Reads the live state of one batch in one round trip, without locks beyond what reading takes. */
export async function loadLiveState(db: Queryable, batch: readonly PostgresSequence[]): Promise<Map<string, PostgresLiveState>> {
  const { sql, params } = liveStateStatement(batch, false);
  return readLiveState(batch, await db.query<RawLiveRow>(sql, params));
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
    shape: { start: BigInt(head.start), increment: BigInt(head.increment), minValue: BigInt(head.minValue), maxValue: BigInt(head.maxValue) },
    cycle: head.cycle,
    uses,
    canRead: head.canReadSequence,
    canUpdate: head.canUpdateSequence,
  }));
}

async function resolveTables(db: Queryable, named: readonly QualifiedName[]): Promise<{ schema: string; table: string }[]> {
  const rows = await db.query<{ position: number; schema: string; table: string }>(RESOLVE_TABLES_SQL, [
    named.map((t) => t.schema),
    named.map((t) => t.name),
  ]);
  const matched = new Set(rows.map((r) => Number(r.position)));
  const unknown = named.filter((_, index) => !matched.has(index + 1));
  if (unknown.length > 0) {
    const list = unknown.map((t) => JSON.stringify(formatTableName(t))).join(', ');
    throw new SeqsyncError('UNKNOWN_TABLE', `unknown table${unknown.length > 1 ? 's' : ''} ${list}: no such table in the database`);
  }
  return rows;
}

async function assertSchemasExist(db: Queryable, schemas: readonly string[] | null): Promise<void> {
  if (schemas === null || schemas.length === 0) return;
  const rows = await db.query<{ schema: string }>(SCHEMAS_SQL, [schemas]);
  const present = new Set(rows.map((r) => r.schema));
  const missing = schemas.filter((s) => !present.has(s));
  if (missing.length > 0) throw new SeqsyncError('UNKNOWN_SCHEMA', `unknown schema ${missing.map((s) => JSON.stringify(s)).join(', ')}`);
}

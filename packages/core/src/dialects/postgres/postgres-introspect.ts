import type { Queryable, SequenceUse } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { QualifiedName } from '../../table-names';
import type { CatalogScope } from '../../dialect';
import { assertSchemasPresent, formatTableName, tableKey, unknownTablesError } from '../../table-names';
import { CATALOG_SQL, RESOLVE_TABLES_SQL, SCHEMAS_SQL } from './postgres-catalog-sql';

export interface PostgresColumnUse extends SequenceUse {
  readonly tableOid: string;
  readonly attnum: number;
  /** Base type name (domains resolved), e.g. `integer`. */
  readonly columnType: string;
  /** Lock-table entries reading this table takes: the table, its partitions and their indexes. */
  readonly lockWeight: number;
  readonly canReadTable: boolean;
  readonly canLockTable: boolean;
  /** An index led by this column exists, so MAX/MIN under the lock is one probe rather than a scan. */
  readonly keyIndexed: boolean;
  /** The table or the sequence is UNLOGGED: a standby has no contents for it. */
  readonly unlogged: boolean;
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
  /** The role owns the sequence (or is a member of its owner), so ALTER SEQUENCE can make the write transactional. */
  readonly owned: boolean;
}

export interface PostgresCatalog {
  readonly sequences: readonly PostgresSequence[];
  readonly tablesWithoutSequence: readonly string[];
  /** Size of the server's shared lock table (max_locks_per_transaction × connections). */
  readonly lockCapacity: number;
  /** The server is a hot standby: nothing can be written, and sequence positions read there run ahead of the primary's. */
  readonly inRecovery: boolean;
}

interface RawUseRow {
  sequenceOid: string; sequenceSchema: string; sequenceName: string;
  start: string; increment: string; minValue: string; maxValue: string; cycle: boolean;
  tableOid: string; tableSchema: string; tableName: string; attnum: number; columnName: string;
  columnType: string; kind: SequenceUse['kind']; lockWeight: number;
  canReadSequence: boolean; canUpdateSequence: boolean; ownsSequence: boolean; canReadTable: boolean; canLockTable: boolean;
  keyIndexed: boolean; unlogged: boolean; inRecovery: boolean; lockCapacity: string;
}

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
  const inRecovery = rows.length === 0 ? false : rows[0].inRecovery;
  return { sequences, tablesWithoutSequence: [...new Set(tablesWithoutSequence)], lockCapacity, inRecovery };
}

function groupBySequence(rows: readonly RawUseRow[]): PostgresSequence[] {
  const bySequence = new Map<string, { head: RawUseRow; uses: PostgresColumnUse[] }>();
  for (const row of rows) {
    const key = String(row.sequenceOid);
    const entry = bySequence.get(key) ?? { head: row, uses: [] };
    entry.uses.push({
      schema: row.tableSchema, table: row.tableName, column: row.columnName, kind: row.kind,
      tableOid: String(row.tableOid), attnum: Number(row.attnum), columnType: row.columnType,
      lockWeight: Number(row.lockWeight), canReadTable: row.canReadTable, canLockTable: row.canLockTable,
      keyIndexed: row.keyIndexed, unlogged: row.unlogged,
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
    owned: head.ownsSequence,
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

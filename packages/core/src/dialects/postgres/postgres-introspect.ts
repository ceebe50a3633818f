import type { Queryable, SequenceUse } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { QualifiedName } from '../../table-names';
import type { CatalogScope } from '../../dialect';
import { assertSchemasPresent, formatTableName, tableKey, unknownTablesError } from '../../table-names';
import type { ServerIdentity } from './postgres-engines';
import { SeqsyncError } from '../../errors';
import { CATALOG_COLUMNS, CATALOG_SQL, RESOLVE_TABLES_SQL, SCHEMAS_SQL, SERVER_IDENTITY_SQL } from './postgres-catalog-sql';
import { unsupportedEngineError } from './postgres-engines';

export interface PostgresColumnUse extends SequenceUse {
  readonly tableOid: string;
  readonly attnum: number;
  /** Base type name (domains over domains resolved), e.g. `integer`, `numeric`. */
  readonly columnType: string;
  /** The type modifier nearest the column along its domains (numeric's precision and scale); -1 when none. */
  readonly typeModifier: number;
  /** Lock-table entries reading this table takes: the table, its partitions and their indexes. */
  readonly lockWeight: number;
  readonly canReadTable: boolean;
  readonly canLockTable: boolean;
  /** The role has USAGE on the table's schema, without which no privilege on the table is of use. */
  readonly canUseSchema: boolean;
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
  /** The role has USAGE on the sequence's schema. */
  readonly canUseSchema: boolean;
  /** The sequence is another session's temporary sequence, which no other session can read or set. */
  readonly otherSessionTemporary: boolean;
}

export interface PostgresCatalog {
  readonly sequences: readonly PostgresSequence[];
  readonly tablesWithoutSequence: readonly string[];
  /** Size of the server's shared lock table (max_locks_per_transaction × connections). */
  readonly lockCapacity: number;
  /** The server is a hot standby: nothing can be written, and sequence positions read there run ahead of the primary's. */
  readonly inRecovery: boolean;
  /** Defaults in scope the catalog cannot tie to data seqsync reads, one sentence each naming the column. */
  readonly warnings: readonly string[];
  /** What the server says it is; a distributed engine (postgres-engines.ts) was refused before this was returned. */
  readonly server: ServerIdentity;
}

interface RawUseRow {
  sequenceOid: string; sequenceSchema: string; sequenceName: string;
  start: string; increment: string; minValue: string; maxValue: string; cycle: boolean;
  tableOid: string; tableSchema: string; tableName: string; attnum: number; columnName: string;
  columnType: string; typeModifier: number; kind: SequenceUse['kind']; lockWeight: number;
  canReadSequence: boolean; canUpdateSequence: boolean; ownsSequence: boolean; canReadTable: boolean; canLockTable: boolean;
  canUseSequenceSchema: boolean; canUseTableSchema: boolean; otherSessionTemporary: boolean;
  keyIndexed: boolean; unlogged: boolean;
  /** Set only on the one row that describes the server and the run (see serverVersion). */
  inRecovery: boolean | null; lockCapacity: number | null;
  /** Set on the rows that describe something untraced rather than a sequence's use (see {@link untracedWarning}). */
  warning: UntracedKind | null; warningDetail: string | null;
  /** Set only on the one row that describes the server (version() and the Citus extension's version). */
  serverVersion: string | null; citusVersion: string | null;
}

type UntracedKind = 'nextval' | 'function' | 'view' | 'foreign table';

/**
 * Reads the catalog in one round trip (plus one each when schemas or tables are named); no user table is touched.
 * A distributed engine (CockroachDB, YugabyteDB, Citus) is refused here, before anything reads a user table.
 *
 * @throws SeqsyncError `UNSUPPORTED_DATABASE` naming the engine and why setval is wrong there.
 */
export async function loadCatalog(db: Queryable, scope: CatalogScope): Promise<PostgresCatalog> {
  try {
    return await readCatalog(db, scope);
  } catch (error) {
    throw (await refusalAfterFailure(db, error)) ?? error;
  }
}

/*
 * SQLSTATEs a server that is not PostgreSQL answers PostgreSQL's catalog query with: class 42 (an unknown function,
 * table or column: YugabyteDB's PostgreSQL 11 fork has no pg_partition_tree, nor is CockroachDB's emulated catalog
 * expected to) and feature_not_supported (CockroachDB's "unimplemented"). Only after one of these is the server
 * asked what it is: after a cancel, a timeout or a lost connection nothing more may be sent.
 */
const FOREIGN_SQL_STATE = /^(?:42|0A000$)/;

/**
 * The refusal when a failed catalog read came from a distributed engine, else null (the caller rethrows the original).
 * Which engine answers is carried by the catalog query itself, at no cost; this one more round trip happens only on
 * the failure path, where the catalog query could not say. The ParameterStatus `server_version` of the start-up would
 * cost nothing either, but a Queryable (an ORM's connection, a pool) does not carry it, and CockroachDB's ("13.0.0")
 * does not name CockroachDB. In a transaction the failure aborted, the question fails too, and the original stands.
 */
async function refusalAfterFailure(db: Queryable, error: unknown): Promise<SeqsyncError | null> {
  if (error instanceof SeqsyncError || !FOREIGN_SQL_STATE.test(String((error as { code?: unknown } | null)?.code ?? ''))) return null;
  try {
    const [row] = await db.query<{ serverVersion?: unknown }>(SERVER_IDENTITY_SQL);
    return typeof row?.serverVersion === 'string'
      ? unsupportedEngineError({ version: row.serverVersion, citusVersion: null }) : null;
  } catch {
    return null;
  }
}

async function readCatalog(db: Queryable, scope: CatalogScope): Promise<PostgresCatalog> {
  await assertSchemasExist(db, scope.schemas);
  const found = await resolveTables(db, scope.tables ?? [], scope.exclude, scope.missingTablesAllowed === true);
  const read = await db.query<{ row: string }>(CATALOG_SQL, [
    scope.schemas,
    scope.tables === null ? null : scope.tables.map((t) => t.schema),
    scope.tables === null ? null : scope.tables.map((t) => t.name),
    scope.exclude.map((t) => t.schema),
    scope.exclude.map((t) => t.name),
  ]);
  // The rows are the run's own to empty (a Queryable that hands out a frozen list gets it copied).
  const { sequences, untraced, serverRow } = foldCatalog(Object.isFrozen(read) ? [...read] : read);
  const server: ServerIdentity = { version: serverRow?.serverVersion ?? '', citusVersion: serverRow?.citusVersion ?? null };
  const refusal = unsupportedEngineError(server);
  if (refusal !== null) throw refusal;
  // A named partition or inheritance child is fed by the sequence of the ancestor whose MAX() covers its rows.
  // (Only tables named by the run are looked up: no set of every table fed is built otherwise.)
  const sequenced = new Set(found.length === 0 ? [] : sequences.flatMap((s) => s.uses.map((u) => u.tableOid)));
  const warned = new Set(untraced.map((row) => tableKey(row.tableSchema, row.tableName)));
  const tablesWithoutSequence = found
    .filter((t) => !t.lineage.some((oid) => sequenced.has(oid)) && !warned.has(tableKey(t.schema, t.table)))
    .map((t) => formatTableName({ schema: t.schema, name: t.table }));
  return {
    sequences, tablesWithoutSequence: [...new Set(tablesWithoutSequence)], lockCapacity: Number(serverRow?.lockCapacity ?? 0),
    inRecovery: serverRow?.inRecovery === true, warnings: untraced.map(untracedWarning), server,
  };
}

/** One catalog row from its JSON array (CATALOG_SQL), as an object named by CATALOG_COLUMNS. */
function decodeRow(text: string): RawUseRow {
  const values = JSON.parse(text) as unknown[];
  const row: Record<string, unknown> = {};
  CATALOG_COLUMNS.forEach((column, index) => { row[column] = values[index]; });
  return row as unknown as RawUseRow;
}

/** What a row about an untraced default says, naming the column and why no sequence was checked for it. */
function untracedWarning(row: RawUseRow): string {
  const column = `${row.tableSchema}.${row.tableName}.${row.columnName}`;
  const sequence = `${row.sequenceSchema}.${row.sequenceName}`;
  switch (row.warning) {
    case 'nextval':
      return `the default of ${column} calls nextval on a name resolved only when a row is inserted (${row.warningDetail}): `
        + 'seqsync cannot tell which sequence that is, so none was checked for this column; '
        + "name the sequence with its schema, nextval('schema.sequence'), so the catalog records it";
    case 'function':
      return `the default of ${column} calls ${row.warningDetail}, whose body records no sequence: seqsync cannot tell `
        + 'whether it hands out keys from one, so none was checked for this column';
    default:
      return `sequence ${sequence} feeds the default of ${row.warning} ${column}: seqsync does not read or lock a `
        + `${row.warning}'s rows, so ${sequence} was not checked against the rows inserted through it`;
  }
}

/**
 * The catalog's rows folded into one readonly object per sequence, emptying `rows` as it goes: at 100,000 tables the
 * rows are the run's largest allocation, and each is decoded only when its turn comes and let go of once read, rather
 * than all of them staying until the last sequence is built. Names, types and bounds repeat across rows (a schema's
 * name in each of its tables' rows, `id`, `integer`, START 1): each distinct one is kept once, since every sequence
 * stays in memory until its batch is done. The rows about untraced defaults and the one about the server are set apart.
 */
function foldCatalog(rows: { row: string }[]): { sequences: PostgresSequence[]; untraced: RawUseRow[]; serverRow: RawUseRow | null } {
  const texts = new Map<string, string>();
  const text = (value: string): string => {
    const known = texts.get(value);
    if (known !== undefined) return known;
    texts.set(value, value);
    return value;
  };
  const integers = new Map<string, bigint>();
  const integer = (value: string): bigint => {
    const known = integers.get(value);
    if (known !== undefined) return known;
    const parsed = BigInt(value);
    integers.set(value, parsed);
    return parsed;
  };
  // Most sequences of a database share one of a few shapes (START 1, INCREMENT 1, the type's range): one object each.
  const shapes = new Map<string, SequenceShape>();
  const shapeOf = (row: RawUseRow): SequenceShape => {
    const key = `${row.start} ${row.increment} ${row.minValue} ${row.maxValue}`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = Object.freeze({ start: integer(row.start), increment: integer(row.increment), minValue: integer(row.minValue),
        maxValue: integer(row.maxValue) });
      shapes.set(key, shape);
    }
    return shape;
  };
  // The rows come ordered by the sequence's schema and name, so a sequence's uses are next to each other (the rows about
  // untraced defaults between them are set apart): only the last sequence's list is ever added to.
  let last: { readonly oid: string; readonly uses: PostgresColumnUse[] } | null = null;
  const sequences: PostgresSequence[] = [];
  // Reversed, so that pop() takes them in the catalog's order and drops each from the list.
  const untraced: RawUseRow[] = [];
  let serverRow: RawUseRow | null = null;
  rows.reverse();
  for (let raw = rows.pop(); raw !== undefined; raw = rows.pop()) {
    const row = decodeRow(raw.row);
    if (row.serverVersion !== null) {
      serverRow = row;
      continue;
    }
    if (row.warning !== null) {
      untraced.push(row);
      continue;
    }
    const oid = String(row.sequenceOid);
    const use: PostgresColumnUse = {
      schema: text(row.tableSchema), table: text(row.tableName), column: text(row.columnName), kind: row.kind,
      tableOid: String(row.tableOid), attnum: Number(row.attnum), columnType: text(row.columnType),
      typeModifier: Number(row.typeModifier), lockWeight: Number(row.lockWeight), canReadTable: row.canReadTable,
      canLockTable: row.canLockTable, canUseSchema: row.canUseTableSchema, keyIndexed: row.keyIndexed, unlogged: row.unlogged,
    };
    if (last !== null && last.oid === oid) {
      last.uses.push(use);
      continue;
    }
    // A list made with its one element has room for that one: most sequences feed one column.
    const created = [use];
    last = { oid, uses: created };
    sequences.push({
      oid,
      schema: text(row.sequenceSchema),
      name: text(row.sequenceName),
      shape: shapeOf(row),
      cycle: row.cycle,
      uses: created,
      canRead: row.canReadSequence,
      canUpdate: row.canUpdateSequence,
      owned: row.ownsSequence,
      canUseSchema: row.canUseSequenceSchema,
      otherSessionTemporary: row.otherSessionTemporary,
    });
  }
  return { sequences, untraced, serverRow };
}

/**
 * Checks every name the user gave, included or excluded, in one round trip (none when no table is named) and
 * returns the included tables found.
 */
async function resolveTables(
  db: Queryable, included: readonly QualifiedName[], excluded: readonly QualifiedName[], missingAllowed: boolean,
): Promise<{ schema: string; table: string; lineage: readonly string[] }[]> {
  const named = [...included, ...excluded];
  if (named.length === 0) return [];
  const rows = await db.query<{ position: number; schema: string; table: string; lineage: string[] }>(RESOLVE_TABLES_SQL, [
    named.map((t) => t.schema),
    named.map((t) => t.name),
  ]);
  const matched = new Set(rows.map((r) => Number(r.position)));
  const error = unknownTablesError(
    included.filter((_, index) => !matched.has(index + 1)),
    excluded.filter((_, index) => !matched.has(included.length + index + 1)),
  );
  if (error !== null && !missingAllowed) throw error;
  return rows.filter((r) => Number(r.position) <= included.length);
}

async function assertSchemasExist(db: Queryable, schemas: readonly string[] | null): Promise<void> {
  if (schemas === null || schemas.length === 0) return;
  const rows = await db.query<{ schema: string }>(SCHEMAS_SQL, [schemas]);
  assertSchemasPresent(schemas, new Set(rows.map((r) => r.schema)));
}

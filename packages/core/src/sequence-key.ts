import type { Database } from './connect';
import type { Dialect, DuplicateKey } from './dialect';
import type { SequenceReport, TableName } from './types';
import type { QualifiedName } from './table-names';
import { resolveDatabase, parseUrl } from './connect';
import { adaptDriverObject, dialectNameForUrl, dialectNameOf, loadDialect } from './dialects';
import { formatTableName, parseTableName } from './table-names';
import { check } from './engine';

/**
 * A duplicate-key failure of an insert that the sequence behind the table's key caused: the violated constraint is the
 * table's primary key, that key is one column, and a sequence (owned, identity, a nextval default, a MariaDB SEQUENCE
 * default) feeds it — all as the catalog says, found by core's own catalog read (`check` on that one table).
 */
export interface SequenceKeyViolation {
  /** The constraint the error named: `users_pkey` (PostgreSQL), `PRIMARY` (MySQL/MariaDB). */
  readonly constraint: string;
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** The table as core's `tables` option takes it, schema-qualified: what a heal realigns. */
  readonly tableName: TableName;
  /** The sequence feeding the key, as `check` reports it now: `behind`, and where realign would move it. */
  readonly sequence: SequenceReport;
}

/** Error objects a driver's error may be wrapped in, looked through in order: the error itself first. */
const WRAPPING_DEPTH = 4;

/**
 * Decides, for the error of an insert into one of `tables` (the tables it inserted into without giving their key a
 * value), whether a sequence that fell behind caused it. Null for any other error: another unique constraint, a
 * composite or unsequenced key, a table not among `tables`, a database core cannot heal (SQLite).
 *
 * Reads the error's fields (PostgreSQL's 23505 with its `constraint`, `schema`, `table` — node-postgres and postgres.js
 * names — or MySQL/MariaDB's 1062 with its key), looking through the wrappers ORMs put around them (`cause`,
 * TypeORM's `driverError`); then the catalog, on `db`, for the primary key and the sequence feeding it.
 *
 * @example
 * try { await pool.query('INSERT INTO users (name) VALUES ($1)', ['Ada']); } catch (error) {
 *   const violation = await sequenceKeyViolation(pool, error, { tables: ['users'] });
 *   if (violation?.sequence.behind) await realign(pool, { tables: [violation.tableName] });
 * }
 */
export async function sequenceKeyViolation(
  db: Database, error: unknown, scope: { readonly tables: readonly TableName[] },
): Promise<SequenceKeyViolation | null> {
  const violation = await duplicateKeyIn(db, error);
  return violation === null ? null : sequenceKeyOf(db, violation, scope.tables.map(parseTableName));
}

/** The unique constraint `error` (or an error it wraps) reports violated, read as the database of `db` reports it. */
export async function duplicateKeyIn(db: Database, error: unknown): Promise<DuplicateKey | null> {
  if (error === null || typeof error !== 'object') return null;
  const dialect = await declaredDialect(db);
  if (dialect.duplicateKeyOf === undefined) return null;
  let current: unknown = error;
  for (let depth = 0; depth < WRAPPING_DEPTH && current !== null && typeof current === 'object'; depth += 1) {
    const found = dialect.duplicateKeyOf(current as object);
    if (found !== null) return found;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return null;
}

/** The catalog's answer for one reported violation: see {@link sequenceKeyViolation}. */
export async function sequenceKeyOf(
  db: Database, violation: DuplicateKey, tables: readonly QualifiedName[],
): Promise<SequenceKeyViolation | null> {
  const candidates = candidatesFor(violation, tables);
  if (candidates.length === 0) return null;
  const opened = await resolveDatabase(db);
  try {
    const key = await opened.dialect.primaryKeyColumn?.(opened.queryable, violation.constraint, candidates) ?? null;
    if (key === null) return null;
    const tableName = formatTableName({ schema: key.schema, name: key.table });
    const report = await check(opened.queryable, { tables: [tableName] });
    // A SQLite rowid is handed out past the data by SQLite itself: it cannot be what collided.
    const sequence = report.sequences.find((candidate) => candidate.uses.some((use) => use.kind !== 'rowid'
      && use.schema === key.schema && use.table === key.table && use.column === key.column));
    return sequence === undefined ? null : { constraint: violation.constraint, ...key, tableName, sequence };
  } finally {
    await opened.close();
  }
}

/**
 * The tables the violation can be on. When the driver names the table (node-postgres, postgres.js), only a table the
 * caller inserted into is kept, and its schema comes from the error: an insert a trigger made into another table is
 * not the caller's to heal. Without a name (MySQL/MariaDB), the catalog decides among the caller's tables.
 */
function candidatesFor(violation: DuplicateKey, tables: readonly QualifiedName[]): QualifiedName[] {
  if (violation.table === null) return [...tables];
  const sameSchema = (table: QualifiedName) => table.schema === null || violation.schema === null || table.schema === violation.schema;
  return tables
    .filter((table) => table.name === violation.table && sameSchema(table))
    .map((table) => ({ schema: table.schema ?? violation.schema, name: table.name }));
}

/**
 * The dialect a connection declares, without asking the server: an error is read the same way by MySQL's and
 * MariaDB's (one family), and a failed insert that is no duplicate key costs no round trip to tell.
 */
async function declaredDialect(db: Database): Promise<Dialect> {
  if (typeof db === 'string') return loadDialect(dialectNameForUrl(parseUrl(db)));
  const adapted = db !== null && (typeof db === 'object' || typeof db === 'function') ? await adaptDriverObject(db) : null;
  return loadDialect(dialectNameOf(adapted?.dialect));
}

import type { Casing, Column } from 'drizzle-orm';
import { SQL, Table, getTableColumns, getTableName, is } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { MySqlDialect, MySqlTable, getTableConfig as mysqlTableConfig } from 'drizzle-orm/mysql-core';
import { PgDialect, PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect, SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { SeqsyncError, formatTableName } from '@seqsync/core';

/** The database family of a Drizzle table, in drizzle-kit's words (`dialect` in drizzle.config.ts). */
export type DrizzleDialect = 'postgresql' | 'mysql' | 'sqlite';

/**
 * How a column's values come from a counter when an insert leaves them out, named after the Drizzle builder:
 * `serial()` / `smallserial()` / `bigserial()`, `.generatedAlwaysAsIdentity()`, `.generatedByDefaultAsIdentity()`,
 * `sequence` for a `.default(sql\`nextval('…')\`)` (a `pgSequence`, or a MariaDB `NEXT VALUE FOR …`),
 * `autoincrement` for MySQL's `.autoincrement()` / `serial()` and SQLite's `primaryKey({ autoIncrement: true })`,
 * `rowid` for a SQLite `integer().primaryKey()` (SQLite hands out max(rowid) + 1 itself: reported, never behind).
 */
export type SequenceStrategy =
  | 'serial' | 'smallserial' | 'bigserial'
  | 'generatedAlwaysAsIdentity' | 'generatedByDefaultAsIdentity'
  | 'sequence' | 'autoincrement' | 'rowid';

/** A column a counter feeds, named as it is in the database. */
export interface SequenceColumn {
  /** The column's name in the table: the name given to the builder, or the key after the db's `casing`. */
  readonly column: string;
  /** The key in the table object (`users.accountId`). */
  readonly property: string;
  readonly strategy: SequenceStrategy;
  readonly primary: boolean;
}

/** One table of the schema whose key a counter feeds. Like Django's `_meta`: what Drizzle knows, in database names. */
export interface SchemaTable {
  /** `pgSchema('billing')` / `mysqlSchema(…)`; null for a table in the connection's default schema. */
  readonly schema: string | null;
  readonly table: string;
  /** The table's key in the schema object (`schema.userAccounts`). */
  readonly property: string;
  readonly columns: readonly SequenceColumn[];
}

/** A table of the schema left out, and why: no counter feeds it, so nothing can fall behind (a report's `skipped`). */
export interface SkippedTable {
  readonly schema: string | null;
  readonly table: string;
  readonly property: string;
  readonly reason: string;
}

export interface SchemaTables {
  readonly dialect: DrizzleDialect;
  readonly tables: readonly SchemaTable[];
  readonly skipped: readonly SkippedTable[];
}

/** A Drizzle schema: what `drizzle(…, { schema })` takes, or `import * as schema`. Only its tables are read. */
export type DrizzleSchema = Readonly<Record<string, unknown>>;

/** The database name of a column: drizzle's own `CasingCache` (the db's, or one made for the `casing` asked for). */
export interface ColumnNamer {
  getColumnCasing(column: Column): string;
}

interface TableShape {
  readonly schema: string | null;
  readonly name: string;
  /** Each column under its key in the table object (getTableConfig lists the columns without their keys). */
  readonly columns: readonly (readonly [string, Column])[];
  readonly primaryKey: readonly Column[];
}

/** Per family: what it calls a table, how its config is read, and a dialect to render SQL defaults with. */
const families = {
  postgresql: { label: 'pgTable', config: pgTableConfig, render: new PgDialect() },
  mysql: { label: 'mysqlTable', config: mysqlTableConfig, render: new MySqlDialect() },
  sqlite: { label: 'sqliteTable', config: sqliteTableConfig, render: new SQLiteSyncDialect() },
} as const;

const PG_SERIAL_TYPES: Readonly<Record<string, SequenceStrategy>> = {
  PgSerial: 'serial',
  PgSmallSerial: 'smallserial',
  PgBigSerial53: 'bigserial',
  PgBigSerial64: 'bigserial',
};

/**
 * Reads a Drizzle schema's tables into those a counter feeds and those it does not, each with a reason. Relations,
 * enums, sequences, views and any other export of a schema module are not tables, and are passed over.
 *
 * @example
 * import * as schema from './db/schema';
 * const { tables, skipped } = describeSchema(schema, { casing: 'snake_case' });
 * // tables[0] → { schema: null, table: 'UserAccount', property: 'userAccounts',
 * //               columns: [{ column: 'account_id', property: 'accountId', strategy: 'generatedByDefaultAsIdentity', … }] }
 */
export function describeSchema(schema: DrizzleSchema, options: { readonly casing?: Casing } = {}): SchemaTables {
  return describeTables(schema, new CasingCache(options.casing), null);
}

/** {@link describeSchema} with the db's own column namer, and the family the db's tables must be of (null: any one). */
export function describeTables(schema: DrizzleSchema, namer: ColumnNamer, expected: DrizzleDialect | null): SchemaTables {
  const entries = tablesOf(schema);
  const dialect = expected ?? entries[0]?.dialect ?? 'postgresql';
  const foreign = entries.filter((entry) => entry.dialect !== dialect);
  if (foreign.length > 0) {
    const names = foreign.map((entry) => `${entry.property} (a ${families[entry.dialect].label})`).join(', ');
    throw new SeqsyncError('INVALID_OPTION', expected === null
      ? `the schema mixes ${families[dialect].label}s with ${names}: describe one database's schema at a time`
      : `the schema's ${names} cannot be realigned on a ${dialect} database, whose tables are ${families[dialect].label}s`);
  }
  const tables: SchemaTable[] = [];
  const skipped: SkippedTable[] = [];
  for (const entry of entries) {
    const described = describeTable(entry.property, shapeOf(entry.table, entry.dialect), dialect, namer);
    if ('reason' in described) skipped.push(described);
    else tables.push(described);
  }
  return { dialect, tables, skipped };
}

/** The tables of a schema object, in its key order, each with its key and family. */
export function tablesOf(schema: DrizzleSchema): { property: string; table: Table; dialect: DrizzleDialect }[] {
  if (schema === null || typeof schema !== 'object') {
    throw new SeqsyncError('INVALID_OPTION', 'schema must be the object given to drizzle(…, { schema }), or `import * as schema`');
  }
  const found: { property: string; table: Table; dialect: DrizzleDialect }[] = [];
  for (const [property, value] of Object.entries(schema)) {
    // drizzle's is() reads the constructor of any object's prototype: one without (Object.create(null), a module
    // namespace re-exported with `export * as`) would throw a TypeError, and is no table.
    if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) === null || !is(value, Table)) continue;
    const dialect = dialectOfTable(value);
    if (dialect === null) {
      throw new SeqsyncError('UNSUPPORTED_DATABASE',
        `schema.${property} is a table of a database seqsync does not realign: expected pgTable, mysqlTable or sqliteTable`);
    }
    found.push({ property, table: value, dialect });
  }
  return found;
}

export function dialectOfTable(table: Table): DrizzleDialect | null {
  if (is(table, PgTable)) return 'postgresql';
  if (is(table, MySqlTable)) return 'mysql';
  if (is(table, SQLiteTable)) return 'sqlite';
  return null;
}

/** A table's name, qualified as core's `tables` option reads it (`formatTableName` quotes only what core would split). */
export function tableNameOf(table: { readonly schema: string | null; readonly table: string }): string {
  return formatTableName({ schema: table.schema, name: table.table });
}

/** How error messages name a table object: `billing.invoices`, or `users`. */
export function labelOf(table: Table): string {
  const dialect = dialectOfTable(table);
  const schema = dialect === null ? null : shapeOf(table, dialect).schema;
  return tableNameOf({ schema, table: getTableName(table) });
}

function shapeOf(table: Table, dialect: DrizzleDialect): TableShape {
  const read = families[dialect].config as (table: Table) => {
    name: string; schema?: string; columns: Column[]; primaryKeys: { columns: Column[] }[];
  };
  const config = read(table);
  const composite = config.primaryKeys.flatMap((key) => key.columns);
  const primaryKey = [...config.columns.filter((column) => column.primary), ...composite];
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  return { schema: config.schema ?? null, name: config.name, columns, primaryKey };
}

function describeTable(property: string, shape: TableShape, dialect: DrizzleDialect, namer: ColumnNamer): SchemaTable | SkippedTable {
  const soleKey = shape.primaryKey.length === 1 ? shape.primaryKey[0] : null;
  const columns: SequenceColumn[] = [];
  for (const [key, column] of shape.columns) {
    const strategy = strategyOf(column, dialect, column === soleKey);
    if (strategy === null) continue;
    columns.push({ column: namer.getColumnCasing(column), property: key, strategy, primary: shape.primaryKey.includes(column) });
  }
  if (columns.length > 0) return { schema: shape.schema, table: shape.name, property, columns };
  return { schema: shape.schema, table: shape.name, property, reason: whyNoCounter(shape.primaryKey, dialect, namer) };
}

function strategyOf(column: Column, dialect: DrizzleDialect, soleKey: boolean): SequenceStrategy | null {
  const details = column as Column & { generatedIdentity?: { type?: string }; autoIncrement?: boolean };
  if (dialect === 'postgresql') {
    if (details.generatedIdentity?.type === 'always') return 'generatedAlwaysAsIdentity';
    if (details.generatedIdentity?.type === 'byDefault') return 'generatedByDefaultAsIdentity';
    const serial = PG_SERIAL_TYPES[column.columnType];
    if (serial !== undefined) return serial;
  } else if (details.autoIncrement === true) {
    return 'autoincrement';
  }
  if (defaultCallsSequence(column, dialect)) return 'sequence';
  // Only a column declared exactly INTEGER and the whole key is an alias of SQLite's rowid.
  if (dialect === 'sqlite' && soleKey && column.getSQLType().toLowerCase() === 'integer') return 'rowid';
  return null;
}

/** `nextval('…')` (PostgreSQL, MariaDB) or `NEXT VALUE FOR …` (MariaDB) in a SQL default: a sequence feeds the column. */
function defaultCallsSequence(column: Column, dialect: DrizzleDialect): boolean {
  if (!is(column.default, SQL)) return false;
  const text = families[dialect].render.sqlToQuery(column.default).sql;
  return /\bnextval\s*\(|\bnext\s+value\s+for\b/i.test(text);
}

function whyNoCounter(primaryKey: readonly Column[], dialect: DrizzleDialect, namer: ColumnNamer): string {
  const names = primaryKey.map((column) => namer.getColumnCasing(column));
  if (primaryKey.length === 0) return 'no primary key, and no column a counter feeds';
  if (primaryKey.length > 1) return `composite primary key (${names.join(', ')}) with no column a counter feeds: nothing to realign`;
  const [key] = primaryKey;
  const type = key.getSQLType();
  if (/uuid/i.test(type) || key.columnType.endsWith('UUID')) {
    return `primary key ${names[0]} is a uuid${key.hasDefault ? ' generated by the database' : ''}: no counter to realign`;
  }
  const counters = dialect === 'postgresql' ? 'serial, identity or nextval default' : dialect === 'mysql'
    ? 'autoincrement or sequence default' : 'integer rowid';
  return `primary key ${names[0]} (${type}) has no ${counters}: the application assigns it, no counter to realign`;
}

import type { Queryable } from '../../types';
import type { QualifiedName } from '../../table-names';
import type { CatalogScope } from '../../dialect';
import { assertSchemasPresent, compareText, formatTableName, tableKey, unknownTablesError } from '../../table-names';
import { bigIntOrNull } from '../../sequence-math';
import { createTableKeywords, qualifiedName, quoteIdent, quoteLiteral, sqlInteger } from './sqlite-sql';

/**
 * A table whose INTEGER PRIMARY KEY is its rowid. `autoincrement`: SQLite keeps a high-water mark in
 * sqlite_sequence and never hands out an id at or below it, so that row can be behind (restore, hand
 * edit) or left high (deletes). Without AUTOINCREMENT every insert gets max(rowid)+1: nothing to realign.
 */
export interface SqliteTable {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly autoincrement: boolean;
}

export interface SqliteCatalog {
  readonly tables: readonly SqliteTable[];
  readonly tablesWithoutSequence: readonly string[];
}

export interface SqliteLiveState {
  /** The sqlite_sequence value; null when the table has no row there. */
  readonly sequenceValue: bigint | null;
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
}

interface RawTableRow {
  schemaName: string; tableName: string; sql: string | null; columnName: string | null; columnType: string | null; pk: number | null;
}
export interface RawLiveRow { ref: number; first: string | null; second: string | null }

/** Reads the schema in two in-process queries: the attached databases, then every table's key columns. */
export async function loadCatalog(db: Queryable, scope: CatalogScope): Promise<SqliteCatalog> {
  const attached = (await db.query<{ name: string }>(`SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq`))
    .map((r) => r.name);
  assertSchemasPresent(scope.schemas, new Set(attached));
  const schemas = scope.schemas ?? attached;
  const rows = schemas.length === 0 ? [] : await db.query<RawTableRow>(schemas.map((schema) => `
SELECT ${quoteLiteral(schema)} AS schemaName, m.name AS tableName, m.sql AS sql, p.name AS columnName, p.type AS columnType, p.pk AS pk
FROM ${quoteIdent(schema)}.sqlite_master m
LEFT JOIN pragma_table_info(m.name, ${quoteLiteral(schema)}) p ON p.pk > 0
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.sql NOT LIKE 'CREATE VIRTUAL%'`).join('\nUNION ALL\n'));
  const byTable = new Map<string, RawTableRow[]>();
  for (const row of rows) {
    byTable.set(tableKey(row.schemaName, row.tableName), [...(byTable.get(tableKey(row.schemaName, row.tableName)) ?? []), row]);
  }
  const all: { schema: string; table: string; rowid: SqliteTable | null }[] = [];
  for (const tableRows of byTable.values()) {
    const [first] = tableRows;
    const keys = tableRows.filter((r) => r.columnName !== null);
    const keywords = createTableKeywords(first.sql ?? '');
    // Only a single-column key declared exactly INTEGER is an alias for the rowid (and may carry AUTOINCREMENT).
    const isRowid = keys.length === 1 && (keys[0].columnType ?? '').toUpperCase() === 'INTEGER' && !keywords.withoutRowid;
    all.push({
      schema: first.schemaName, table: first.tableName,
      rowid: isRowid
        ? { schema: first.schemaName, table: first.tableName, column: keys[0].columnName!, autoincrement: keywords.autoincrement }
        : null,
    });
  }
  const inScope = (schema: string, table: string) =>
    !scope.exclude.some((name) => matches(name, schema, table))
    && (scope.tables === null || scope.tables.some((name) => matches(name, schema, table)));
  const named = scope.tables ?? [];
  const unknown = named.filter((name) => !all.some((t) => matches(name, t.schema, t.table)));
  const unknownExcluded = scope.exclude.filter((name) => !all.some((t) => matches(name, t.schema, t.table)));
  const error = unknownTablesError(unknown, unknownExcluded);
  if (error !== null && scope.missingTablesAllowed !== true) throw error;
  const selected = all.filter((t) => inScope(t.schema, t.table));
  return {
    tables: selected.flatMap((t) => (t.rowid === null ? [] : [t.rowid]))
      .sort((a, b) => compareText(tableKey(a.schema, a.table), tableKey(b.schema, b.table))),
    tablesWithoutSequence: named.length === 0
      ? []
      : selected.filter((t) => t.rowid === null).map((t) => formatTableName({ schema: t.schema, name: t.table })),
  };
}

/**
 * One statement reading every table's MAX/MIN key and sqlite_sequence row. A multi-row VALUES of scalar
 * subqueries rather than a UNION ALL, which SQLite caps at 500 terms (SQLITE_MAX_COMPOUND_SELECT).
 * Values come back as text: better-sqlite3 returns JavaScript numbers, which round past 2^53.
 */
export function liveStateSql(tables: readonly SqliteTable[]): string {
  const rows = tables.flatMap((table, index) => {
    const column = quoteIdent(table.column);
    const name = qualifiedName(table.schema, table.table);
    const data = `(${sqlInteger(index * 2)}, (SELECT CAST(max(${column}) AS TEXT) FROM ${name}), `
      + `(SELECT CAST(min(${column}) AS TEXT) FROM ${name}))`;
    if (!table.autoincrement) return [data];
    return [data, `(${sqlInteger(index * 2 + 1)}, (SELECT CAST(max(seq) AS TEXT) FROM ${quoteIdent(table.schema)}.sqlite_sequence `
      + `WHERE name = ${quoteLiteral(table.table)}), NULL)`];
  });
  return `SELECT column1 AS ref, column2 AS first, column3 AS second FROM (VALUES\n  ${rows.join(',\n  ')}\n)`;
}

export function readLiveState(tables: readonly SqliteTable[], rows: readonly RawLiveRow[]): SqliteLiveState[] {
  const byRef = new Map(rows.map((row) => [Number(row.ref), row]));
  return tables.map((_, index) => {
    const data = byRef.get(index * 2);
    const sequence = byRef.get(index * 2 + 1);
    return {
      sequenceValue: bigIntOrNull(sequence?.first ?? null),
      dataMax: bigIntOrNull(data?.first ?? null),
      dataMin: bigIntOrNull(data?.second ?? null),
    };
  });
}

function matches(name: QualifiedName, schema: string, table: string): boolean {
  return name.name === table && (name.schema === null || name.schema === schema);
}

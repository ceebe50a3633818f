/**
 * The read-only catalog and live-state SQL for MySQL and MariaDB, kept apart from the code that runs it.
 *
 * Counters are found from information_schema, never from names:
 *  - a column whose EXTRA holds `auto_increment` (one per table; the counter is the table's AUTO_INCREMENT);
 *  - on MariaDB, a column whose default draws from a SEQUENCE (`nextval(...)` / `NEXT VALUE FOR`), with the
 *    sequence itself listed as a table of type SEQUENCE. MySQL has no sequences, so those rows never appear there.
 * Every text column is converted to utf8mb4: information_schema columns carry mixed utf8mb3 collations, and
 * UNION refuses to mix them on MySQL 8.
 */
import { placeholders, qualifiedName, quoteIdent, sqlInteger, textLiteral } from './mysql-sql';

const SYSTEM_SCHEMAS = `('mysql', 'information_schema', 'performance_schema', 'sys')`;
const text = (expression: string): string => `CONVERT(${expression} USING utf8mb4)`;

/** The catalog query and its parameters: one round trip, whatever the number of tables. */
export function catalogStatement(
  schemas: readonly string[] | null, tableNames: readonly string[] | null,
): { sql: string; params: string[] } {
  const params: string[] = [];
  const schemaFilter = (column: string): string => {
    if (schemas === null) return `${column} NOT IN ${SYSTEM_SCHEMAS}`;
    params.push(...schemas);
    return `${column} IN (${placeholders(schemas.length)})`;
  };
  const parts = [
    `SELECT 'column' AS rowKind, ${text('c.TABLE_SCHEMA')} AS tableSchema, ${text('c.TABLE_NAME')} AS tableName,
       ${text('c.COLUMN_NAME')} AS columnName, ${text('c.DATA_TYPE')} AS dataType, ${text('c.COLUMN_TYPE')} AS columnType,
       ${text('c.EXTRA')} AS extra, ${text('c.COLUMN_DEFAULT')} AS columnDefault
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
WHERE ${schemaFilter('c.TABLE_SCHEMA')}
  AND (c.EXTRA LIKE '%auto_increment%' OR c.COLUMN_DEFAULT LIKE 'nextval(%' OR c.COLUMN_DEFAULT LIKE 'next value for %')`,
    // Sequences anywhere: a default may draw from a sequence in another database.
    `SELECT 'sequence', ${text('TABLE_SCHEMA')}, ${text('TABLE_NAME')}, NULL, NULL, NULL, NULL, NULL
FROM information_schema.TABLES WHERE TABLE_TYPE = 'SEQUENCE'`,
    `SELECT 'server', ${text('VERSION()')}, ${text('DATABASE()')}, ${text('CAST(@@SESSION.auto_increment_increment AS CHAR)')},
       ${text('CAST(@@SESSION.auto_increment_offset AS CHAR)')}, NULL, NULL, NULL`,
  ];
  if (tableNames !== null && tableNames.length > 0) {
    params.push(...tableNames);
    parts.push(`SELECT 'table', ${text('TABLE_SCHEMA')}, ${text('TABLE_NAME')}, NULL, NULL, NULL, NULL, NULL
FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN (${placeholders(tableNames.length)})`);
  }
  if (schemas !== null && schemas.length > 0) {
    params.push(...schemas);
    parts.push(`SELECT 'schema', ${text('SCHEMA_NAME')}, NULL, NULL, NULL, NULL, NULL, NULL
FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${placeholders(schemas.length)})`);
  }
  return { sql: parts.join('\nUNION ALL\n'), params };
}

/** What the live-state query reads, in the order of its rows' `ref` numbers. */
export type LiveRead =
  | {
    readonly kind: 'column'; readonly schema: string; readonly table: string; readonly column: string;
    /** The MariaDB sequence feeding the column: its extremes are also read within the sequence's bounds. */
    readonly sequence?: { readonly schema: string; readonly name: string };
  }
  | { readonly kind: 'auto_increment'; readonly schema: string; readonly table: string }
  | { readonly kind: 'sequence'; readonly schema: string; readonly name: string };

/**
 * One statement reading every column's MAX/MIN, every table's AUTO_INCREMENT and every sequence's stored
 * state for a batch. Written without bind parameters (identifiers quoted, names as hex literals, refs as
 * integers) so it can travel in a script. `locking` adds FOR UPDATE to the column reads: under REPEATABLE
 * READ InnoDB then holds a next-key lock on the highest (and lowest) key, so no session can insert past the
 * data until the transaction ends — readers go on, inserts of ids between existing ones go on too.
 */
export function liveStateSql(reads: readonly LiveRead[], locking: boolean): string {
  return reads.map((read, ref) => {
    const id = sqlInteger(ref);
    if (read.kind === 'column') {
      const column = quoteIdent(read.column);
      const table = qualifiedName(read.schema, read.table);
      // A key beyond the sequence's MAXVALUE (descending: MINVALUE) is one it never hands out: third and fourth are
      // the extremes it can reach. The bounds come from the sequence row itself, so the read needs no second trip.
      const reach = (extreme: 'MAX' | 'MIN', operator: '<=' | '>=', bound: string): string => (read.sequence === undefined
        ? 'NULL'
        : `(SELECT CAST(${extreme}(${column}) AS CHAR) FROM ${table} WHERE ${column} ${operator} `
          + `(SELECT ${bound} FROM ${qualifiedName(read.sequence.schema, read.sequence.name)}))`);
      return `(SELECT ${id} AS ref, CAST(MAX(${column}) AS CHAR) AS first, CAST(MIN(${column}) AS CHAR) AS second, `
        + `${reach('MAX', '<=', 'maximum_value')} AS third, ${reach('MIN', '>=', 'minimum_value')} AS fourth
 FROM ${table}${locking ? ' FOR UPDATE' : ''})`;
    }
    if (read.kind === 'auto_increment') {
      return `(SELECT ${id} AS ref, CAST(AUTO_INCREMENT AS CHAR) AS first, NULL AS second, NULL AS third, NULL AS fourth `
        + `FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = ${textLiteral(read.schema)} AND TABLE_NAME = ${textLiteral(read.table)})`;
    }
    return `(SELECT ${id} AS ref, CAST(next_not_cached_value AS CHAR) AS first, CAST(cache_size AS CHAR) AS second,
   CONCAT_WS(',', start_value, increment, minimum_value, maximum_value) AS third, CONCAT_WS(',', cycle_option, cycle_count) AS fourth
 FROM ${qualifiedName(read.schema, read.name)})`;
  }).join('\nUNION ALL\n');
}

import type { Queryable } from '../../types';
import type { KeyColumn } from '../../dialect';
import type { QualifiedName } from '../../table-names';

/**
 * A table's primary key columns, from information_schema.STATISTICS: the table is looked up in the connection's
 * database when its name has no schema (a MySQL schema is a database), as the failed insert found it.
 */
const PRIMARY_KEY_COLUMNS = `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS \`table\`, MIN(COLUMN_NAME) AS \`column\`,
  CAST(COUNT(*) AS CHAR) AS \`columns\`
FROM information_schema.STATISTICS
WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?
GROUP BY TABLE_SCHEMA, TABLE_NAME`;

/**
 * The table among `tables` whose primary key is `constraint` and one column. MySQL and MariaDB name every primary key
 * PRIMARY, so any other key name is a unique index and answers null without a query; one round trip per table.
 */
export async function mysqlPrimaryKeyColumn(
  db: Queryable, constraint: string, tables: readonly QualifiedName[],
): Promise<KeyColumn | null> {
  if (constraint !== 'PRIMARY') return null;
  for (const table of tables) {
    const [row] = await db.query<KeyColumn & { columns: unknown }>(PRIMARY_KEY_COLUMNS, [table.schema, table.name]);
    if (row !== undefined && Number(row.columns) === 1) return { schema: row.schema, table: row.table, column: row.column };
  }
  return null;
}

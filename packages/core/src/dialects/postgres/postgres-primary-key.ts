import type { Queryable } from '../../types';
import type { KeyColumn } from '../../dialect';
import type { QualifiedName } from '../../table-names';

/**
 * The table among `$2`/`$3` (schemas, names; a null schema: the table the search path finds, as the failed insert
 * found it) whose primary key (contype 'p') is the constraint `$1` and has exactly one column. By the catalog, not by
 * the constraint's name: `users_pkey` is only PostgreSQL's default name, and a unique constraint may be named so too.
 * Functions and operators are schema-qualified, and names compared as text of one collation, as in the catalog read.
 */
const PRIMARY_KEY_COLUMN = `SELECT n.nspname::pg_catalog.text AS "schema", c.relname::pg_catalog.text AS "table",
  a.attname::pg_catalog.text AS "column"
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.=) k.conkey[1]
JOIN ROWS FROM (pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.text[])) AS f(schema_name, table_name)
  ON f.table_name OPERATOR(pg_catalog.=) c.relname::pg_catalog.text
  AND CASE WHEN f.schema_name IS NULL THEN pg_catalog.pg_table_is_visible(c.oid)
      ELSE f.schema_name OPERATOR(pg_catalog.=) n.nspname::pg_catalog.text END
WHERE k.contype OPERATOR(pg_catalog.=) 'p'::pg_catalog."char"
  AND k.conname OPERATOR(pg_catalog.=) $1::pg_catalog.name
  AND pg_catalog.array_length(k.conkey, 1) OPERATOR(pg_catalog.=) 1
LIMIT 1`;

/** One round trip: see {@link PRIMARY_KEY_COLUMN}. */
export async function postgresPrimaryKeyColumn(
  db: Queryable, constraint: string, tables: readonly QualifiedName[],
): Promise<KeyColumn | null> {
  if (tables.length === 0) return null;
  const [row] = await db.query<KeyColumn>(PRIMARY_KEY_COLUMN, [constraint, tables.map((t) => t.schema), tables.map((t) => t.name)]);
  return row === undefined ? null : { schema: row.schema, table: row.table, column: row.column };
}

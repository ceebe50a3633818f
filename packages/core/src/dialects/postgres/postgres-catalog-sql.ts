/**
 * The read-only catalog queries. Kept apart from the code that runs them so the SQL reads as one piece.
 *
 * Sequences are found from dependencies, never from names:
 *  - pg_depend 'a' (OWNED BY, what serial creates) and 'i' (identity columns) from sequence to column;
 *  - pg_depend 'n' from a column default (pg_attrdef) to a sequence: `nextval('seq')` without ownership,
 *    including one sequence shared by several tables.
 * Shaped for thousands of tables: pg_class is joined inside each pg_depend branch, where the planner has
 * statistics, and scope is a window over one pass rather than a self-join — CTE scans carry no row
 * estimates and a join against one became a nested loop (measured: 115 s for 5,000 tables).
 * Each row also carries the size of the shared lock table (max_locks_per_transaction × connections),
 * so batches can be sized to never run a transaction out of it.
 */
export const CATALOG_SQL = `
WITH uses AS MATERIALIZED (
  SELECT found.seq_oid, found.rel_oid, found.attnum, min(found.kind_rank) AS kind_rank
  FROM (
    SELECT d.objid AS seq_oid, d.refobjid AS rel_oid, d.refobjsubid::int2 AS attnum,
           CASE d.deptype WHEN 'i' THEN 1 ELSE 2 END AS kind_rank
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    WHERE d.classid = 'pg_catalog.pg_class'::regclass
      AND d.refclassid = 'pg_catalog.pg_class'::regclass
      AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
    UNION ALL
    SELECT d.refobjid, ad.adrelid, ad.adnum, 3
    FROM pg_catalog.pg_attrdef ad
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = ad.oid
     AND d.refclassid = 'pg_catalog.pg_class'::regclass
    JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
  ) found
  GROUP BY found.seq_oid, found.rel_oid, found.attnum
),
tree_uses AS MATERIALIZED (
  SELECT u.seq_oid, u.rel_oid, u.attnum, u.kind_rank,
         (CASE WHEN $1::text[] IS NULL
               THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
               ELSE n.nspname = ANY ($1::text[]) END)
         AND ($2::text[] IS NULL OR EXISTS (
           SELECT 1 FROM unnest($2::text[], $3::text[]) AS f(schema_name, table_name)
           WHERE f.table_name = t.relname AND (f.schema_name IS NULL OR f.schema_name = n.nspname)))
         AND NOT EXISTS (
           SELECT 1 FROM unnest($4::text[], $5::text[]) AS f(schema_name, table_name)
           WHERE f.table_name = t.relname AND (f.schema_name IS NULL OR f.schema_name = n.nspname)) AS in_scope
  FROM uses u
  JOIN pg_catalog.pg_class t ON t.oid = u.rel_oid AND t.relkind IN ('r', 'p')
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = u.rel_oid AND a.attnum = u.attnum AND NOT a.attisdropped
  -- MAX() over a partitioned table covers its partitions, which carry copies of the parent's default.
  WHERE NOT (t.relispartition AND EXISTS (
    SELECT 1 FROM pg_catalog.pg_partition_ancestors(u.rel_oid) anc
    JOIN uses parent ON parent.rel_oid = anc.relid AND parent.seq_oid = u.seq_oid
    WHERE anc.relid <> u.rel_oid))
),
-- A sequence is in scope when any table it feeds is; then every table it feeds counts towards its target.
scoped AS (
  SELECT u.*, bool_or(u.in_scope) OVER (PARTITION BY u.seq_oid) AS sequence_in_scope FROM tree_uses u
)
SELECT u.seq_oid::int8 AS "sequenceOid",
       sn.nspname AS "sequenceSchema", s.relname AS "sequenceName",
       ps.seqstart::text AS "start", ps.seqincrement::text AS "increment",
       ps.seqmin::text AS "minValue", ps.seqmax::text AS "maxValue", ps.seqcycle AS "cycle",
       u.rel_oid::int8 AS "tableOid", tn.nspname AS "tableSchema", t.relname AS "tableName",
       u.attnum AS "attnum", a.attname AS "columnName",
       pg_catalog.format_type(COALESCE(NULLIF(ty.typbasetype, 0), a.atttypid), NULL) AS "columnType",
       CASE u.kind_rank WHEN 1 THEN 'identity' WHEN 2 THEN 'owned' ELSE 'default' END AS "kind",
       -- locks reading this table takes: itself and every index the planner opens, and the same again for
       -- each partition or inheritance child that LOCK and MAX() reach
       (CASE WHEN t.relkind = 'p' OR t.relhassubclass
             THEN (SELECT count(*) + sum((SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = d.relid))
                   FROM (SELECT relid FROM pg_catalog.pg_partition_tree(u.rel_oid)
                         UNION SELECT u.rel_oid
                         UNION SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent = u.rel_oid) d)
             ELSE 1 + (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = u.rel_oid) END)::int
         AS "lockWeight",
       pg_catalog.has_sequence_privilege(u.seq_oid, 'SELECT') AS "canReadSequence",
       pg_catalog.has_sequence_privilege(u.seq_oid, 'UPDATE') AS "canUpdateSequence",
       pg_catalog.has_table_privilege(u.rel_oid, 'SELECT') AS "canReadTable",
       pg_catalog.has_table_privilege(u.rel_oid, 'UPDATE, DELETE, TRUNCATE') AS "canLockTable",
       (current_setting('max_locks_per_transaction')::int8
        * (current_setting('max_connections')::int8 + current_setting('max_prepared_transactions')::int8))::int8
         AS "lockCapacity"
FROM scoped u
JOIN pg_catalog.pg_class s ON s.oid = u.seq_oid
JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = u.seq_oid
JOIN pg_catalog.pg_class t ON t.oid = u.rel_oid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = u.rel_oid AND a.attnum = u.attnum
JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
WHERE u.sequence_in_scope
ORDER BY sn.nspname, s.relname, tn.nspname, t.relname, a.attname`;

/** Which named tables exist at all, to tell "unknown table" from "table without a sequence". */
export const RESOLVE_TABLES_SQL = `
SELECT f.ordinality::int AS "position", n.nspname AS "schema", c.relname AS "table"
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS f(schema_name, table_name, ordinality)
JOIN pg_catalog.pg_class c ON c.relname = f.table_name AND c.relkind IN ('r', 'p')
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE f.schema_name IS NULL OR f.schema_name = n.nspname`;

export const SCHEMAS_SQL = `SELECT nspname AS "schema" FROM pg_catalog.pg_namespace WHERE nspname = ANY ($1::text[])`;

/**
 * Live state for one batch, one row per column a sequence feeds: the data's extreme on the side the sequence
 * moves towards (MAX ascending, MIN descending — reading both doubles the index probes) and the sequence's own
 * `last_value`/`is_called`, in a single statement per column. query_to_xml runs a statement built server-side
 * by format(%I) and regclass output — the names never pass through client code — which keeps each query tiny
 * instead of one giant UNION ALL the planner chokes on. The values are integers, so a regular expression
 * lifts them out without needing libxml.
 */
export function liveStateSql(sequenceOids: string, tableOids: string, attnums: string, descending: string): string {
  return `
SELECT u.seq_oid::int8 AS "sequenceOid", u.rel_oid::int8 AS "tableOid", u.attnum AS "attnum",
       substring(x.doc FROM '<extreme>(-?[0-9]+)</extreme>') AS "extreme",
       substring(x.doc FROM '<last_value>(-?[0-9]+)</last_value>') AS "lastValue",
       substring(x.doc FROM '<is_called>(true|false)</is_called>') AS "isCalled"
FROM unnest(${sequenceOids}, ${tableOids}, ${attnums}, ${descending}) AS u(seq_oid, rel_oid, attnum, descending)
JOIN pg_catalog.pg_attribute a ON a.attrelid = u.rel_oid AND a.attnum = u.attnum
CROSS JOIN LATERAL (SELECT pg_catalog.query_to_xml(pg_catalog.format(
  'SELECT (SELECT %s(%I) FROM %s)::text AS extreme, last_value::text AS last_value, is_called FROM %s',
  CASE WHEN u.descending THEN 'min' ELSE 'max' END, a.attname, u.rel_oid::regclass, u.seq_oid::regclass),
  false, true, '')::text AS doc) x`;
}

/**
 * The read-only catalog queries. Kept apart from the code that runs them so the SQL reads as one piece.
 *
 * Sequences are found from dependencies, never from names:
 *  - pg_depend 'a' (OWNED BY, what serial creates) and 'i' (identity columns) from sequence to column;
 *  - pg_depend 'n' from a column default (pg_attrdef) to a sequence: `nextval('seq')` without ownership,
 *    including one sequence shared by several tables.
 * Shaped for thousands of tables: pg_class is joined inside each pg_depend branch, where the planner has
 * statistics, and scope is a window over one pass rather than a self-join — CTE scans carry no row
 * estimates and a join against one became a nested loop (measured: 115 s for 5,000 tables). Each catalog row
 * is looked up once and its names carried along: joining pg_class, pg_namespace and pg_attribute again at
 * the end cost a third of the query at 10,000 tables.
 * Every function and type is named with its schema, and every comparison is between values of one type: another
 * role's `unnest(text[])`, `cardinality(text[])` or `=(oid, regclass)` in a schema on the search path would be a
 * better match than pg_catalog's polymorphic or coercing ones, and run as the caller.
 * Each row also carries the size of the shared lock table (max_locks_per_transaction × connections),
 * so batches can be sized to never run a transaction out of it.
 */
export const CATALOG_SQL = `
WITH uses AS MATERIALIZED (
  SELECT found.seq_oid, found.seq_name, found.seq_namespace, found.rel_oid, found.attnum, pg_catalog.min(found.kind_rank) AS kind_rank
  FROM (
    SELECT d.objid AS seq_oid, s.relname AS seq_name, s.relnamespace AS seq_namespace,
           d.refobjid AS rel_oid, d.refobjsubid::pg_catalog.int2 AS attnum,
           CASE d.deptype WHEN 'i' THEN 1 ELSE 2 END AS kind_rank
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
      AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
    UNION ALL
    SELECT d.refobjid, s.relname, s.relnamespace, ad.adrelid, ad.adnum, 3
    FROM pg_catalog.pg_attrdef ad
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid AND d.objid = ad.oid
     AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
    JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
  ) found
  GROUP BY found.seq_oid, found.seq_name, found.seq_namespace, found.rel_oid, found.attnum
),
tree_uses AS MATERIALIZED (
  SELECT u.seq_oid, u.seq_name, u.seq_namespace, u.rel_oid, u.attnum, u.kind_rank,
         n.nspname AS table_schema, t.relname AS table_name, a.attname AS column_name, a.atttypid AS type_oid,
         t.relkind, t.relhassubclass, t.relpersistence,
         (CASE WHEN $1::pg_catalog.text[] IS NULL
               THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND NOT pg_catalog.starts_with(n.nspname, 'pg_toast') AND NOT pg_catalog.starts_with(n.nspname, 'pg_temp_')
               ELSE n.nspname = ANY ($1::pg_catalog.text[]) END)
         AND ($2::pg_catalog.text[] IS NULL OR EXISTS (
           SELECT 1 FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.text[]))
             AS f(schema_name, table_name)
           WHERE f.table_name = t.relname AND (f.schema_name IS NULL OR f.schema_name = n.nspname)))
         AND (pg_catalog.cardinality($4::pg_catalog.text[]) = 0 OR NOT EXISTS (
           SELECT 1 FROM ROWS FROM (pg_catalog.unnest($4::pg_catalog.text[]), pg_catalog.unnest($5::pg_catalog.text[]))
             AS f(schema_name, table_name)
           WHERE f.table_name = t.relname AND (f.schema_name IS NULL OR f.schema_name = n.nspname))) AS in_scope
  FROM uses u
  JOIN pg_catalog.pg_class t ON t.oid = u.rel_oid AND t.relkind IN ('r', 'p')
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = u.rel_oid AND a.attnum = u.attnum AND NOT a.attisdropped
  -- MAX() over a partitioned table covers its partitions, which carry copies of the parent's default.
  WHERE NOT (t.relispartition AND EXISTS (
    SELECT 1 FROM pg_catalog.pg_partition_ancestors(u.rel_oid) anc
    JOIN uses parent ON parent.rel_oid = anc.relid::pg_catalog.oid AND parent.seq_oid = u.seq_oid
    WHERE anc.relid::pg_catalog.oid <> u.rel_oid))
),
-- A sequence is in scope when any table it feeds is; then every table it feeds counts towards its target.
scoped AS (
  SELECT u.*, pg_catalog.bool_or(u.in_scope) OVER (PARTITION BY u.seq_oid) AS sequence_in_scope FROM tree_uses u
),
-- A superuser holds every privilege: answering once spares four privilege checks per row.
session AS (
  SELECT pg_catalog.current_setting('is_superuser') = 'on' AS superuser, pg_catalog.pg_is_in_recovery() AS in_recovery,
         pg_catalog.current_setting('server_version_num')::pg_catalog.int4 >= 170000 AS has_maintain,
         (pg_catalog.current_setting('max_locks_per_transaction')::pg_catalog.int8
          * (pg_catalog.current_setting('max_connections')::pg_catalog.int8
             + pg_catalog.current_setting('max_prepared_transactions')::pg_catalog.int8))::pg_catalog.int8
           AS lock_capacity
)
SELECT u.seq_oid::pg_catalog.int8 AS "sequenceOid",
       sn.nspname AS "sequenceSchema", u.seq_name AS "sequenceName",
       ps.seqstart::pg_catalog.text AS "start", ps.seqincrement::pg_catalog.text AS "increment",
       ps.seqmin::pg_catalog.text AS "minValue", ps.seqmax::pg_catalog.text AS "maxValue", ps.seqcycle AS "cycle",
       u.rel_oid::pg_catalog.int8 AS "tableOid", u.table_schema AS "tableSchema", u.table_name AS "tableName",
       u.attnum AS "attnum", u.column_name AS "columnName",
       pg_catalog.format_type(COALESCE(NULLIF(ty.typbasetype, 0::pg_catalog.oid), u.type_oid), NULL) AS "columnType",
       CASE u.kind_rank WHEN 1 THEN 'identity' WHEN 2 THEN 'owned' ELSE 'default' END AS "kind",
       -- locks reading this table takes: itself and every index the planner opens, and the same again for
       -- each partition or inheritance child that LOCK and MAX() reach
       (CASE WHEN u.relkind = 'p' OR u.relhassubclass
             THEN (SELECT pg_catalog.count(*)
                          + pg_catalog.sum((SELECT pg_catalog.count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = d.relid))
                   FROM (SELECT relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree(u.rel_oid)
                         UNION SELECT u.rel_oid
                         UNION SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent = u.rel_oid) d)
             ELSE 1 + (SELECT pg_catalog.count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = u.rel_oid) END)::pg_catalog.int4
         AS "lockWeight",
       CASE WHEN session.superuser THEN true ELSE pg_catalog.has_sequence_privilege(u.seq_oid, 'SELECT') END AS "canReadSequence",
       CASE WHEN session.superuser THEN true ELSE pg_catalog.has_sequence_privilege(u.seq_oid, 'UPDATE') END AS "canUpdateSequence",
       -- ALTER SEQUENCE, which makes the write transactional, is for the owner (or a member of the owning role)
       CASE WHEN session.superuser THEN true ELSE pg_catalog.pg_has_role(sc.relowner, 'USAGE') END AS "ownsSequence",
       CASE WHEN session.superuser THEN true ELSE pg_catalog.has_table_privilege(u.rel_oid, 'SELECT') END AS "canReadTable",
       CASE WHEN session.superuser THEN true
            WHEN pg_catalog.has_table_privilege(u.rel_oid, 'UPDATE, DELETE, TRUNCATE') THEN true
            -- PostgreSQL 17 added MAINTAIN, which also allows locking a table in any mode; older servers reject the word
            WHEN session.has_maintain THEN pg_catalog.has_table_privilege(u.rel_oid, 'MAINTAIN')
            ELSE false END AS "canLockTable",
       -- an index led by the key column answers MAX/MIN from one probe; without one the read scans the table
       EXISTS (SELECT 1 FROM pg_catalog.pg_index i
               WHERE i.indrelid = u.rel_oid AND i.indkey[0] = u.attnum AND i.indpred IS NULL) AS "keyIndexed",
       u.relpersistence = 'u' OR sc.relpersistence = 'u' AS "unlogged",
       session.in_recovery AS "inRecovery",
       session.lock_capacity AS "lockCapacity"
FROM scoped u
CROSS JOIN session
JOIN pg_catalog.pg_class sc ON sc.oid = u.seq_oid
JOIN pg_catalog.pg_namespace sn ON sn.oid = u.seq_namespace
JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = u.seq_oid
JOIN pg_catalog.pg_type ty ON ty.oid = u.type_oid
WHERE u.sequence_in_scope
ORDER BY sn.nspname, u.seq_name, u.table_schema, u.table_name, u.column_name`;

/** Which named tables exist at all, to tell "unknown table" from "table without a sequence". */
export const RESOLVE_TABLES_SQL = `
SELECT f.ordinality::pg_catalog.int4 AS "position", n.nspname AS "schema", c.relname AS "table"
FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[]))
  WITH ORDINALITY AS f(schema_name, table_name, ordinality)
JOIN pg_catalog.pg_class c ON c.relname = f.table_name AND c.relkind IN ('r', 'p')
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE f.schema_name IS NULL OR f.schema_name = n.nspname`;

export const SCHEMAS_SQL = `SELECT nspname AS "schema" FROM pg_catalog.pg_namespace WHERE nspname = ANY ($1::pg_catalog.text[])`;

import { quoteLiteral } from './postgres-sql';

/* The read-only catalog queries. Kept apart from the code that runs them so the SQL reads as one piece. */

/** The tables named in `$2`/`$3` (or `$4`/`$5`) as a condition on the table `t` in schema `n`. */
function namedIn(schemas: string, names: string): string {
  return `SELECT 1 FROM ROWS FROM (pg_catalog.unnest(${schemas}::pg_catalog.text[]), pg_catalog.unnest(${names}::pg_catalog.text[]))
             AS f(schema_name, table_name)
           WHERE f.table_name = t.relname AND (f.schema_name IS NULL OR f.schema_name = n.nspname)`;
}

/**
 * Whether table `t` in schema `n` is in scope: its schema is included, it is named (or it is an ancestor of a
 * named partition or inheritance child, whose rows its MAX() covers), and it is not excluded.
 */
const IN_SCOPE = `(CASE WHEN $1::pg_catalog.text[] IS NULL
               THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND NOT pg_catalog.starts_with(n.nspname, 'pg_toast') AND NOT pg_catalog.starts_with(n.nspname, 'pg_temp_')
               ELSE n.nspname = ANY ($1::pg_catalog.text[]) END)
         AND ($2::pg_catalog.text[] IS NULL OR EXISTS (${namedIn('$2', '$3')})
              OR t.oid IN (SELECT named_ancestors.oid FROM named_ancestors))
         AND (pg_catalog.cardinality($4::pg_catalog.text[]) = 0 OR NOT EXISTS (${namedIn('$4', '$5')}))`;

/**
 * A sequence named by a text literal in a default, `nextval('k.s'::text)`, which records no dependency: the
 * deparsed default as pg_get_expr prints it, and the name inside, schema-qualified and in plain identifier syntax
 * only — what parse_ident then splits cannot fail, and an unqualified name is the inserting session's search path's
 * to resolve, not ours. The name is looked up in pg_class by its parts: to_regclass would fail on a schema the role
 * cannot use.
 */
const IDENTIFIER = String.raw`(?:"(?:[^"']|''|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const NAMED_BY_TEXT = String.raw`nextval\(\('(${IDENTIFIER}\.${IDENTIFIER})'::text\)::regclass\)`;

/*
 * Strings a default's stored node tree (pg_attrdef.adbin as text) holds when it calls nextval(regclass), OID 1574,
 * or turns text into a regclass, regclass(text), OID 1079; both OIDs are fixed in pg_proc.dat. Looking for them is
 * cheap, and pg_get_expr is then deparsed only for the few defaults that hold them without a recorded sequence.
 */
const CALLS_NEXTVAL = "pg_catalog.strpos(ad.adbin::pg_catalog.text, ':funcid 1574 ') > 0";
const CASTS_TEXT_TO_REGCLASS = "pg_catalog.strpos(ad.adbin::pg_catalog.text, ':funcid 1079 ') > 0";
/** No regclass constant (type OID 2205) at all: nextval's argument is computed. */
const HOLDS_NO_REGCLASS = "pg_catalog.strpos(ad.adbin::pg_catalog.text, ':consttype 2205 ') = 0";

/**
 * A catalog name (type `name`) as the text it is, for the columns these queries return: Prisma 6's driver adapter
 * for pg refuses to return a `name` column at all (P2010, "Failed to deserialize column of type 'name'"). The C
 * collation is the one `name` compares with, so sorting the text orders the rows exactly as the names did.
 */
function nameAsText(column: string): string {
  return `${column}::pg_catalog.text COLLATE pg_catalog."C"`;
}

/** What the server is (postgres-engines.ts): its version(), and Citus's version, which runs inside real PostgreSQL. */
const SERVER_VERSION = 'pg_catalog.version()';
const CITUS_VERSION = `(SELECT e.extversion FROM pg_catalog.pg_extension e
  WHERE e.extname OPERATOR(pg_catalog.=) 'citus'::pg_catalog.name)`;

/**
 * Sequences are found from dependencies, never from names:
 *  - pg_depend 'a' (OWNED BY, what serial creates) and 'i' (identity columns) from sequence to column;
 *  - pg_depend 'n' from a column default (pg_attrdef) to a sequence: `nextval('seq')` without ownership,
 *    including one sequence shared by several tables;
 *  - pg_depend 'n' from a default to a function, and from that function to a sequence: a SQL function with a
 *    BEGIN ATOMIC body records what it uses (a string body, SQL or PL/pgSQL, records nothing);
 *  - and the one name that is text rather than a dependency, `nextval('k.s'::text)`, when it names its schema.
 * What the catalog shows but no data seqsync reads can vouch for comes back as rows with `warning` set: a default
 * calling nextval on a name only the insert resolves, a function whose body records nothing, a view's or foreign
 * table's default using a sequence. Key types are resolved through domains over domains to their base type, with
 * the type modifier nearest the column (numeric(12,0)).
 * Shaped for thousands of tables: pg_class is joined inside each pg_depend branch, where the planner has
 * statistics, and scope is a window over one pass rather than a self-join — CTE scans carry no row
 * estimates and a join against one became a nested loop (measured: 115 s for 5,000 tables). Each catalog row
 * is looked up once and its names carried along: joining pg_class, pg_namespace and pg_attribute again at
 * the end cost a third of the query at 10,000 tables. The searches for untraced defaults look at strings in each
 * default's node tree first and deparse only the few that match.
 * Every function and type is named with its schema, and every comparison is between values of one type: another
 * role's `unnest(text[])`, `cardinality(text[])` or `=(oid, regclass)` in a schema on the search path would be a
 * better match than pg_catalog's polymorphic or coercing ones, and run as the caller.
 * Each row also carries the size of the shared lock table (max_locks_per_transaction × connections),
 * so batches can be sized to never run a transaction out of it. One more row, present whatever else is found, says
 * what the server is (see {@link SERVER_IDENTITY_SQL}); every other row has it NULL.
 */
const CATALOG_ROWS_SQL = `
WITH RECURSIVE
-- every domain's base type, through domains over domains, and the type modifier nearest the column (numeric(12,0))
domain_chain AS (
  SELECT t.oid AS domain_oid, t.typbasetype AS base_oid, t.typtypmod AS base_typmod
  FROM pg_catalog.pg_type t WHERE t.typtype = 'd'
  UNION ALL
  SELECT b.domain_oid, t.typbasetype, CASE WHEN b.base_typmod = -1 THEN t.typtypmod ELSE b.base_typmod END
  FROM domain_chain b JOIN pg_catalog.pg_type t ON t.oid = b.base_oid AND t.typtype = 'd'
),
domain_base AS MATERIALIZED (
  SELECT b.* FROM domain_chain b JOIN pg_catalog.pg_type t ON t.oid = b.base_oid AND t.typtype <> 'd'
),
-- the named tables and all their ancestors (partitions and inheritance children alike are in pg_inherits)
named_ancestors AS (
  SELECT t.oid FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  WHERE $2::pg_catalog.text[] IS NOT NULL AND EXISTS (${namedIn('$2', '$3')})
  UNION
  SELECT i.inhparent FROM named_ancestors a JOIN pg_catalog.pg_inherits i ON i.inhrelid = a.oid
),
-- defaults that call nextval() on a name computed when a row is inserted, rather than on a regclass constant
hidden_defaults AS MATERIALIZED (
  SELECT ad.adrelid, ad.adnum, ${CASTS_TEXT_TO_REGCLASS} AS casts_text
  FROM pg_catalog.pg_attrdef ad
  WHERE ${CALLS_NEXTVAL} AND (${CASTS_TEXT_TO_REGCLASS} OR ${HOLDS_NO_REGCLASS})
),
named_by_text AS MATERIALIZED (
  SELECT h.adrelid, h.adnum, pg_catalog.parse_ident(pg_catalog.replace(m.name[1], '''''', '''')) AS parts
  FROM hidden_defaults h
  JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = h.adrelid AND ad.adnum = h.adnum
  CROSS JOIN LATERAL pg_catalog.regexp_matches(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), ${quoteLiteral(NAMED_BY_TEXT)}, 'g') AS m(name)
  WHERE h.casts_text
),
-- functions that defaults call (built-ins record no dependency), and the sequences their bodies record (BEGIN ATOMIC)
called AS MATERIALIZED (
  SELECT ad.adrelid, ad.adnum, d.refobjid AS proc_oid, fd.refobjid AS seq_oid
  FROM pg_catalog.pg_attrdef ad
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid AND d.objid = ad.oid
   AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid
  LEFT JOIN (pg_catalog.pg_depend fd JOIN pg_catalog.pg_class fs ON fs.oid = fd.refobjid AND fs.relkind = 'S')
    ON fd.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND fd.objid = d.refobjid
   AND fd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
),
uses AS MATERIALIZED (
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
    UNION ALL
    SELECT s.oid, s.relname, s.relnamespace, c.adrelid, c.adnum, 3
    FROM called c JOIN pg_catalog.pg_class s ON s.oid = c.seq_oid
    UNION ALL
    SELECT s.oid, s.relname, s.relnamespace, b.adrelid, b.adnum, 3
    FROM named_by_text b
    JOIN pg_catalog.pg_namespace sn ON sn.nspname = b.parts[1]::pg_catalog.name
    JOIN pg_catalog.pg_class s ON s.relnamespace = sn.oid AND s.relname = b.parts[2]::pg_catalog.name AND s.relkind = 'S'
  ) found
  GROUP BY found.seq_oid, found.seq_name, found.seq_namespace, found.rel_oid, found.attnum
),
tree_uses AS MATERIALIZED (
  SELECT u.seq_oid, u.seq_name, u.seq_namespace, u.rel_oid, u.attnum, u.kind_rank,
         n.nspname AS table_schema, t.relname AS table_name, a.attname AS column_name, a.atttypid AS type_oid,
         a.atttypmod AS type_modifier, t.relnamespace AS table_namespace,
         t.relkind, t.relhassubclass, t.relpersistence,
         ${IN_SCOPE} AS in_scope
  FROM uses u
  JOIN pg_catalog.pg_class t ON t.oid = u.rel_oid AND t.relkind IN ('r', 'p', 'v', 'f')
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
  WHERE u.relkind IN ('r', 'p')
),
-- What the catalog shows but seqsync cannot trace to data it reads: a view's or foreign table's default using a
-- sequence, a default naming its sequence in a way only the insert resolves, a function whose body records nothing.
untraced AS (
  SELECT h.adrelid AS rel_oid, h.adnum AS attnum, 'nextval' AS problem, NULL::pg_catalog.oid AS proc_oid
  FROM hidden_defaults h WHERE NOT EXISTS (SELECT 1 FROM uses u WHERE u.rel_oid = h.adrelid AND u.attnum = h.adnum)
  UNION ALL
  SELECT c.adrelid, c.adnum, 'function', c.proc_oid FROM called c WHERE c.seq_oid IS NULL
),
warnings AS (
  SELECT w.problem, NULL::pg_catalog.oid AS seq_oid, n.nspname AS table_schema, t.relname AS table_name, a.attname AS column_name,
         CASE WHEN w.problem = 'nextval' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
              ELSE w.proc_oid::pg_catalog.regprocedure::pg_catalog.text END AS detail
  FROM untraced w
  JOIN pg_catalog.pg_class t ON t.oid = w.rel_oid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = w.rel_oid AND a.attnum = w.attnum AND NOT a.attisdropped
  LEFT JOIN domain_base db ON db.domain_oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = w.rel_oid AND ad.adnum = w.attnum
  WHERE ${IN_SCOPE}
    -- a partition's copy of its parent's default is the parent's warning
    AND NOT (t.relispartition AND EXISTS (
      SELECT 1 FROM pg_catalog.pg_partition_ancestors(w.rel_oid) anc
      JOIN pg_catalog.pg_attribute pa ON pa.attrelid = anc.relid::pg_catalog.oid AND pa.attname = a.attname
      JOIN untraced parent ON parent.rel_oid = pa.attrelid AND parent.attnum = pa.attnum AND parent.problem = w.problem
      WHERE anc.relid::pg_catalog.oid <> w.rel_oid))
    -- a function in a uuid or text default hands out no integer keys
    AND (w.problem <> 'function' OR COALESCE(db.base_oid, a.atttypid) IN (
      'pg_catalog.int2'::pg_catalog.regtype::pg_catalog.oid, 'pg_catalog.int4'::pg_catalog.regtype::pg_catalog.oid,
      'pg_catalog.int8'::pg_catalog.regtype::pg_catalog.oid, 'pg_catalog.numeric'::pg_catalog.regtype::pg_catalog.oid))
  UNION ALL
  SELECT CASE u.relkind WHEN 'f' THEN 'foreign table' ELSE 'view' END, u.seq_oid, u.table_schema, u.table_name, u.column_name, NULL
  FROM tree_uses u WHERE u.relkind IN ('v', 'f') AND u.in_scope
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
       ${nameAsText('sn.nspname')} AS "sequenceSchema", ${nameAsText('u.seq_name')} AS "sequenceName",
       ps.seqstart::pg_catalog.text AS "start", ps.seqincrement::pg_catalog.text AS "increment",
       ps.seqmin::pg_catalog.text AS "minValue", ps.seqmax::pg_catalog.text AS "maxValue", ps.seqcycle AS "cycle",
       u.rel_oid::pg_catalog.int8 AS "tableOid", ${nameAsText('u.table_schema')} AS "tableSchema",
       ${nameAsText('u.table_name')} AS "tableName", u.attnum AS "attnum", ${nameAsText('u.column_name')} AS "columnName",
       pg_catalog.format_type(COALESCE(db.base_oid, u.type_oid), NULL) AS "columnType",
       (CASE WHEN u.type_modifier = -1 THEN COALESCE(db.base_typmod, -1) ELSE u.type_modifier END) AS "typeModifier",
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
       -- privileges on a sequence or table are of no use without USAGE on its schema
       CASE WHEN session.superuser THEN true ELSE pg_catalog.has_schema_privilege(u.seq_namespace, 'USAGE') END
         AS "canUseSequenceSchema",
       CASE WHEN session.superuser THEN true ELSE pg_catalog.has_schema_privilege(u.table_namespace, 'USAGE') END
         AS "canUseTableSchema",
       -- no session can read or set another session's temporary sequence
       pg_catalog.pg_is_other_temp_schema(u.seq_namespace) AS "otherSessionTemporary",
       -- an index led by the key column answers MAX/MIN from one probe; without one the read scans the table
       EXISTS (SELECT 1 FROM pg_catalog.pg_index i
               WHERE i.indrelid = u.rel_oid AND i.indkey[0] = u.attnum AND i.indpred IS NULL) AS "keyIndexed",
       u.relpersistence = 'u' OR sc.relpersistence = 'u' AS "unlogged",
       NULL::pg_catalog.bool AS "inRecovery", NULL::pg_catalog.int8 AS "lockCapacity",
       NULL::pg_catalog.text AS "warning", NULL::pg_catalog.text AS "warningDetail",
       NULL::pg_catalog.text AS "serverVersion", NULL::pg_catalog.text AS "citusVersion"
FROM scoped u
CROSS JOIN session
JOIN pg_catalog.pg_class sc ON sc.oid = u.seq_oid
JOIN pg_catalog.pg_namespace sn ON sn.oid = u.seq_namespace
JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = u.seq_oid
LEFT JOIN domain_base db ON db.domain_oid = u.type_oid
WHERE u.sequence_in_scope
UNION ALL
-- what cannot be traced, in the same columns (and types): the sequence when one is known, the column, the problem
SELECT w.seq_oid::pg_catalog.int8, ${nameAsText('wn.nspname')}, ${nameAsText('ws.relname')}, NULL, NULL, NULL, NULL, NULL,
       NULL, ${nameAsText('w.table_schema')}, ${nameAsText('w.table_name')}, NULL, ${nameAsText('w.column_name')},
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, w.problem, w.detail, NULL, NULL
FROM warnings w
LEFT JOIN pg_catalog.pg_class ws ON ws.oid = w.seq_oid
LEFT JOIN pg_catalog.pg_namespace wn ON wn.oid = ws.relnamespace
UNION ALL
-- what the server is and the run's own values, in the row's last four columns (all others NULL, so it sorts last)
SELECT ${Array.from({ length: 27 }, () => 'NULL').join(', ')}, session.in_recovery, session.lock_capacity, NULL, NULL,
       ${SERVER_VERSION}, ${CITUS_VERSION}
FROM session`;

/** The catalog's columns, in the order each row's array carries them (postgres-introspect.ts reads them by position). */
export const CATALOG_COLUMNS = [
  'sequenceOid', 'sequenceSchema', 'sequenceName', 'start', 'increment', 'minValue', 'maxValue', 'cycle',
  'tableOid', 'tableSchema', 'tableName', 'attnum', 'columnName', 'columnType', 'typeModifier', 'kind', 'lockWeight',
  'canReadSequence', 'canUpdateSequence', 'ownsSequence', 'canReadTable', 'canLockTable', 'canUseSequenceSchema',
  'canUseTableSchema', 'otherSessionTemporary', 'keyIndexed', 'unlogged', 'inRecovery', 'lockCapacity', 'warning',
  'warningDetail', 'serverVersion', 'citusVersion',
] as const;

/**
 * Each row of {@link CATALOG_ROWS_SQL} as one JSON array in one text column. At 100,000 tables the rows are the run's
 * largest allocation: a driver makes each row an object with a string per value (about 1 KB with 33 columns), while
 * one text per row is 313 bytes (226 characters on average at 100,000 tables), parsed only as it is folded.
 * JSON quotes any name exactly; the 64-bit values are text (bounds) or OIDs and lock counts, which a double holds.
 */
const ROW_ARRAY = `pg_catalog.json_build_array(${CATALOG_COLUMNS.map((column) => `c."${column}"`).join(', ')})`;
export const CATALOG_SQL = `SELECT ${ROW_ARRAY}::pg_catalog.text AS "row"
FROM (${CATALOG_ROWS_SQL}) c
ORDER BY c."sequenceSchema", c."sequenceName", c."tableSchema", c."tableName", c."columnName"`;

/**
 * The server's version() alone, asked only after the catalog query failed as a server that is not PostgreSQL fails it
 * (postgres-introspect.ts); it asks nothing such a server might lack itself: no pg_extension, no casts.
 */
export const SERVER_IDENTITY_SQL = `SELECT ${SERVER_VERSION} AS "serverVersion"`;

/**
 * Which named tables exist at all, to tell "unknown table" from "table without a sequence"; with each, its own OID
 * and its ancestors' (as text), since a sequence feeding a parent feeds a partition or inheritance child too.
 */
export const RESOLVE_TABLES_SQL = `
SELECT f.ordinality::pg_catalog.int4 AS "position", ${nameAsText('n.nspname')} AS "schema", ${nameAsText('c.relname')} AS "table",
       (WITH RECURSIVE lineage AS (
          SELECT c.oid UNION SELECT i.inhparent FROM lineage l JOIN pg_catalog.pg_inherits i ON i.inhrelid = l.oid)
        SELECT pg_catalog.array_agg(lineage.oid::pg_catalog.int8::pg_catalog.text) FROM lineage) AS "lineage"
FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[]))
  WITH ORDINALITY AS f(schema_name, table_name, ordinality)
JOIN pg_catalog.pg_class c ON c.relname = f.table_name AND c.relkind IN ('r', 'p', 'v', 'f')
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE f.schema_name IS NULL OR f.schema_name = n.nspname`;

export const SCHEMAS_SQL = `SELECT ${nameAsText('nspname')} AS "schema" FROM pg_catalog.pg_namespace
WHERE nspname = ANY ($1::pg_catalog.text[])`;

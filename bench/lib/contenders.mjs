// What each contender sends. All of them get one open connection and the fixture's names; only seqsync and the
// DO block find the sequences themselves.

const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;
const qualified = (name, schema = 'public') => `${ident(schema)}.${ident(name)}`;

/** The snippet from countless answers and seed scripts, one statement per table, each its own transaction. */
export function perTableLoopStatements(tables) {
  return tables.map(({ schema, table, column }) =>
    `SELECT setval(pg_get_serial_sequence(${literal(qualified(table, schema))}, ${literal(column)}), `
    + `COALESCE(MAX(${ident(column)}), 1), true) FROM ${qualified(table, schema)}`);
}

/**
 * What `manage.py sqlsequencereset app | psql` runs: Django's PostgreSQL sequence_reset_sql, one statement per
 * model inside BEGIN/COMMIT, which psql sends one at a time.
 */
export function djangoStatements(tables) {
  return [
    'BEGIN',
    ...tables.map(({ table, column }) =>
      `SELECT setval(pg_get_serial_sequence(${literal(ident(table))},${literal(column)}), `
      + `coalesce(max(${ident(column)}), 1), max(${ident(column)}) IS NOT null) FROM ${ident(table)}`),
    'COMMIT',
  ];
}

/**
 * pgloader's approach: one DO block that finds every column defaulting to nextval() (pgloader turns the default
 * into the setval call) or holding an identity, and EXECUTEs one setval(max) per column — one round trip, one
 * transaction, all work on the server.
 */
export const DO_BLOCK = `DO $reset$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT n.nspname, c.relname, a.attname,
           CASE WHEN a.attidentity <> '' THEN pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', n.nspname, c.relname), a.attname)
                ELSE pg_catalog.substring(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '^nextval\\(''(.*)''::regclass\\)$') END AS seq
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind = 'r' AND n.nspname = 'public'
      AND (a.attidentity <> '' OR pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')
  LOOP
    EXECUTE pg_catalog.format('SELECT pg_catalog.setval(%L, (SELECT greatest(max(%I), 1) FROM ONLY %I.%I))', `
  + `r.seq, r.attname, r.nspname, r.relname);
  END LOOP;
END
$reset$`;

/**
 * The floor: what a hand-written script does when every name is known in advance — per sequence one
 * setval(max) (the greatest over the tables sharing it), all in one transaction, sent as one script.
 */
export function floorScript(tables) {
  const statements = ['BEGIN'];
  for (const entry of tables) {
    if (entry.kind === 'shared' && entry.sequence !== `S${entry.table.slice(1)}`) continue; // the pair's first table speaks for both
    const members = entry.kind === 'shared' && entry.sharesWith !== null ? [entry.table, entry.sharesWith] : [entry.table];
    const maxima = members.map((table) => `(SELECT max(${ident(entry.column)}) FROM ${qualified(table, entry.schema)})`);
    const target = maxima.length === 1 ? maxima[0] : `GREATEST(${maxima.join(', ')})`;
    statements.push(`SELECT setval(${literal(qualified(entry.sequence, entry.schema))}, ${target}, true)`);
  }
  statements.push('COMMIT');
  return statements.join(';\n');
}

/**
 * Every contender the bench knows. `process`: timed as a whole process, from spawn to exit (Node starting, loading,
 * connecting, working, exiting), as a developer or a deploy step runs it; the others are timed inside a fresh Node
 * process around the work alone. `readOnly`: writes nothing, so the drift before it can be the previous one's.
 */
/**
 * The CLI again under a V8 heap limit, as a container with little memory sets it: Node's default limit lets the old
 * generation grow to about four times what was live at its last full collection before collecting again, so the peak RSS
 * of a run says as much about that headroom as about what seqsync keeps. The capped rows show what the run needs.
 */
export const CAPPED_HEAP_FLAG = '--max-old-space-size=128';

export const CONTENDERS = [
  { key: 'seqsync', label: 'seqsync `realign`' },
  { key: 'check', label: 'seqsync `check`', readOnly: true },
  { key: 'loop', label: 'per-table loop (seed snippet)' },
  { key: 'django', label: 'Django `sqlsequencereset \\| psql`' },
  { key: 'do', label: 'one `DO` block (pgloader)' },
  { key: 'floor', label: 'floor: one script, names known' },
  { key: 'cli-realign', label: '`seqsync realign --json` CLI, whole process', process: true },
  { key: 'cli-check', label: '`seqsync check --json` CLI, whole process', process: true, readOnly: true },
  { key: 'cli-realign-capped', label: `\`seqsync realign --json\` CLI, heap capped (${CAPPED_HEAP_FLAG})`, process: true },
  { key: 'cli-check-capped', label: `\`seqsync check --json\` CLI, heap capped (${CAPPED_HEAP_FLAG})`, process: true, readOnly: true },
  { key: 'proc-loop', label: 'per-table loop, whole Node process', process: true },
  { key: 'proc-floor', label: 'floor, whole Node process', process: true },
];

export const contender = (key) => CONTENDERS.find((c) => c.key === key);

/** What the drifted-sequence scenarios compare: the in-process contenders. */
export const IN_PROCESS = ['seqsync', 'check', 'loop', 'django', 'do', 'floor'];

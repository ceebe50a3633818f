// What each contender sends. All of them get one open connection and the fixture's names; only seqsync and the
// DO block find the sequences themselves.

const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;
const qualified = (name) => `${ident('public')}.${ident(name)}`;

/** The snippet from countless answers and seed scripts, one statement per table, each its own transaction. */
export function perTableLoopStatements(tables) {
  return tables.map(({ table, column }) =>
    `SELECT setval(pg_get_serial_sequence(${literal(qualified(table))}, ${literal(column)}), `
    + `COALESCE(MAX(${ident(column)}), 1), true) FROM ${qualified(table)}`);
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
    const maxima = members.map((table) => `(SELECT max(${ident(entry.column)}) FROM ${qualified(table)})`);
    const target = maxima.length === 1 ? maxima[0] : `GREATEST(${maxima.join(', ')})`;
    statements.push(`SELECT setval(${literal(qualified(entry.sequence))}, ${target}, true)`);
  }
  statements.push('COMMIT');
  return statements.join(';\n');
}

export const CONTENDERS = [
  { key: 'seqsync', label: 'seqsync `realign`' },
  { key: 'loop', label: 'per-table loop (seed snippet)' },
  { key: 'django', label: 'Django `sqlsequencereset \\| psql`' },
  { key: 'do', label: 'one `DO` block (pgloader)' },
  { key: 'floor', label: 'floor: one script, names known' },
];

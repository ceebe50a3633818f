import fc from 'fast-check';

/**
 * Identifier generators for the hostile-input properties, and the test's own quoting: deliberately not
 * seqsync's, so a quoting bug in seqsync cannot hide behind the same bug in the test's setup.
 */

/** Pieces that break hand-built SQL: quotes, escapes, statement ends, comments, dollar quotes, format() specifiers. */
const FRAGMENTS = [
  '"', '""', "'", "''", '\\', '\\\'', ';', '$$', '$q$', '--', '/*', '*/', '%s', '%I', '%1$s', '%%', '(', ')', '::regclass',
  ' ', '\n', '\t', '.', ',', 'E\'', 'DROP TABLE canary', 'select', 'User', 'user', 'ß', 'İ', 'ﬀ', 'ü', '日本', '𝔘', '🙂', 'x',
];

export const MAX_IDENTIFIER_BYTES = 63;

/** Any identifier PostgreSQL stores verbatim: non-empty, no NUL, at most 63 bytes of UTF-8 (longer ones are truncated). */
export const identifier: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(
      fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })),
      { minLength: 1, maxLength: 8 },
    ).map((parts) => parts.join('')),
  },
  // Exactly 63 bytes, ending in multi-byte characters, where byte and character counts part ways.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), fc.constantFrom('é', '日', '𝔘'))
      .map(([head, tail]) => fillTo63Bytes(head, tail)),
  },
).map((name) => name.replace(/\0/g, '')).filter((name) => name.length > 0 && Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES);

function fillTo63Bytes(head: string, tail: string): string {
  let name = head;
  while (Buffer.byteLength(name + tail, 'utf8') <= MAX_IDENTIFIER_BYTES) name += tail;
  while (Buffer.byteLength(name, 'utf8') < MAX_IDENTIFIER_BYTES) name += 'x';
  return name;
}

/** Column names PostgreSQL reserves for system columns. */
export const SYSTEM_COLUMNS = new Set(['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid', 'oid']);

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A standard-conforming string literal (the server default since 9.1, and what the test database uses). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The name as `--table` / `tables` take it, in the quoted form that always works. */
export function quotedTableName(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** Upper-cases the lower-case letters and vice versa: `User` → `uSER`. */
export function swapCase(name: string): string {
  return [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

import { SeqsyncError } from './errors';

/** A table as the user named it; `schema` is null when any schema may match. */
export interface QualifiedName {
  readonly schema: string | null;
  readonly name: string;
}

/**
 * Splits `name`, `schema.name`, `"we.ird"."Na""me"` into parts. Unquoted parts are taken verbatim —
 * no lower-casing — because ORM table names such as Prisma's `User` are case-sensitive in the catalog.
 */
export function parseTableName(input: string): QualifiedName {
  const parts: string[] = [];
  let index = 0;
  while (index <= input.length) {
    let part = '';
    if (input[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= input.length) throw invalid(input, 'unterminated quote');
        if (input[index] === '"') {
          if (input[index + 1] === '"') { part += '"'; index += 2; continue; }
          index += 1;
          break;
        }
        part += input[index];
        index += 1;
      }
    } else {
      while (index < input.length && input[index] !== '.') { part += input[index]; index += 1; }
    }
    if (part.length === 0) throw invalid(input, 'empty name part');
    parts.push(part);
    if (index === input.length) break;
    if (input[index] !== '.') throw invalid(input, 'expected "." after a quoted name');
    index += 1;
  }
  if (parts.length === 1) return { schema: null, name: parts[0] };
  if (parts.length === 2) return { schema: parts[0], name: parts[1] };
  throw invalid(input, 'use table or schema.table');
}

/**
 * The inverse of {@link parseTableName}: a part is quoted only where it would otherwise be read differently
 * (it holds a dot or starts with a double quote), so `User` and `billing.Invoice` stay as users write them.
 */
export function formatTableName(name: QualifiedName): string {
  const part = (text: string) => (text.includes('.') || text.startsWith('"') ? `"${text.replace(/"/g, '""')}"` : text);
  return name.schema === null ? part(name.name) : `${part(name.schema)}.${part(name.name)}`;
}

function invalid(input: string, why: string): SeqsyncError {
  return new SeqsyncError('INVALID_OPTION', `invalid table name ${JSON.stringify(input)}: ${why}`);
}

/**
 * Names the user gave that match no table. An excluded name is checked as strictly as an included one: a
 * misspelt exclusion would otherwise silently realign the very table the user meant to protect.
 */
export function unknownTablesError(included: readonly QualifiedName[], excluded: readonly QualifiedName[]): SeqsyncError | null {
  if (included.length + excluded.length === 0) return null;
  const list = (names: readonly QualifiedName[]) => names.map((t) => JSON.stringify(formatTableName(t))).join(', ');
  const parts = [
    included.length > 0 ? `unknown table${included.length > 1 ? 's' : ''} ${list(included)}` : null,
    excluded.length > 0 ? `unknown excluded table${excluded.length > 1 ? 's' : ''} ${list(excluded)}` : null,
  ].filter((part): part is string => part !== null);
  return new SeqsyncError('UNKNOWN_TABLE', `${parts.join('; ')}: no such table in the database`);
}

/** Fails naming every requested schema the database does not have. */
export function assertSchemasPresent(requested: readonly string[] | null, present: ReadonlySet<string>): void {
  const missing = (requested ?? []).filter((schema) => !present.has(schema));
  if (missing.length > 0) throw new SeqsyncError('UNKNOWN_SCHEMA', `unknown schema ${missing.map((s) => JSON.stringify(s)).join(', ')}`);
}

/** One string per (schema, table) for maps and sets; NUL cannot occur in an identifier. */
export function tableKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

/** Code-unit order, the same on every machine (localeCompare is not), so batches and locks are deterministic. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

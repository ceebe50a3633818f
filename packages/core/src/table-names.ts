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

export function formatTableName(name: QualifiedName): string {
  return name.schema === null ? name.name : `${name.schema}.${name.name}`;
}

function invalid(input: string, why: string): SeqsyncError {
  return new SeqsyncError('INVALID_OPTION', `invalid table name ${JSON.stringify(input)}: ${why}`);
}

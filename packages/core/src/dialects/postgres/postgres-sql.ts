import { SeqsyncError } from '../../errors';

/** `"name"` with embedded quotes doubled: the only way an identifier reaches PostgreSQL SQL text. */
export function quoteIdent(identifier: string): string {
  if (identifier.length === 0 || identifier.includes('\0')) {
    throw new SeqsyncError('INVALID_OPTION', `invalid identifier ${JSON.stringify(identifier)}: empty or contains NUL`);
  }
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * A string literal that means the same whatever `standard_conforming_strings` is:
 * with a backslash present, the E'' form with the backslash doubled.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new SeqsyncError('INVALID_OPTION', `invalid literal ${JSON.stringify(value)}: contains NUL`);
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * An integer written into a script. Scripts (several statements in one round trip) cannot carry bind
 * parameters, so the only values inlined are integers seqsync computed itself — checked here, never user text.
 */
export function sqlInteger(value: bigint | number): string {
  const text = value.toString();
  if (!/^-?[0-9]+$/.test(text)) throw new SeqsyncError('INVALID_OPTION', `not an integer: ${text}`);
  return text;
}

import { SeqsyncError } from './errors';

/**
 * SQL text every dialect writes the same way. Identifiers reach SQL only quoted, and the only values
 * inlined into scripts (which cannot carry bind parameters) are integers seqsync computed itself.
 */

/** Refuses what no database accepts as an identifier, before it is quoted. */
export function assertIdentifier(identifier: string): void {
  if (identifier.length === 0 || identifier.includes('\0')) {
    throw new SeqsyncError('INVALID_OPTION', `invalid identifier ${JSON.stringify(identifier)}: empty or contains NUL`);
  }
}

/** `"name"` with embedded double quotes doubled: the SQL standard's quoting, PostgreSQL's and SQLite's. */
export function quoteDoubleQuoted(identifier: string): string {
  assertIdentifier(identifier);
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** An integer written into SQL text: checked here, so user text can never pass for one. */
export function sqlInteger(value: bigint | number): string {
  const text = value.toString();
  if (!/^-?[0-9]+$/.test(text)) throw new SeqsyncError('INVALID_OPTION', `not an integer: ${text}`);
  return text;
}

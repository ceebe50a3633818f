import { SeqsyncError } from '../../errors';
import { quoteDoubleQuoted, sqlInteger } from '../../sql-text';

/** The only way an identifier reaches PostgreSQL SQL text. */
export const quoteIdent = quoteDoubleQuoted;

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

export { sqlInteger };

/** Ranges of PostgreSQL's integer types, by the names `format_type` gives them (domains resolved to their base). */
export const INTEGER_TYPE_RANGES: Readonly<Record<string, { min: bigint; max: bigint }>> = {
  smallint: { min: -(2n ** 15n), max: 2n ** 15n - 1n },
  integer: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  bigint: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
};

/** The same types by their names in pg_catalog, for casts that must not resolve through the search path. */
export const INTEGER_TYPE_NAMES: Readonly<Record<string, string>> = { smallint: 'int2', integer: 'int4', bigint: 'int8' };

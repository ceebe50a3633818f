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

/**
 * The types the live read casts a key to, by their names in pg_catalog, for casts that must not resolve through the
 * search path. A numeric key is read as numeric — a cast to itself, so its index still answers MAX/MIN — and the
 * extreme then rounded to int8: round(x) + 1 is still past a fractional x (and round(x) - 1 below it).
 */
export const INTEGER_TYPE_NAMES: Readonly<Record<string, string>> = {
  smallint: 'int2', integer: 'int4', bigint: 'int8', numeric: 'numeric',
};

/**
 * The integer values a key column can hold, or null when its values cannot be compared with a sequence's.
 * numeric(p, s) holds integers of up to p - s digits; plain numeric has no bound short of the sequence's own. A
 * negative scale (PostgreSQL 15) rounds what is stored to tens or hundreds, so stored keys are not the values the
 * sequence handed out.
 */
export function keyRange(columnType: string, typeModifier: number): { min: bigint; max: bigint } | null {
  if (columnType !== 'numeric') return INTEGER_TYPE_RANGES[columnType] ?? null;
  if (typeModifier < 0) return INTEGER_TYPE_RANGES.bigint;
  // numeric's modifier: (precision << 16 | scale as 11-bit two's complement) + 4 (the varlena header)
  const packed = typeModifier - 4;
  const precision = (packed >> 16) & 0xffff;
  const scale = ((packed & 0x7ff) ^ 0x400) - 0x400;
  if (scale < 0) return null;
  const digits = precision - scale;
  if (digits >= 19) return INTEGER_TYPE_RANGES.bigint;
  const max = 10n ** BigInt(Math.max(digits, 0)) - 1n;
  return { min: -max, max };
}

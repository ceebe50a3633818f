import { UsageError } from './args';

/** One assignment in a .env file. */
export interface DotenvValue {
  readonly value: string;
  /** Where the assignment starts, 1-based, for messages. */
  readonly line: number;
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.-]+)[ \t]*=[ \t]*/;
const QUOTES = ['"', "'", '`'] as const;

/**
 * Reads a .env file as dotenv (which Prisma and drizzle-kit load) does, so the same file gives seqsync the URL it
 * gives them: `KEY=value` and `export KEY=value`; lines that are blank, `#` comments or not assignments are ignored;
 * an unquoted value ends at the first `#` and is trimmed; a value in '…', "…" or `…` is taken as written, may span
 * lines, and a backslash before its quote does not end it; inside "…" only \n and \r are expanded; a quoted value
 * followed by more than a comment is read as unquoted, its outer quotes dropped. The last assignment of a key wins.
 * Nothing is expanded: `${VAR}` stays as written (the caller refuses it in a URL). Unlike dotenv, which keeps a
 * quote that never closes as part of a one-line value, such a quote is an error naming its line.
 */
export function parseDotenv(text: string, fileName: string): Map<string, DotenvValue> {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const values = new Map<string, DotenvValue>();
  let position = 0;
  let line = 1;
  while (position < source.length) {
    const lineEnd = endOfLine(source, position);
    const match = ASSIGNMENT.exec(source.slice(position, lineEnd));
    if (match === null) {
      [position, line] = [lineEnd + 1, line + 1];
      continue;
    }
    const key = match[1];
    const start = position + match[0].length;
    const quote = QUOTES.find((candidate) => source[start] === candidate);
    const close = quote === undefined ? -1 : closingQuote(source, start + 1, quote);
    if (quote !== undefined && close === -1) {
      throw new UsageError(`${fileName} line ${line}: the value of ${key} opens ${quote} and never closes it`);
    }
    if (quote !== undefined && /^[ \t]*(?:#.*)?$/.test(source.slice(close + 1, endOfLine(source, close)))) {
      const raw = source.slice(start + 1, close);
      values.set(key, { value: quote === '"' ? raw.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : raw, line });
      const next = endOfLine(source, close) + 1;
      line += countNewlines(source.slice(position, next));
      position = next;
      continue;
    }
    // Unquoted, or quoted but followed by more than a comment (dotenv then reads the line as unquoted).
    const raw = source.slice(start, lineEnd);
    const comment = raw.indexOf('#');
    values.set(key, { value: dropOuterQuotes((comment === -1 ? raw : raw.slice(0, comment)).trim()), line });
    [position, line] = [lineEnd + 1, line + 1];
  }
  return values;
}

function endOfLine(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end === -1 ? source.length : end;
}

function dropOuterQuotes(value: string): string {
  return value.length >= 2 && QUOTES.some((quote) => value.startsWith(quote) && value.endsWith(quote)) ? value.slice(1, -1) : value;
}

function closingQuote(source: string, from: number, quote: string): number {
  for (let index = from; index < source.length; index += 1) {
    if (source[index] === '\\' && source[index + 1] === quote) index += 1;
    else if (source[index] === quote) return index;
  }
  return -1;
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1;
}

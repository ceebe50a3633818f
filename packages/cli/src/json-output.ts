import type { Report } from '@seqsync/core';

/** BigInt values as their decimal strings: JSON has no 64-bit integers. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** How much text is gathered before it is written: few writes, and never the whole report as one string. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes the report as `JSON.stringify(report, bigintAsString, 2)` would, byte for byte, without building it as one
 * string (see {@link jsonChunks}).
 */
export function writeJson(report: Report, write: (text: string) => void): void {
  for (const chunk of jsonChunks(report)) write(chunk);
}

/**
 * The report's JSON in pieces of about {@link CHUNK_CHARS}: each top-level field and each element of a top-level list
 * is stringified on its own, only when the piece it goes into is asked for. At 100,000 tables the report is over 50 MB
 * of JSON; built whole, or written faster than a pipe's reader takes it (a write Node cannot finish is queued in
 * memory), it would be held beside the report at the peak of the run. The caller asks for the next piece once the
 * last one is written.
 */
export function* jsonChunks(report: Report): Generator<string, void, undefined> {
  let pending = '';
  // As JSON.stringify: a field whose value JSON cannot hold (undefined, a function) is left out.
  const fields = Object.entries(report).filter(([, value]) => value !== undefined && typeof value !== 'function'
    && typeof value !== 'symbol');
  if (fields.length === 0) pending = '{}';
  for (const [index, [key, value]] of fields.entries()) {
    pending += `${index === 0 ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      for (const [position, item] of (value as unknown[]).entries()) {
        pending += `${position === 0 ? '[' : ','}\n    ${valueJson(item, 2)}`;
        if (pending.length >= CHUNK_CHARS) {
          yield pending;
          pending = '';
        }
      }
      pending += '\n  ]';
    } else {
      pending += valueJson(value, 1);
    }
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (fields.length > 0) pending += '\n}';
  yield pending;
}

/** One value as JSON.stringify writes it `depth` levels in: its own lines indented by two more spaces a level. */
function valueJson(value: unknown, depth: number): string {
  const text = JSON.stringify(value, bigintAsString, 2) as string | undefined;
  // Inside a list, what JSON cannot hold is written as null. JSON escapes newlines inside strings, so every newline
  // in the text is one between its lines.
  return text === undefined ? 'null' : text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

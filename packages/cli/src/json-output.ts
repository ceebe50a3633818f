import type { Report } from '@seqsync/core';

/** BigInt values as their decimal strings: JSON has no 64-bit integers. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** How much text is gathered before it is written: few writes, and never the whole report as one string. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes the report as `JSON.stringify(report, bigintAsString, 2)` would, byte for byte, without building it as one
 * string: each top-level field and each element of a top-level list is stringified on its own and written in chunks.
 * At 100,000 tables the report is over 50 MB of JSON, which would be held twice (the text and the report's JSON copy)
 * at the peak of the run.
 */
export function writeJson(report: Report, write: (text: string) => void): void {
  let pending = '';
  const emit = (text: string) => {
    pending += text;
    if (pending.length >= CHUNK_CHARS) {
      write(pending);
      pending = '';
    }
  };
  // As JSON.stringify: a field whose value JSON cannot hold (undefined, a function) is left out.
  const fields = Object.entries(report).filter(([, value]) => value !== undefined && typeof value !== 'function'
    && typeof value !== 'symbol');
  if (fields.length === 0) emit('{}');
  fields.forEach(([key, value], index) => {
    emit(`${index === 0 ? '{' : ','}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((item: unknown, position) => emit(`${position === 0 ? '[' : ','}\n    ${valueJson(item, 2)}`));
      emit('\n  ]');
    } else {
      emit(valueJson(value, 1));
    }
  });
  if (fields.length > 0) emit('\n}');
  write(pending);
}

/** One value as JSON.stringify writes it `depth` levels in: its own lines indented by two more spaces a level. */
function valueJson(value: unknown, depth: number): string {
  const text = JSON.stringify(value, bigintAsString, 2) as string | undefined;
  // Inside a list, what JSON cannot hold is written as null. JSON escapes newlines inside strings, so every newline
  // in the text is one between its lines.
  return text === undefined ? 'null' : text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

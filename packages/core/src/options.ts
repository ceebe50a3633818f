import type { Options } from './types';
import type { RunRequest } from './dialect';
import type { QualifiedName } from './table-names';
import { SeqsyncError } from './errors';
import { parseTableName } from './table-names';

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

/** Checks options once, up front, so a bad value fails before any connection is opened. */
export function toRunRequest(options: Options, command: RunRequest['command']): RunRequest {
  const mode = options.mode ?? 'advance';
  if (mode !== 'advance' && mode !== 'reset') {
    throw new SeqsyncError('INVALID_OPTION', `invalid mode ${JSON.stringify(mode)}: expected "advance" or "reset"`);
  }
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1 || lockTimeoutMs > 2_147_483_647) {
    throw new SeqsyncError('INVALID_OPTION',
      `invalid lockTimeoutMs ${JSON.stringify(lockTimeoutMs)}: expected a whole number of milliseconds ≥ 1`);
  }
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw new SeqsyncError('INVALID_OPTION', 'invalid signal: expected an AbortSignal');
  }
  const batchSize = options.batchSize ?? null;
  if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new SeqsyncError('INVALID_OPTION', `invalid batchSize ${JSON.stringify(batchSize)}: expected a whole number ≥ 1`);
  }
  const margin = options.margin ?? 0;
  if (!Number.isSafeInteger(margin) || margin < 0) {
    throw new SeqsyncError('INVALID_OPTION', `invalid margin ${JSON.stringify(margin)}: expected a whole number of steps ≥ 0`);
  }
  return {
    command,
    mode,
    cutover: options.from === undefined && margin === 0 ? null : { margin, sources: null },
    source: null,
    lockTimeoutMs,
    batchSize,
    schemas: options.schemas === undefined ? null : names('schema', options.schemas),
    tables: options.tables === undefined ? null : tableList('tables', options.tables),
    exclude: options.exclude === undefined ? [] : tableList('exclude', options.exclude),
    onProgress: options.onProgress,
    signal,
  };
}

function names(what: string, values: readonly string[]): string[] {
  for (const value of values) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new SeqsyncError('INVALID_OPTION', `invalid ${what} name ${JSON.stringify(value)}`);
    }
  }
  return [...values];
}

function tableList(what: string, values: readonly string[]): QualifiedName[] {
  if (!Array.isArray(values)) throw new SeqsyncError('INVALID_OPTION', `${what} must be a list of table names`);
  return names(what === 'tables' ? 'table' : 'excluded table', values).map(parseTableName);
}

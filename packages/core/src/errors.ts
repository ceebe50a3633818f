/** Every failure seqsync reports; the CLI maps each to exit code 2. */
export type ErrorCode =
  | 'INVALID_URL'
  | 'UNSUPPORTED_DATABASE'
  | 'DRIVER_MISSING'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_LOST'
  | 'UNKNOWN_TABLE'
  | 'UNKNOWN_SCHEMA'
  | 'INVALID_OPTION'
  | 'PERMISSION_DENIED'
  | 'LOCK_TIMEOUT'
  /** The server's `statement_timeout` cancelled a statement (a lock wait or a MAX() read took longer). */
  | 'STATEMENT_TIMEOUT'
  /** Another session cancelled the statement (`pg_cancel_backend`). */
  | 'QUERY_CANCELED'
  /** The server broke a lock cycle with another transaction by aborting seqsync's batch. */
  | 'DEADLOCK'
  | 'QUERY_FAILED';

/**
 * A failure that names the object at fault. When part of a batched run had already committed,
 * `committedBatches` says how many (each batch is atomic on its own).
 */
export class SeqsyncError extends Error {
  readonly code: ErrorCode;
  readonly committedBatches: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; committedBatches?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SeqsyncError';
    this.code = code;
    this.committedBatches = options.committedBatches ?? 0;
  }
}

export function isSeqsyncError(error: unknown): error is SeqsyncError {
  return error instanceof SeqsyncError;
}

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
  /**
   * The run's `signal` aborted (the CLI's SIGINT / SIGTERM): the statement in flight was cancelled on the server and
   * its batch rolled back; `committedBatches` counts the batches committed before it. `cause` is `signal.reason`.
   */
  | 'INTERRUPTED'
  /**
   * The server is a hot standby (in recovery) and the run needs the primary: realign (which is refused before any
   * lock), or check of an UNLOGGED table or sequence, which a standby has no contents for.
   */
  | 'HOT_STANDBY'
  | 'QUERY_FAILED';

/**
 * A failure that names the object at fault. When part of a batched run had already committed,
 * `committedBatches` says how many (each batch is atomic on its own).
 */
export class SeqsyncError extends Error {
  readonly code: ErrorCode;
  readonly committedBatches: number;
  /**
   * What the failed batch left changed, in the words of the dialect that knows ("it was rolled back, nothing in it
   * was changed", or the sequences that moved); absent when the failure says nothing of it.
   */
  readonly changed?: string;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; committedBatches?: number; changed?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SeqsyncError';
    this.code = code;
    this.committedBatches = options.committedBatches ?? 0;
    if (options.changed !== undefined) this.changed = options.changed;
  }
}

export function isSeqsyncError(error: unknown): error is SeqsyncError {
  return error instanceof SeqsyncError;
}

/**
 * An error in the shape every dialect's translation reads — a driver's own `code` (a PostgreSQL SQLSTATE such
 * as `55P03`, a MySQL/MariaDB error number such as `1205`, a SQLite name such as `SQLITE_BUSY`) and message —
 * for libraries that wrap the driver's error in their own (Prisma's P2010 keeps the code in `meta`). Hand it to
 * core from a Queryable's `query`; the wrapping error stays reachable as `cause`.
 */
export function driverError(code: string, message: string, cause?: unknown): Error & { code: string } {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

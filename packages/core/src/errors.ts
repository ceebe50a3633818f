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
  /**
   * A cutover (`from`) cannot be matched or met: a source table name found in two target schemas (or two source
   * schemas), or a source position past what the target counter's range can take. Refused before anything is written.
   */
  | 'CUTOVER_MISMATCH'
  | 'QUERY_FAILED';

/**
 * The brand on every SeqsyncError: `Symbol.for('seqsync.error')`, a symbol of the global registry, so every copy of
 * core shares it. The CommonJS and the ESM build each define the class, and one application can load both (its own
 * `import`, an ORM package's `require`), so an error of one build fails `instanceof` the other's class.
 */
const SEQSYNC_ERROR = Symbol.for('seqsync.error');

/**
 * A failure that names the object at fault. When part of a batched run had already committed,
 * `committedBatches` says how many (each batch is atomic on its own).
 *
 * `error instanceof SeqsyncError` and {@link isSeqsyncError} hold for an error of any build of core (see the brand
 * above); `code`, `message`, `committedBatches` and `changed` are the fields every build's errors have.
 */
export class SeqsyncError extends Error {
  declare readonly [SEQSYNC_ERROR]: true;
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

// The brand goes on the prototype, not on each error: an error's own properties (what util.inspect prints, what
// toEqual compares) stay exactly the ones it had.
Object.defineProperty(SeqsyncError.prototype, SEQSYNC_ERROR, { value: true });

// `instanceof` by brand, so `catch (e) { if (e instanceof SeqsyncError) … }` holds whichever build threw. Only for
// this class itself: a subclass keeps the ordinary prototype test, so `instanceof` a subclass still means it.
// Defined here rather than as a static method because the class body naming itself makes esbuild rename the class
// (`_SeqsyncError`, which util.inspect would print).
Object.defineProperty(SeqsyncError, Symbol.hasInstance, {
  value: function hasInstance(this: unknown, value: unknown): boolean {
    return this === SeqsyncError ? isSeqsyncError(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  },
});

/** True for a SeqsyncError from any build of core: it carries the brand `Symbol.for('seqsync.error')` and a string `code`. */
export function isSeqsyncError(error: unknown): error is SeqsyncError {
  return typeof error === 'object' && error !== null
    && (error as { [SEQSYNC_ERROR]?: unknown })[SEQSYNC_ERROR] === true
    && typeof (error as { code?: unknown }).code === 'string';
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

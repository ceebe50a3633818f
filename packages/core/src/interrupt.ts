import type { OpenDatabase, RunRequest } from './dialect';
import type { Queryable } from './types';
import { SeqsyncError } from './errors';

/**
 * Stopping a run when its `signal` aborts (the CLI's SIGINT / SIGTERM).
 *
 * A statement waiting on the server — behind another session's lock, for up to the lock timeout — keeps every lock
 * its batch already holds for as long as it waits, and a server notices a client that went away only when it next
 * reads from or writes to it: a seqsync that merely exited would leave writers blocked until its lock timeout. So
 * on a connection seqsync opened itself the statement in flight is cancelled on the server (PostgreSQL's
 * CancelRequest, MySQL's KILL QUERY), the runner rolls its batch back, and the run rejects with INTERRUPTED. A
 * caller's connection is never cancelled: the run stops before its next statement.
 */

/** How long one cancel request may take to reach the server and be taken. */
const CANCEL_ATTEMPT_MS = 3_000;
/**
 * A cancel that overtakes its statement (still on the wire) finds the session idle, and an idle session drops it:
 * while the statement has not ended, the request is sent again this often.
 */
const RESEND_MS = 500;
/** From the signal until seqsync stops waiting on the server and drops its connection. */
const STOP_WAIT_MS = 10_000;

export class Interruption {
  /** Statements that were already sent when the signal came: the ones to cancel. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private rejectAbandoned: (error: SeqsyncError) => void = () => undefined;
  private disposed = false;
  /** Rejects with INTERRUPTED when the server could not be reached to cancel, so the run stops waiting on it. */
  readonly abandoned: Promise<never>;

  constructor(private readonly request: RunRequest, private readonly readOnly: boolean) {
    this.abandoned = new Promise<never>((_, reject) => { this.rejectAbandoned = reject; });
    this.abandoned.catch(() => undefined);
  }

  /** Wraps a Queryable so the statements in flight when the signal comes are known, on leased connections too. */
  track(db: Queryable): Queryable {
    const wrap = (inner: Queryable): Queryable => ({
      ...inner,
      query: <Row extends object>(sql: string, params?: readonly unknown[]) => {
        const sent = inner.query<Row>(sql, params);
        if (this.request.signal?.aborted !== true) {
          this.inFlight.add(sent);
          const settle = () => { this.inFlight.delete(sent); };
          sent.then(settle, settle);
        }
        return sent;
      },
      connection: inner.connection && (<T>(fn: (c: Queryable) => Promise<T>) => inner.connection!((c) => fn(wrap(c)))),
      transaction: inner.transaction && (<T>(fn: (t: Queryable) => Promise<T>) => inner.transaction!((t) => fn(wrap(t)))),
    });
    return wrap(db);
  }

  /** From now on, an abort cancels what runs on `opened`, when seqsync opened it (only then has it `cancel`). */
  watch(opened: OpenDatabase): void {
    const signal = this.request.signal;
    if (signal === undefined || opened.cancel === undefined) return;
    const onAbort = () => { void this.cancel(opened); };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    this.stopWatching = () => signal.removeEventListener('abort', onAbort);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.stopWatching();
  }

  private stopWatching: () => void = () => undefined;

  private async cancel(opened: OpenDatabase): Promise<void> {
    this.timer = setTimeout(() => this.abandon(opened, `it did not end within ${STOP_WAIT_MS} ms of the signal`), STOP_WAIT_MS);
    while (this.inFlight.size > 0 && !this.disposed) {
      const failure = await opened.cancel!(CANCEL_ATTEMPT_MS);
      if (failure !== null) {
        this.abandon(opened, `the cancel request did not reach the server (${failure.message})`);
        return;
      }
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, RESEND_MS))]);
    }
  }

  private abandon(opened: OpenDatabase, why: string): void {
    if (this.disposed) return;
    this.disposed = true;
    const changed = this.readOnly
      ? 'nothing was changed'
      : 'nothing in the open batch was committed by seqsync, and the server rolls it back when it notices the connection is gone '
        + '(at the latest at its lock timeout), unless its COMMIT had already been sent';
    this.rejectAbandoned(new SeqsyncError('INTERRUPTED',
      `interrupted${reasonOf(this.request)}: could not cancel the statement running on the server: ${why}; `
      + `seqsync dropped its connection: ${changed}`, { cause: this.request.signal?.reason }));
    opened.destroy?.();
  }
}

function unchanged(readOnly: boolean, committedBatches: number): string {
  return readOnly || committedBatches === 0 ? 'nothing was changed' : 'nothing in it was changed';
}

/** `signal.reason`, when the caller gave a string (the CLI's `SIGINT`), names the interruption. */
export function reasonOf(request: RunRequest): string {
  const reason: unknown = request.signal?.reason;
  return typeof reason === 'string' && reason.length > 0 ? ` by ${reason}` : '';
}

/**
 * The run's INTERRUPTED error at `where` ("before batch 2 of 3", "in batch 2 of 3, cancelled and rolled back"),
 * saying what changed; the batches committed before it are counted in `committedBatches`.
 */
export function interruptedError(
  request: RunRequest, where: string, committedBatches: number, readOnly: boolean, changed = unchanged(readOnly, committedBatches),
): SeqsyncError {
  return new SeqsyncError('INTERRUPTED', `interrupted${reasonOf(request)} ${where}; ${changed}`,
    { cause: request.signal?.reason, committedBatches });
}

import { isSeqsyncError, movesSequence, type Report, type SequenceReport } from '@seqsync/core';
import { UsageError } from './args';

export const EXIT_OK = 0;
/** `check` found at least one sequence behind its data; `realign` left at least one behind (it cannot be moved). */
export const EXIT_BEHIND = 1;
export const EXIT_ERROR = 2;
/**
 * Stopped by a signal, the shell's 128 + signal number: the statement waiting on the server was cancelled there and
 * its batch rolled back (see `seqsync realign --help`).
 */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

/** The exit code of a run stopped by `signal` ('SIGINT' or 'SIGTERM'; anything else counts as an interrupt). */
export function signalExitCode(signal: unknown): number {
  return signal === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT;
}

/**
 * The line for a second signal while the first one's cancel is under way: seqsync exits at once, without waiting to
 * hear that the server cancelled the statement.
 */
export function describeSecondSignal(signal: string, committedBatches: number): string {
  const committed = committedBatches > 0
    ? `${committedBatches} earlier batch${committedBatches > 1 ? 'es were' : ' was'} committed; the running one`
    : 'nothing was committed; a running batch';
  return `${signal} again: exiting without waiting for the server to cancel the running statement (${committed} `
    + 'rolls back on the server once the cancel or its lock timeout ends it)';
}

/** The one place an error becomes a line on stderr and an exit code. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT_ERROR };
  if (isSeqsyncError(error)) {
    const batches = error.committedBatches;
    const committed = batches > 0 ? ` (${batches} earlier batch${batches > 1 ? 'es were' : ' was'} committed; re-run to finish)` : '';
    const exitCode = error.code === 'INTERRUPTED' ? signalExitCode(error.cause) : EXIT_ERROR;
    return { message: `${error.message}${committed}`, exitCode };
  }
  return { message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, exitCode: EXIT_ERROR };
}

/** Behind its data and not moved by this run: no value past the data fits the sequence's range (listed as skipped). */
export function isStillBehind(sequence: SequenceReport): boolean {
  return sequence.behind && !movesSequence(sequence.action);
}

/**
 * The exit code of a finished run: `check` exits 1 when any sequence is behind; `realign` (and its dry run) when
 * any is still behind after it, so a script never reads "done" while the next insert can still collide.
 */
export function exitCodeFor(command: 'check' | 'realign', report: Report): number {
  const behind = command === 'check' ? report.sequences.some((s) => s.behind) : report.sequences.some(isStillBehind);
  return behind ? EXIT_BEHIND : EXIT_OK;
}

import { isSeqsyncError, type Report, type SequenceReport } from '@seqsync/core';
import { UsageError } from './args';

export const EXIT_OK = 0;
/** `check` found at least one sequence behind its data; `realign` left at least one behind (it cannot be moved). */
export const EXIT_BEHIND = 1;
export const EXIT_ERROR = 2;

/** The one place an error becomes a line on stderr and an exit code. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT_ERROR };
  if (isSeqsyncError(error)) {
    const batches = error.committedBatches;
    const committed = batches > 0 ? ` (${batches} earlier batch${batches > 1 ? 'es were' : ' was'} committed; re-run to finish)` : '';
    return { message: `${error.message}${committed}`, exitCode: EXIT_ERROR };
  }
  return { message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, exitCode: EXIT_ERROR };
}

/** Behind its data and not moved by this run: no value past the data fits the sequence's range (listed as skipped). */
export function isStillBehind(sequence: SequenceReport): boolean {
  return sequence.behind && sequence.action !== 'advanced' && sequence.action !== 'reset';
}

/**
 * The exit code of a finished run: `check` exits 1 when any sequence is behind; `realign` (and its dry run) when
 * any is still behind after it, so a script never reads "done" while the next insert can still collide.
 */
export function exitCodeFor(command: 'check' | 'realign', report: Report): number {
  const behind = command === 'check' ? report.sequences.some((s) => s.behind) : report.sequences.some(isStillBehind);
  return behind ? EXIT_BEHIND : EXIT_OK;
}

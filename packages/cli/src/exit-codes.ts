import { isSeqsyncError } from '@seqsync/core';
import { UsageError } from './args';

export const EXIT_OK = 0;
/** `check` found at least one sequence behind its data. */
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

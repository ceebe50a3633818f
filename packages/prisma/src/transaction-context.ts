import type { PrismaClientLike } from './prisma-connection';
import { SeqsyncError } from '@seqsync/core';

/** Prisma's description of the transaction a query runs in (`__internalParams.transaction`). */
export interface TransactionInfo {
  readonly kind: string;
  readonly id?: unknown;
}

interface ItxCapableClient extends PrismaClientLike {
  _createItxClient?: (transaction: TransactionInfo) => PrismaClientLike;
}

/**
 * The client the realign after a call must run on. A query extension only receives the base client,
 * and queries sent through it ignore the caller's transaction (prisma/prisma#20678). Inside an
 * interactive transaction that would be wrong twice: the new rows are not visible to another
 * connection yet, and locking their table from another connection waits on the transaction's own
 * locks until it times out. So inside `$transaction(async (tx) => …)` the realign joins that
 * transaction through the client Prisma builds for it — an internal method, the one community
 * extensions (row-level security) rely on; if it disappears, seqsync refuses rather than deadlock.
 *
 * In a batch `$transaction([…])` the call's promise settles after the batch committed, so the
 * base client sees the rows and nothing waits.
 */
export function clientForCall(base: PrismaClientLike, transaction: TransactionInfo | undefined): PrismaClientLike {
  if (transaction === undefined || transaction.kind !== 'itx') return base;
  const create = (base as ItxCapableClient)._createItxClient;
  if (typeof create !== 'function') {
    throw new SeqsyncError('INVALID_OPTION',
      'realignSequencesExtension cannot join this interactive transaction with this Prisma version: '
      + 'call `await realignSequences(tx, { metadata })` at the end of the transaction instead');
  }
  return create.call(base, transaction);
}

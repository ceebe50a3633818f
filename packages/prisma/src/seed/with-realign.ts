import type { PrismaClientLike } from '../connection/prisma-client-like';
import type { PrismaReport, PrismaSequenceOptions } from '../realign-sequences';
import { realignSequences } from '../realign-sequences';
import { formatSummary } from './summary';

export interface WithRealignOptions extends PrismaSequenceOptions {
  /** Call `$disconnect()` once done, success or failure, as a seed script's last step. Default true. */
  readonly disconnect?: boolean;
  /** Receives the report; default prints a one-line summary to stderr. */
  readonly onReport?: (report: PrismaReport) => void;
}

/** What the seed returned and what the realign did. */
export interface SeedOutcome<T> {
  readonly result: T;
  readonly report: PrismaReport;
}

/**
 * Runs a seed, then realigns the models' sequences, so the seed may insert explicit ids and the app's
 * next `create()` still works. The one-line seed hook for `prisma db seed`. The realign runs only after
 * the seed succeeded: a failed seed's error is what the developer needs to see first.
 *
 * @example
 * // prisma/seed.ts — run by `prisma db seed`
 * await withRealign(prisma, async (db) => {
 *   await db.user.createMany({ data: [{ id: 1, email: 'ada@example.com' }] });
 * }, { metadata: seqsyncMetadata });
 */
export async function withRealign<Client extends PrismaClientLike, T>(
  prisma: Client,
  seed: (prisma: Client) => Promise<T>,
  options: WithRealignOptions = {},
): Promise<SeedOutcome<T>> {
  const { disconnect = true, onReport = printSummary, ...realignOptions } = options;
  try {
    const result = await seed(prisma);
    const report = await realignSequences(prisma, realignOptions);
    onReport(report);
    return { result, report };
  } finally {
    if (disconnect) await (prisma as { $disconnect?: () => Promise<void> }).$disconnect?.();
  }
}

function printSummary(report: PrismaReport): void {
  process.stderr.write(`${formatSummary(report)}\n`);
}

import type { PrismaClientLike } from './prisma-connection';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import { formatCheck, formatRealign } from '@seqsync/cli';
import { realignSequences } from './realign-sequences';

export interface RealignAfterSeedOptions extends RealignSequencesOptions {
  /** Call `$disconnect()` once done, success or failure, as a seed script's last step. Default true. */
  readonly disconnect?: boolean;
  /** Receives the report; default prints {@link formatSequencesReport} to stderr. */
  readonly onReport?: (report: SequencesReport) => void | Promise<void>;
}

/** What the seed returned and what the realign did. */
export interface SeedOutcome<T> {
  readonly result: T;
  readonly report: SequencesReport;
}

/**
 * Runs a seed, then realigns the models' sequences, so the seed may insert explicit ids and the app's
 * next `create()` still works. The one-line seed hook for `prisma db seed`. The realign runs only after
 * the seed succeeded: a failed seed's error is what the developer needs to see first.
 *
 * @example
 * // prisma/seed.ts — run by `prisma db seed`
 * await realignAfterSeed(prisma, async (db) => {
 *   await db.user.createMany({ data: [{ id: 1, email: 'ada@example.com' }] });
 * }, { metadata: seqsyncMetadata });
 */
export async function realignAfterSeed<Client extends PrismaClientLike, T>(
  prisma: Client,
  seed: (prisma: Client) => Promise<T>,
  options: RealignAfterSeedOptions = {},
): Promise<SeedOutcome<T>> {
  const { disconnect = true, onReport = printReport, ...realignOptions } = options;
  try {
    const result = await seed(prisma);
    const report = await realignSequences(prisma, realignOptions);
    await onReport(report);
    return { result, report };
  } finally {
    if (disconnect) await (prisma as { $disconnect?: () => Promise<void> }).$disconnect?.();
  }
}

/**
 * The CLI's account of a run (what moved, what is behind, skipped sequences, tables without one), then
 * each Prisma model left out and why, prefixed `seqsync:` for seed output.
 *
 * @example
 * seqsync: Moved 1 of 1 sequence in 1 transaction.
 *
 * sequence            feeds           data max/min  next before  next after  action
 * ------------------  --------------  ------------  -----------  ----------  --------
 * public.User_id_seq  public.User.id  3             1            4           advanced
 *
 * skipped model Tag: String id "slug" has no @default: the application supplies every value, no sequence
 *
 * Moved 1 of 1 sequence in 1 transaction.
 */
export function formatSequencesReport(report: SequencesReport, command: 'realign' | 'check' = 'realign'): string {
  const text = command === 'check' ? formatCheck(report) : formatRealign(report);
  if (report.skipped.length === 0) return `seqsync: ${text}`;
  // The CLI's account ends with its closing line (the summary, or check's fix) so it stays on screen after a long
  // table: the skipped models go before it, not after.
  const lines = text.split('\n');
  const closing = lines[lines.length - 1];
  const body = lines.length > 1 ? lines.slice(0, -2) : lines;
  const skipped = report.skipped.map((m) => `skipped model ${m.model}: ${m.reason}`);
  return [`seqsync: ${body[0]}`, ...body.slice(1), '', ...skipped, '', closing].join('\n');
}

function printReport(report: SequencesReport): void {
  process.stderr.write(`${formatSequencesReport(report)}\n`);
}

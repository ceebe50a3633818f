// The TypeScript projects' app (copied into every project as src/app.ts; only those with a tsconfig compile it), the
// same source under each module resolution: typed use of the public API (a type error fails `tsc`), then the shared
// run of check → realign → check.
// An async main rather than top-level await: esbuild's CommonJS output has no top-level await.
import * as seqsync from '@seqsync/core';
import type { Report, SequenceReport } from '@seqsync/core';
import run from '../expect-run.cjs';

async function main(): Promise<void> {
  const url = process.env.SEQSYNC_PG_URL ?? '';
  const report: Report = await seqsync.check(url);
  const first: SequenceReport | undefined = report.sequences[0];
  const next: bigint | undefined = first?.nextValueBefore;
  if (typeof next !== 'bigint') throw new Error(`nextValueBefore should be a bigint, got ${typeof next}`);
  await run.expectCheckRealignCheck(seqsync, url);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

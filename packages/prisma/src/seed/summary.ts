import type { PrismaReport } from '../realign-sequences';

/**
 * A short, human summary of a run for seed output: what moved, and which models were skipped and why.
 *
 * @example
 * seqsync: advanced 2 of 3 sequences; skipped 1 model
 *   advanced public.User_id_seq: next value 1 → 4 (public.User.id)
 *   skipped Tag: String id "slug" has no @default: the application supplies every value, no sequence
 */
export function formatSummary(report: PrismaReport): string {
  const moved = report.sequences.filter((s) => s.action === 'advanced' || s.action === 'reset');
  const verb = report.dryRun ? 'would move' : 'advanced';
  const lines = [`seqsync: ${verb} ${moved.length} of ${report.sequences.length} sequence${report.sequences.length === 1 ? '' : 's'}`
    + (report.skippedModels.length > 0 ? `; skipped ${report.skippedModels.length} model${report.skippedModels.length === 1 ? '' : 's'}` : '')];
  for (const s of moved) {
    const uses = s.uses.map((u) => `${u.schema}.${u.table}.${u.column}`).join(', ');
    const action = report.dryRun ? `would ${s.action === 'reset' ? 'reset' : 'advance'}` : s.action;
    lines.push(`  ${action} ${s.schema}.${s.sequence}: next value ${s.nextValueBefore} → ${s.nextValueAfter} (${uses})`);
  }
  for (const s of report.sequences.filter((seq) => seq.exhaustionWarning)) {
    lines.push(`  warning ${s.schema}.${s.sequence} has used ${s.exhaustionPercent.toFixed(1)}% of its range`);
  }
  for (const m of report.skippedModels) lines.push(`  skipped ${m.model}: ${m.reason}`);
  return lines.join('\n');
}

import { movesSequence, type Report, type SequenceReport } from '@seqsync/core';
import { isStillBehind } from './exit-codes';

/** JSON with BigInt values as strings (JSON has no 64-bit integers). */
export function toJson(report: Report): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
}

function usesOf(sequence: SequenceReport): string {
  return sequence.uses.map((u) => `${u.schema}.${u.table}.${u.column}`).join(', ');
}

function renderTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function rowOf(sequence: SequenceReport): string[] {
  const extreme = sequence.increment > 0n ? sequence.dataMax : sequence.dataMin;
  return [`${sequence.schema}.${sequence.sequence}`, usesOf(sequence), extreme === null ? '(empty)' : String(extreme),
    `${sequence.nextValueBefore}`, `${sequence.nextValueAfter}`, sequence.action];
}

const HEADER = ['sequence', 'feeds', 'data max/min', 'next before', 'next after', 'action'];

function warnings(report: Report): string[] {
  return [
    ...report.warnings.map((warning) => `warning: ${warning}`),
    ...report.sequences
      .filter((s) => s.exhaustionWarning)
      .map((s) => `warning: ${s.schema}.${s.sequence} has used ${s.exhaustionPercent}% of its range (${usesOf(s)})`),
  ];
}

function footer(report: Report): string[] {
  const lines = warnings(report);
  for (const s of report.sequences.filter((x) => x.action === 'skipped')) lines.push(`skipped ${s.schema}.${s.sequence}: ${s.reason}`);
  if (report.tablesWithoutSequence.length > 0) lines.push(`no sequence feeds: ${report.tablesWithoutSequence.join(', ')}`);
  return lines;
}

export function formatCheck(report: Report): string {
  const behind = report.sequences.filter((s) => s.behind);
  const clear = report.sequences.length === 0 ? 'No sequence feeds a column in scope.'
    : report.sequences.length === 1 ? 'The 1 sequence is clear of its data.'
      : `All ${report.sequences.length} sequences are clear of their data.`;
  const lines = [behind.length === 0
    ? clear
    : `${behind.length} of ${report.sequences.length} sequences are behind their data; `
      + 'the next insert into these tables can fail with a duplicate key:'];
  if (behind.length > 0) {
    const fix = (s: SequenceReport) => (s.action === 'skipped' ? 'none: exhausted' : 'seqsync realign');
    lines.push('', renderTable(HEADER.slice(0, 5).concat('fix'), behind.map((s) => rowOf(s).slice(0, 5).concat(fix(s)))));
  }
  const rest = footer(report);
  if (rest.length > 0) lines.push('', ...rest);
  return lines.join('\n');
}

export function formatRealign(report: Report): string {
  // A dry run's rows say would_advance / would_reset in the action column, as its JSON does.
  const changed = report.sequences.filter((s) => movesSequence(s.action));
  const verb = report.dryRun ? 'would move' : 'Moved';
  const total = report.sequences.length;
  const transactions = report.dryRun ? '' : ` in ${report.batches} transaction${report.batches === 1 ? '' : 's'}`;
  const prefix = report.dryRun ? 'Dry run: ' : '';
  const lines = [`${prefix}${verb} ${changed.length} of ${total} sequence${total === 1 ? '' : 's'}${transactions}.`];
  if (changed.length > 0) lines.push('', renderTable(HEADER, changed.map(rowOf)));
  const stuck = report.sequences.filter(isStillBehind);
  if (stuck.length > 0) {
    const count = `${stuck.length} sequence${stuck.length === 1 ? ' is' : 's are'}`;
    lines.push('', `${count} still behind the data ${report.dryRun ? 'and would stay so' : 'after this run'} (see "skipped" below): `
      + 'the next insert into these tables can still fail with a duplicate key.');
  }
  const rest = footer(report);
  if (rest.length > 0) lines.push('', ...rest);
  if (report.dryRun && report.statements.length > 0) {
    lines.push('', '-- SQL realign would run:', ...report.statements.map((s) => `${s};`));
  }
  return lines.join('\n');
}

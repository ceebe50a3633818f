import { movesSequence, type Report, type SequenceReport } from '@seqsync/core';
import { isStillBehind } from './exit-codes';
import { writeJson } from './json-output';

/** JSON with BigInt values as strings (JSON has no 64-bit integers), as one string: what `--json` writes in pieces. */
export function toJson(report: Report): string {
  let text = '';
  writeJson(report, (chunk) => { text += chunk; });
  return text;
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
  const cutover = sequence.cutover;
  return [`${sequence.schema}.${sequence.sequence}`, usesOf(sequence), extreme === null ? '(empty)' : String(extreme),
    ...(cutover === undefined ? [] : [cutover.requiredNextValue === null ? '-' : String(cutover.requiredNextValue)]),
    `${sequence.nextValueBefore}`, `${sequence.nextValueAfter}`, sequence.action];
}

const HEADER = ['sequence', 'feeds', 'data max/min', 'next before', 'next after', 'action'];
/** With --from or --margin: the value each counter must reach besides its data's, before the positions. */
const CUTOVER_HEADER = ['sequence', 'feeds', 'data max/min', 'required', 'next before', 'next after', 'action'];

function headerOf(report: Report): string[] {
  return report.sequences.some((s) => s.cutover !== undefined) ? CUTOVER_HEADER : HEADER;
}

/** Names, the first ten of them: a cutover from a source of thousands of tables would otherwise print them all. */
function listOf(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}

/** The report's warnings, one line each: what --quiet still prints (on stderr). */
export function warningLines(report: Report): string[] {
  return [
    ...report.warnings.map((warning) => `warning: ${warning}`),
    ...report.sequences
      .filter((s) => s.exhaustionWarning)
      .map((s) => `warning: ${s.schema}.${s.sequence} has used ${s.exhaustionPercent}% of its range (${usesOf(s)})`),
  ];
}

function footer(report: Report): string[] {
  const lines = warningLines(report);
  for (const s of report.sequences.filter((x) => x.action === 'skipped')) lines.push(`skipped ${s.schema}.${s.sequence}: ${s.reason}`);
  if (report.tablesWithoutSequence.length > 0) lines.push(`no sequence feeds: ${report.tablesWithoutSequence.join(', ')}`);
  const cutover = report.cutover;
  if (cutover !== undefined) {
    lines.push(`source: ${cutover.source} (read only, ${cutover.sourceRoundTrips} round trips)`);
    if (cutover.unmatchedTarget.length > 0) {
      lines.push(`no source counter feeds ${listOf(cutover.unmatchedTarget)}: decided by the target's data alone`);
    }
    if (cutover.unmatchedSource.length > 0) lines.push(`on the source only (no target counter feeds): ${listOf(cutover.unmatchedSource)}`);
  }
  return lines;
}

/**
 * Check's report: the summary; the sequences behind, without a column of fixes (realign is the fix for every one it
 * can move: said once, last); the notes; and a summary again last, so it is still on screen after 3,000 rows.
 */
export function formatCheck(report: Report): string {
  const total = report.sequences.length;
  const behind = report.sequences.filter((s) => s.behind);
  // With --from or --margin, "behind" also means short of the position required (the source's, plus the margin).
  const required = headerOf(report) === CUTOVER_HEADER;
  if (behind.length === 0) {
    const clear = total === 0 ? 'No sequence feeds a column in scope.'
      : total === 1 ? `The 1 sequence is clear of its data${required ? ' and at its required position' : ''}.`
        : `All ${total} sequences are clear of their data${required ? ' and at their required positions' : ''}.`;
    return withSummaryLast(clear, [footer(report)], clear);
  }
  const count = `${behind.length} of ${total} sequences are behind their data${required ? ' or their required position' : ''}`;
  const header = headerOf(report);
  const table = renderTable(header.slice(0, -1), behind.map((s) => rowOf(s).slice(0, -1)));
  const stuck = behind.filter(isStillBehind).length;
  const them = required ? (behind.length === 1 ? 'it there' : 'them there')
    : behind.length === 1 ? 'it past its data' : 'them past their data';
  const fix = stuck === 0 ? `run seqsync realign with the same options to move ${them}`
    : stuck === behind.length ? `seqsync realign cannot move ${behind.length === 1 ? 'it' : 'them'} (see "skipped" above)`
      : `run seqsync realign with the same options to move ${behind.length - stuck} of them past their data; `
        + `${stuck} cannot be moved (see "skipped" above)`;
  const risk = required ? 'the next insert into these tables can fail with a duplicate key, or reuse an id the source handed out'
    : 'the next insert into these tables can fail with a duplicate key';
  return withSummaryLast(`${count}; ${risk}:`,
    [[table], footer(report)], `${count}: ${fix}.`);
}

/** Realign's report (and its dry run's): the summary, what moved, what stays behind, the notes, the SQL, the summary. */
export function formatRealign(report: Report): string {
  // A dry run's rows say would_advance / would_reset in the action column, as its JSON does.
  const changed = report.sequences.filter((s) => movesSequence(s.action));
  const verb = report.dryRun ? 'would move' : 'Moved';
  const total = report.sequences.length;
  const transactions = report.dryRun ? '' : ` in ${report.batches} transaction${report.batches === 1 ? '' : 's'}`;
  const prefix = report.dryRun ? 'Dry run: ' : '';
  const summary = `${prefix}${verb} ${changed.length} of ${total} sequence${total === 1 ? '' : 's'}${transactions}.`;
  const sections: string[][] = [];
  if (changed.length > 0) sections.push([renderTable(headerOf(report), changed.map(rowOf))]);
  const stuck = report.sequences.filter(isStillBehind);
  if (stuck.length > 0) {
    const count = `${stuck.length} sequence${stuck.length === 1 ? ' is' : 's are'}`;
    sections.push([`${count} still behind the data ${report.dryRun ? 'and would stay so' : 'after this run'} (see "skipped" below): `
      + 'the next insert into these tables can still fail with a duplicate key.']);
  }
  sections.push(footer(report));
  if (report.dryRun && report.statements.length > 0) {
    sections.push(['-- SQL realign would run:', ...report.statements.map((s) => `${s};`)]);
  }
  return withSummaryLast(summary, sections, summary);
}

/**
 * `first`, then the non-empty sections, each after a blank line, and — when there was any — `last`: a long table or
 * SQL listing scrolls the first line away.
 */
function withSummaryLast(first: string, sections: readonly (readonly string[])[], last: string): string {
  const body = sections.filter((section) => section.length > 0);
  if (body.length === 0) return first;
  return [first, ...body.flatMap((section) => ['', ...section]), '', last].join('\n');
}

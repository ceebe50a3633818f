// Reading measured cells and printing them as markdown tables: shared by the report, its targets and its chart.
import { CONTENDERS, IN_PROCESS } from './contenders.mjs';
import { formatCount, formatMs, formatRange, formatRatio, median } from './stats.mjs';

/** A cell's median time, measured or estimated; null when every run failed (or the contender did not run). */
export function timeOf(entry) {
  if (!entry) return null;
  if (entry.estimated) return entry.estimated.ms;
  return entry.runs.length > 0 ? median(entry.runs) : null;
}

/** Median time per table in microseconds, or null. */
export function perTableUs(entry, tables) {
  const ms = timeOf(entry);
  return ms === null ? null : (ms * 1000) / tables;
}

export const formatUs = (us) => (us >= 1000 ? formatMs(us / 1000) : `${us >= 100 ? us.toFixed(0) : us.toFixed(1)} µs`);

export function timeCell(entry) {
  if (entry.estimated) return `≈ ${formatMs(entry.estimated.ms)} (est.)`;
  if (entry.runs.length === 0) return entry.errors.length > 0 ? `fails: ${shortError(entry.errors[0])}` : '—';
  const failed = entry.errors.length > 0 ? ` + ${entry.errors.length} failed` : '';
  return `${formatRange(entry.runs)}${failed}`;
}

function shortError(message) {
  if (/out of shared memory/.test(message)) return '"out of shared memory" (lock table full)';
  return `\`${message.slice(0, 80).replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

/** The contenders a scenario ran, in the scenario's order. */
export const contendersOf = (scenario) => (scenario.contenders ?? IN_PROCESS).map((key) => CONTENDERS.find((c) => c.key === key));

function roundTripsOf(cells, key) {
  const counts = Object.values(cells).flatMap((cell) => cell[key]?.roundTrips ?? []);
  if (counts.length === 0) return null;
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? formatCount(low) : `${formatCount(low)}–${formatCount(high)}`;
}

function ratioCell(entry, reference) {
  const mine = timeOf(entry);
  const theirs = timeOf(reference);
  if (mine === null || theirs === null) return '—';
  return formatRatio(mine / theirs);
}

/**
 * One row per contender: round trips, then per network the time and the ratio to `reference` (seqsync `realign`
 * unless the scenario says otherwise), then how many sequences a writing contender left behind.
 */
export function scenarioTable(scenario, cells, networks, { reference = 'seqsync', referenceLabel = 'seqsync' } = {}) {
  const header = ['contender', 'round trips', ...networks.flatMap((n) => [n.label, `÷ ${referenceLabel}`]), 'behind after'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const { key, label, readOnly } of contendersOf(scenario)) {
    const row = [label, roundTripsOf(cells, key) ?? '—'];
    for (const network of networks) {
      const cell = cells[network.key];
      row.push(timeCell(cell[key]), key === reference ? '1×' : ratioCell(cell[key], cell[reference]));
    }
    const behind = cells.loopback?.[key].behindAfter;
    row.push(readOnly ? '(writes nothing)'
      : behind === null || behind === undefined ? '—' : `${formatCount(behind)} of ${formatCount(scenario.sequences)}`);
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Every table-count scenario of a run that has loopback cells: tuned sizes, then those on default settings. */
export function tableScenarios({ results, defaults }) {
  const tuned = results.filter((r) => r.scenario.rowsPerTable === null).map((r) => ({ ...r, server: 'tuned' }));
  const stock = (defaults?.results ?? []).map((r) => ({ ...r, server: 'defaults' }));
  return [...tuned, ...stock];
}

/** Old saved measurements (BENCH_REPORT_FROM) kept one scenario on default settings; now there may be several. */
export function normalize(measurements) {
  const { defaults } = measurements;
  if (defaults && !defaults.results) {
    const results = [{ scenario: defaults.scenario, cells: defaults.cells }];
    return { processes: null, findings: null, ...measurements, defaults: { settings: defaults.settings, results } };
  }
  return { processes: null, findings: null, ...measurements };
}

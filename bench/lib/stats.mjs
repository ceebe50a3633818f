// Medians, ranges and the way BENCHMARKS.md prints them.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Three significant digits: 8.42 ms, 84.2 ms, 842 ms, 8.42 s, 84.2 s. */
export function formatMs(ms) {
  if (ms >= 1000) return `${trim(ms / 1000)} s`;
  return `${trim(ms)} ms`;
}

function trim(value) {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatRange(values) {
  return `${formatMs(median(values))} (${formatMs(Math.min(...values))}–${formatMs(Math.max(...values))})`;
}

export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—';
  return ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}

export const formatMb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export const formatCount = (n) => n.toLocaleString('en');

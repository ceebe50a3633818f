// The scaling chart beside BENCHMARKS.md: median time against table count, log–log, one line per contender; one
// panel for loopback and one for the +1 ms proxy, drawn from the same run's measurements. Plain SVG text.
import { timeOf } from './cells.mjs';

const SERIES = [
  { key: 'seqsync', label: 'seqsync realign', color: '#1f5fbf' },
  { key: 'check', label: 'seqsync check', color: '#17a2b8' },
  { key: 'loop', label: 'per-table loop', color: '#d62728' },
  { key: 'django', label: 'Django sqlsequencereset', color: '#ff7f0e' },
  { key: 'do', label: 'DO block (pgloader)', color: '#9467bd' },
  { key: 'floor', label: 'floor (names known)', color: '#2ca02c' },
];
const DEFAULTS_SERIES = [
  { key: 'seqsync', label: 'seqsync realign, default settings', color: '#1f5fbf', dashed: true },
  { key: 'check', label: 'seqsync check, default settings', color: '#17a2b8', dashed: true },
];

const PANEL = { width: 430, height: 300, left: 84, top: 40, gap: 100 };
const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const log10 = Math.log10;

function seriesFor(scenarios, networkKey, definitions) {
  return definitions.map((definition) => ({
    ...definition,
    points: scenarios
      .map(({ scenario, cells }) => {
        const entry = cells[networkKey]?.[definition.key];
        const ms = timeOf(entry);
        return ms === null ? null : { x: scenario.tables, y: ms, estimated: Boolean(entry.estimated) };
      })
      .filter(Boolean)
      .sort((a, b) => a.x - b.x),
  })).filter((s) => s.points.length > 0);
}

/** A circle per measured point (hollow when estimated); a square for the default-settings series. */
function marker(x, y, series, estimated) {
  const fill = estimated ? '#ffffff' : series.color;
  if (series.dashed) {
    return `<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="${fill}" stroke="${series.color}"/>`;
  }
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${fill}" stroke="${series.color}" stroke-width="1.5"/>`;
}

const grid = (mantissa) => (mantissa === 1 ? '#bbbbbb' : '#eeeeee');
const tickLabelX = (v) => (v >= 1000 ? `${(v / 1000).toLocaleString('en')}k` : String(v));
const tickLabelY = (ms) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * The SVG text, or null when fewer than two table counts were measured. `measurements` as writeReport gets them.
 */
export function scalingChart({ results, defaults, networks }) {
  const tuned = results.filter((r) => r.scenario.rowsPerTable === null);
  const stock = defaults?.results ?? [];
  const oneMs = networks.find((n) => n.delayMs === 1) ?? networks[1];
  const panels = [
    { title: `loopback (round trip ${networks[0].rttMs.toFixed(2)} ms)`,
      series: [...seriesFor(tuned, 'loopback', SERIES), ...seriesFor(stock, 'loopback', DEFAULTS_SERIES)] },
  ];
  if (oneMs) {
    panels.push({ title: `${oneMs.label} per direction (round trip ${oneMs.rttMs.toFixed(2)} ms)`,
      series: seriesFor(tuned, oneMs.key, SERIES) });
  }
  const points = panels.flatMap((p) => p.series.flatMap((s) => s.points));
  if (new Set(points.map((p) => p.x)).size < 2) return null;
  // Table counts are decades (100, 1,000, …): a margin keeps their points off the frame.
  const xRange = [log10(Math.min(...points.map((p) => p.x))) - 0.15, log10(Math.max(...points.map((p) => p.x))) + 0.15];
  const yRange = [Math.floor(log10(Math.min(...points.map((p) => p.y)))), Math.ceil(log10(Math.max(...points.map((p) => p.y))))];
  if (yRange[0] === yRange[1]) yRange[1] += 1;
  const legend = [...SERIES, ...(stock.length > 0 ? DEFAULTS_SERIES : [])];
  const legendRows = Math.ceil(legend.length / 3);
  // Two panels' width even for one (no latency measured): the legend and the notes need it.
  const width = PANEL.left + 2 * PANEL.width + PANEL.gap + 30;
  const height = PANEL.top + PANEL.height + 60 + legendRows * 22 + 46;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `
      + 'font-family="Helvetica, Arial, sans-serif" font-size="12">',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  panels.forEach((panel, index) => {
    const x0 = PANEL.left + index * (PANEL.width + PANEL.gap);
    const sx = (v) => x0 + ((log10(v) - xRange[0]) / (xRange[1] - xRange[0])) * PANEL.width;
    const sy = (v) => PANEL.top + PANEL.height - ((log10(v) - yRange[0]) / (yRange[1] - yRange[0])) * PANEL.height;
    out.push(`<text x="${x0 + PANEL.width / 2}" y="${PANEL.top - 14}" text-anchor="middle" font-size="14" font-weight="bold">`
      + `${escape(panel.title)}</text>`);
    for (let e = Math.floor(xRange[0]); e <= xRange[1]; e += 1) {
      for (let m = 1; m < 10; m += 1) {
        if (log10(m * 10 ** e) < xRange[0] || log10(m * 10 ** e) > xRange[1]) continue;
        const x = sx(m * 10 ** e).toFixed(1);
        out.push(`<line x1="${x}" y1="${PANEL.top}" x2="${x}" y2="${PANEL.top + PANEL.height}" stroke="${grid(m)}"/>`);
      }
      if (e < xRange[0]) continue;
      out.push(`<text x="${sx(10 ** e).toFixed(1)}" y="${PANEL.top + PANEL.height + 18}" text-anchor="middle">`
        + `${tickLabelX(10 ** e)}</text>`);
    }
    for (let e = yRange[0]; e <= yRange[1]; e += 1) {
      for (let m = 1; m < 10 && (m === 1 || e < yRange[1]); m += 1) {
        const y = sy(m * 10 ** e).toFixed(1);
        out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + PANEL.width}" y2="${y}" stroke="${grid(m)}"/>`);
      }
      out.push(`<text x="${x0 - 6}" y="${(sy(10 ** e) + 4).toFixed(1)}" text-anchor="end">${tickLabelY(10 ** e)}</text>`);
    }
    out.push(`<rect x="${x0}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#333333"/>`);
    out.push(`<text x="${x0 + PANEL.width / 2}" y="${PANEL.top + PANEL.height + 38}" text-anchor="middle">tables</text>`);
    out.push(`<text transform="translate(${x0 - 62} ${PANEL.top + PANEL.height / 2}) rotate(-90)" text-anchor="middle">`
      + 'median time per run</text>');
    for (const series of panel.series) {
      const path = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
      const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
      for (const p of series.points) out.push(marker(sx(p.x), sy(p.y), series, p.estimated));
    }
  });
  const legendTop = PANEL.top + PANEL.height + 62;
  const column = (width - PANEL.left) / 3;
  legend.forEach((series, i) => {
    const x = PANEL.left + (i % 3) * column;
    const y = legendTop + Math.floor(i / 3) * 22;
    out.push(`<line x1="${x}" y1="${y}" x2="${x + 28}" y2="${y}" stroke="${series.color}" stroke-width="2"`
      + `${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${x + 36}" y="${y + 4}">${escape(series.label)}</text>`);
  });
  out.push(`<text x="${PANEL.left}" y="${height - 26}" fill="#555555">Circles: measured medians on the tuned server; hollow: estimated `
    + 'from loopback time + counted round trips × added round-trip time.</text>');
  out.push(`<text x="${PANEL.left}" y="${height - 10}" fill="#555555">Dashed lines, squares: the server restarted with PostgreSQL's `
    + 'default settings (the largest size spread over schemas).</text>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

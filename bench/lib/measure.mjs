// Runs contenders in child processes and collects times, round trips (counted at the proxy), peak RSS and
// whether any sequence is still behind its data afterwards.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { IN_PROCESS, contender } from './contenders.mjs';
import { connect, drift } from './fixtures.mjs';
import { runProcess } from './process.mjs';
import { median } from './stats.mjs';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/** Median of 50 `SELECT 1` round trips on one connection, after a warm-up. */
export async function pingRtt(url) {
  const client = await connect(url);
  try {
    for (let i = 0; i < 5; i += 1) await client.query('SELECT 1');
    const times = [];
    for (let i = 0; i < 50; i += 1) {
      const start = performance.now();
      await client.query('SELECT 1');
      times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    await client.end();
  }
}

/** One run of one contender in a fresh Node process; resolves with what the child printed. */
export function runChild(key, url, tablesFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify({ contender: key, url, tablesFile })],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`contender ${key} printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

/** One run of any contender: in a fresh Node process timed around its work, or as a whole process. */
function runContender(context, key, url, tablesFile) {
  return contender(key).process ? runProcess(key, url, tablesFile, context.scratch) : runChild(key, url, tablesFile);
}

/** Drifts the database unless it still is: a read-only contender leaves it as it found it. */
async function prepareRun(context, url, key) {
  context.drifted ??= new Map();
  if (context.drifted.get(url) !== true) await drift(url);
  context.drifted.set(url, contender(key).readOnly === true);
}

/** The proxy notices a closed connection a moment after the child exits. */
async function takeCount(proxy) {
  for (let waited = 0; waited < 2000; waited += 10) {
    const counts = proxy.takeCounts();
    if (counts.length > 0) return counts.reduce((a, b) => a + b, 0);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the proxy saw no connection close');
}

const proxyUrl = (proxy, database) => `postgres://postgres:bench@127.0.0.1:${proxy.port}/${database}`;

/** Round trips a contender needs when nobody knows them ahead: one run through the proxy that adds nothing. */
async function countRoundTrips(context, scenario, key) {
  await prepareRun(context, context.server.url(scenario.database), key);
  context.counting.takeCounts();
  const outcome = await runContender(context, key, proxyUrl(context.counting, scenario.database), scenario.tablesFile);
  return { roundTrips: await takeCount(context.counting), error: outcome.error ?? null };
}

/**
 * One scenario on one network: every contender `runs` times, interleaved. A latency cell whose runs are
 * predicted to exceed the cell budget is estimated instead (loopback median + round trips × added RTT).
 */
export async function measureCell(context, scenario, network, loopback, options = {}) {
  const { config, log } = context;
  const directUrl = context.server.url(scenario.database);
  const url = network.proxy ? proxyUrl(network.proxy, scenario.database) : directUrl;
  const cell = {};
  const measured = [];
  const keys = scenario.contenders ?? IN_PROCESS;
  for (const key of keys) {
    cell[key] = { runs: [], errors: [], roundTrips: [], rss: [], phases: [], batches: [], estimated: null, behindAfter: null };
    if (network.proxy === null || config.full || loopback === null) {
      measured.push(key);
      continue;
    }
    const base = loopback[key];
    const expected = expectedRoundTrips(key, scenario, base);
    const predicted = (base.runs.length > 0 ? median(base.runs) : 0) + expected * network.addedRttMs;
    if (predicted * config.runs <= config.cellBudgetMs || base.runs.length === 0) {
      measured.push(key);
      continue;
    }
    const { roundTrips, error } = await countRoundTrips(context, scenario, key);
    if (error === null) cell[key].roundTrips.push(roundTrips);
    cell[key].estimated = { ms: median(base.runs) + roundTrips * network.addedRttMs, predictedRunMs: predicted };
    log(`  ${network.label} ${key}: estimated (a run would take ~${(predicted / 1000).toFixed(0)} s)`);
  }
  // Read-only contenders first: they share the drift of the run's first writer.
  measured.sort((a, b) => Number(contender(b).readOnly === true) - Number(contender(a).readOnly === true));
  const runs = scenario.runs ?? config.runs;
  for (let run = 0; run < runs; run += 1) {
    for (const key of measured) {
      await prepareRun(context, directUrl, key);
      network.proxy?.takeCounts();
      const outcome = await runContender(context, key, url, scenario.tablesFile);
      const entry = cell[key];
      const counted = network.proxy ? await takeCount(network.proxy) : null;
      // A failed run's count says where it stopped, not what the contender needs: only completed runs count.
      if (counted !== null && !outcome.error) entry.roundTrips.push(counted);
      if (outcome.error) {
        entry.errors.push(outcome.error);
      } else {
        entry.runs.push(outcome.ms);
        if (outcome.phases) entry.phases.push(outcome.phases);
        if (outcome.batches !== undefined) entry.batches.push(outcome.batches);
        if (outcome.roundTrips !== undefined && !network.proxy) entry.roundTrips.push(outcome.roundTrips);
      }
      entry.rss.push(outcome.maxRssBytes ?? 0);
      if (run === 0 && network.proxy === null && !contender(key).readOnly) {
        entry.behindAfter = await countBehind(directUrl, scenario.tablesFile);
      }
    }
    log(`  ${network.label} run ${run + 1}/${runs}: ${measured.map((key) => `${key} ${summary(cell[key])}`).join(', ')}`);
  }
  if (options.countRoundTrips) {
    for (const key of keys) {
      const counted = await countRoundTrips(context, scenario, key);
      if (counted.error === null) cell[key].roundTrips.push(counted.roundTrips);
    }
  }
  return cell;
}

function summary(entry) {
  if (entry.runs.length === 0) return entry.errors.length > 0 ? 'failed' : '-';
  return `${entry.runs[entry.runs.length - 1].toFixed(0)} ms`;
}

/** seqsync says how many round trips it made; the other contenders' count follows from what they send. */
function expectedRoundTrips(key, scenario, base) {
  switch (key) {
    case 'seqsync': case 'check': case 'cli-realign': case 'cli-check': case 'cli-realign-capped': case 'cli-check-capped':
      return base.roundTrips.length > 0 ? median(base.roundTrips) : 3;
    case 'loop': case 'proc-loop': return scenario.tables;
    case 'django': return scenario.tables + 2;
    default: return 1;
  }
}

/**
 * Sequences whose next value is not past their data, checked without seqsync: per sequence, MAX over every
 * table it feeds against last_value/is_called (all fixture sequences ascend by 1). 200 sequences per query.
 */
export async function countBehind(url, tablesFile) {
  const tables = JSON.parse(readFileSync(tablesFile, 'utf8'));
  const groups = new Map();
  for (const entry of tables) {
    const name = `"${entry.schema}"."${entry.sequence}"`;
    groups.set(name, [...(groups.get(name) ?? []), entry]);
  }
  const checks = [...groups].map(([sequence, members]) => {
    const maxima = members.map((m) => `(SELECT max("${m.column}") FROM "${m.schema}"."${m.table}")`);
    return `SELECT GREATEST(${maxima.join(', ')}) AS data_max,
      CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS next_value FROM ${sequence}`;
  });
  const client = await connect(url);
  let behind = 0;
  try {
    for (let from = 0; from < checks.length; from += 200) {
      const { rows } = await client.query(`SELECT count(*)::int AS behind FROM (${checks.slice(from, from + 200).join('\nUNION ALL\n')}) s
        WHERE data_max IS NOT NULL AND next_value <= data_max`);
      behind += rows[0].behind;
    }
  } finally {
    await client.end();
  }
  return behind;
}

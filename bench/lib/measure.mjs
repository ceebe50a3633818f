// Runs contenders in child processes and collects times, round trips (counted at the proxy), peak RSS and
// whether any sequence is still behind its data afterwards.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { CONTENDERS } from './contenders.mjs';
import { connect, drift } from './fixtures.mjs';
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
export function runChild(contender, url, tablesFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify({ contender, url, tablesFile })], { stdio: ['ignore', 'pipe', 'pipe'] });
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
        reject(new Error(`contender ${contender} printed no result: ${stdout}${stderr}`));
      }
    });
  });
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
async function countRoundTrips(context, scenario, contender) {
  await drift(context.server.url(scenario.database));
  context.counting.takeCounts();
  const outcome = await runChild(contender, proxyUrl(context.counting, scenario.database), scenario.tablesFile);
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
  for (const { key } of CONTENDERS) {
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
  for (let run = 0; run < config.runs; run += 1) {
    for (const key of measured) {
      await drift(directUrl);
      network.proxy?.takeCounts();
      const outcome = await runChild(key, url, scenario.tablesFile);
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
      if (run === 0 && network.proxy === null) entry.behindAfter = await countBehind(directUrl, scenario.tablesFile);
    }
    log(`  ${network.label} run ${run + 1}/${config.runs}: ${measured.map((key) => `${key} ${summary(cell[key])}`).join(', ')}`);
  }
  if (options.countRoundTrips) {
    for (const { key } of CONTENDERS) {
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
    case 'seqsync': return base.roundTrips.length > 0 ? median(base.roundTrips) : 3;
    case 'loop': return scenario.tables;
    case 'django': return scenario.tables + 2;
    default: return 1;
  }
}

/**
 * Sequences whose next value is not past their data, checked without seqsync: per sequence, MAX over every
 * table it feeds against last_value/is_called (all fixture sequences ascend by 1).
 */
export async function countBehind(url, tablesFile) {
  const tables = JSON.parse(readFileSync(tablesFile, 'utf8'));
  const groups = new Map();
  for (const entry of tables) groups.set(entry.sequence, [...(groups.get(entry.sequence) ?? []), entry]);
  const client = await connect(url);
  let behind = 0;
  try {
    for (const [sequence, members] of groups) {
      const maxima = members.map((m) => `(SELECT max("${m.column}") FROM "public"."${m.table}")`);
      const { rows } = await client.query(`SELECT GREATEST(${maxima.join(', ')})::text AS data_max,
        CASE WHEN is_called THEN last_value + 1 ELSE last_value END::text AS next_value FROM "public"."${sequence}"`);
      const { data_max: dataMax, next_value: nextValue } = rows[0];
      if (dataMax !== null && BigInt(nextValue) <= BigInt(dataMax)) behind += 1;
    }
  } finally {
    await client.end();
  }
  return behind;
}

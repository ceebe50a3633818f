// One measured run, in a fresh Node process: connect, run one contender, print one JSON line.
// A fresh process per run gives every contender a cold connection (PostgreSQL's relation caches are per
// connection) and gives seqsync an honest peak RSS, JIT warm-up and module loading included.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DO_BLOCK, djangoStatements, floorScript, perTableLoopStatements } from './contenders.mjs';

const require = createRequire(import.meta.url);
const { contender, url, tablesFile } = JSON.parse(process.argv[2]);
// BENCH_CORE points at another build of @seqsync/core (e.g. an older commit's) to compare engines.
const CORE = process.env.BENCH_CORE ?? '../../packages/core/dist/index.js';
// Only the contenders that work from names known in advance load them (seqsync's peak RSS must not include them).
const tables = tablesFile && ['loop', 'django', 'floor'].includes(contender) ? JSON.parse(readFileSync(tablesFile, 'utf8')) : [];

async function main() {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  // Everything a contender needs is built before the clock starts, as it would be in a script file.
  const prepared = prepare(contender);
  const started = performance.now();
  let outcome;
  try {
    outcome = await prepared(client);
  } catch (error) {
    outcome = { error: `${error.code ?? ''} ${error.message}`.trim() };
  }
  const ms = performance.now() - started;
  await client.end().catch(() => undefined);
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, ...outcome })}\n`);
}

function prepare(key) {
  switch (key) {
    case 'baseline':
      // Node, pg and seqsync loaded and connected, nothing run: what seqsync's peak RSS is compared with.
      require(CORE);
      return async () => ({});
    case 'seqsync':
    case 'check': {
      const run = require(CORE)[key === 'seqsync' ? 'realign' : 'check'];
      return async (client) => {
        const phases = timePhases(client);
        const report = await run(client);
        return {
          phases,
          roundTrips: report.roundTrips,
          batches: report.batches,
          advanced: report.sequences.filter((s) => s.action === 'advanced' || s.action === 'would_advance').length,
        };
      };
    }
    case 'loop': {
      const statements = perTableLoopStatements(tables);
      return async (client) => {
        for (const sql of statements) await client.query(sql);
        return {};
      };
    }
    case 'django': {
      const statements = djangoStatements(tables);
      return async (client) => {
        try {
          for (const sql of statements) await client.query(sql);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        return {};
      };
    }
    case 'do':
      return async (client) => { await client.query(DO_BLOCK); return {}; };
    case 'floor': {
      const script = floorScript(tables);
      return async (client) => {
        try {
          await client.query(script);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        return {};
      };
    }
    default:
      throw new Error(`unknown contender ${key}`);
  }
}

/** Times each round trip seqsync makes (catalog, lock + read per batch, write + commit per batch), in order. */
function timePhases(client) {
  const phases = [];
  const query = client.query.bind(client);
  client.query = (...args) => {
    const start = performance.now();
    const result = query(...args);
    return result.then((value) => { phases.push(performance.now() - start); return value; });
  };
  return phases;
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ error: `child failed: ${error.stack ?? error}` })}\n`);
  process.exitCode = 1;
});

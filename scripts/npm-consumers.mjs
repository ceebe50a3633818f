#!/usr/bin/env node
// What an npm user gets: every package packed by pnpm (which rewrites workspace:* to versions, as publishing does),
// the tarballs installed with npm (not pnpm) into fresh projects of each kind users have — CommonJS under plain
// Jest, ESM, TypeScript nodenext and bundler, esbuild bundles, the CLI, TypeORM 0.3, Prisma 6 — and each project's
// own `npm test`, which asserts real outcomes against real PostgreSQL in a database of its own.
//
//   node scripts/npm-consumers.mjs [project ...]     (after `pnpm build`; `pnpm test:consumers` does both)
//
// Projects are the folders of scripts/npm-consumers/projects; each package.json names the seqsync packages it
// installs in "seqsyncPackages". The files of scripts/npm-consumers/shared are copied into every project (its src/app.ts
// is the TypeScript projects' app).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'scripts', 'npm-consumers');
const baseUrl = process.env.SEQSYNC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** npm installs are mostly waiting on the registry; more than this at once only slows the 2-core machine. */
const PARALLEL = 3;
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const TEST_TIMEOUT_MS = 5 * 60_000;

const wanted = process.argv.slice(2);
const projects = readdirSync(join(here, 'projects')).filter((name) => wanted.length === 0 || wanted.includes(name)).sort();
const unknown = wanted.filter((name) => !projects.includes(name));
if (unknown.length > 0 || projects.length === 0) {
  process.stderr.write(`npm-consumers: no project ${unknown.join(', ') || '(none found)'} in scripts/npm-consumers/projects\n`);
  process.exit(2);
}

// Inherited npm/pnpm settings (pnpm sets npm_config_* for scripts) and jest's NODE_OPTIONS would make the fresh
// projects something other than what a user has; the node-gyp headers location is the one setting kept.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^NODE_OPTIONS$|^PNPM_/i.test(key)));
if (process.env.npm_config_nodedir) env.npm_config_nodedir = process.env.npm_config_nodedir;

const work = mkdtempSync(join(tmpdir(), 'seqsync-consumers-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const packed = packAll();
process.stdout.write(`packed ${Object.keys(packed).length} packages into ${tarballs}\n`);

const results = [];
const queue = [...projects];
await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) results.push(await runProject(name));
}));

results.sort((a, b) => a.name.localeCompare(b.name));
for (const result of results) {
  const took = `install ${seconds(result.installMs)}, test ${seconds(result.testMs)}`;
  process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}  (${took})\n`);
  if (!result.ok) process.stdout.write(`${indent(result.log)}\n`);
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`${results.length - failed} of ${results.length} consumer projects passed\n`);
if (failed === 0) rmSync(work, { recursive: true, force: true });
else process.stdout.write(`kept ${work} for inspection\n`);
process.exit(failed === 0 ? 0 : 1);

function packAll() {
  const found = {};
  for (const dir of readdirSync(join(root, 'packages'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir.name, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const result = spawnSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', dir.name), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pnpm pack in packages/${dir.name} failed:\n${result.stdout}${result.stderr}`);
    const tarball = readdirSync(tarballs).find((file) => file.startsWith(`${manifest.name.replace('@', '').replace('/', '-')}-`));
    if (tarball === undefined) throw new Error(`pnpm pack left no tarball for ${manifest.name}`);
    found[dir.name] = join(tarballs, tarball);
  }
  return found;
}

async function runProject(name) {
  const dir = join(work, name);
  // The shared files first, so a project's own file of the same name (prisma-6's src/app.ts) wins.
  cpSync(join(here, 'shared'), dir, { recursive: true });
  cpSync(join(here, 'projects', name), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const wantedPackages = manifest.seqsyncPackages ?? [];
  const missing = wantedPackages.filter((p) => packed[p] === undefined);
  if (missing.length > 0) return { name, ok: false, log: `no tarball for ${missing.join(', ')}`, installMs: 0, testMs: 0 };

  const database = `seqsync_consumer_${name.replace(/[^a-z0-9]/gi, '_')}_${process.pid}`;
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  await admin(`CREATE DATABASE "${database}"`);
  const logLines = [];
  try {
    const installStart = Date.now();
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...wantedPackages.map((p) => packed[p])],
      dir, INSTALL_TIMEOUT_MS, logLines);
    const installMs = Date.now() - installStart;
    if (install !== 0) return { name, ok: false, log: `npm install exited ${install}\n${logLines.join('')}`, installMs, testMs: 0 };
    const testStart = Date.now();
    const testEnv = { SEQSYNC_PG_URL: url.href, SEQSYNC_TARBALLS: tarballs };
    const test = await run('npm', ['test', '--silent'], dir, TEST_TIMEOUT_MS, logLines, testEnv);
    writeFileSync(join(dir, 'consumer.log'), logLines.join(''));
    return { name, ok: test === 0, log: `npm test exited ${test}\n${logLines.join('')}`, installMs, testMs: Date.now() - testStart };
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

function run(command, args, cwd, timeoutMs, logLines, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      logLines.push(`\n${command} ${args[0]}: no end after ${timeoutMs / 1000} s, killed\n`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => logLines.push(String(chunk)));
    child.stderr.on('data', (chunk) => logLines.push(String(chunk)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text) {
  return text.trimEnd().split('\n').slice(-60).map((line) => `    ${line}`).join('\n');
}

#!/usr/bin/env node
// The README's two commands on a fresh machine with only Node and npm: `npm run demo` and `npm test`.
// Installs with pnpm 12 (fetched by npx when it is not on the PATH) from the frozen lockfile, builds,
// then runs the demo or the test suite. Idempotent: on a machine already set up it only rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [task, ...rest] = process.argv.slice(2);
const env = { ...process.env };

// better-sqlite3 compiles with node-gyp, which downloads Node's headers unless told where installed ones
// are; offline machines with headers under the Node prefix fail without this. pnpm does not pass
// .npmrc's nodedir to build scripts, but they inherit the environment pnpm starts with.
const prefix = join(process.execPath, '..', '..');
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  return probe.status === 0 && probe.stdout.startsWith('12.') ? ['pnpm'] : ['npx', '-y', 'pnpm@12'];
}

if (task !== 'demo' && task !== 'test') {
  process.stderr.write('usage: node scripts/bootstrap.mjs demo|test [args...]\n');
  process.exit(2);
}
const [pnpm, ...pnpmArgs] = pnpmCommand();
run(pnpm, [...pnpmArgs, 'install', '--frozen-lockfile']);
run(pnpm, [...pnpmArgs, 'run', 'build']);
if (task === 'demo') {
  run(process.execPath, [join(root, 'packages', 'cli', 'dist', 'demo.js'), ...rest]);
} else {
  // PGlite loads its WebAssembly module with a dynamic import, which jest only allows with VM modules.
  run(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...rest],
    { NODE_OPTIONS: [env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' ') });
}

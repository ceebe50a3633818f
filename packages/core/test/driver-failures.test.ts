import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InstalledCore } from './support/installed-core';
import { installCoreFromSource, runNode } from './support/installed-core';

const JEST_BIN = require.resolve('jest/bin/jest');
// The driver is loaded before any connection is tried: nothing listens here, and nothing needs to.
const URL = 'postgres://postgres@127.0.0.1:1/none';
const FAILURE = `(error) => console.log(JSON.stringify({ code: error.code, firstLine: error.message.split('\\n')[0] }))`;

let project: InstalledCore;

beforeAll(async () => {
  project = await installCoreFromSource('driver-failures');
  const run = `check(${JSON.stringify(URL)}).then(() => console.log('no error'), ${FAILURE});\n`;
  project.write('app.cjs', `const { check } = require('@seqsync/core');\n${run}`);
  project.write('app.mjs', `import { check } from '@seqsync/core';\n${run}`);
  project.write('check.test.js', `
const { check } = require('@seqsync/core');
test('check fails to load pg', async () => {
  const error = await check(${JSON.stringify(URL)}).catch((e) => e);
  expect({ code: error.code, firstLine: error.message.split('\\n')[0] }).toEqual(JSON.parse(process.env.EXPECTED));
});
`);
});

afterAll(() => project.remove());

/** Replaces the project's `pg` with the given files; none: no pg at all. */
function installFakePg(files: Record<string, string>): void {
  rmSync(join(project.dir, 'node_modules', 'pg'), { recursive: true, force: true });
  if (Object.keys(files).length === 0) return;
  mkdirSync(join(project.dir, 'node_modules', 'pg'));
  for (const [name, text] of Object.entries(files)) project.write(join('node_modules', 'pg', name), text);
}

const MANIFEST = JSON.stringify({ name: 'pg', version: '8.0.0', main: 'index.js' });

/** Each layout of node_modules/pg, and the first line of the error from node (either build) and from plain Jest. */
const layouts: { layout: string; files: Record<string, string>; node: string; jest: string }[] = [
  {
    layout: 'no pg installed: the error says how to install it',
    files: {},
    node: 'the PostgreSQL driver is not installed: npm install pg',
    jest: 'the PostgreSQL driver is not installed: npm install pg',
  },
  {
    layout: 'pg installed but throwing as it loads: the error is pg\'s own, not "npm install pg"',
    files: { 'package.json': MANIFEST, 'index.js': 'throw new Error(\'pg: the native binding is missing\');\n' },
    node: 'the PostgreSQL driver pg is installed but failed to load: pg: the native binding is missing',
    jest: 'the PostgreSQL driver pg is installed but failed to load: pg: the native binding is missing',
  },
  {
    layout: 'pg installed without a dependency of its own: a broken install, not a missing driver',
    files: { 'package.json': MANIFEST, 'index.js': 'module.exports = require(\'pg-types-gone\');\n' },
    node: 'the PostgreSQL driver pg is installed but failed to load: Cannot find module \'pg-types-gone\'',
    jest: 'the PostgreSQL driver pg is installed but failed to load: '
      + 'Cannot find module \'pg-types-gone\' from \'node_modules/pg/index.js\'',
  },
];

describe.each(layouts)('$layout', ({ files, node, jest }) => {
  beforeAll(() => installFakePg(files));

  test('the CommonJS build under node', async () => {
    const run = await runNode(project.dir, ['app.cjs']);
    expect({ code: run.code, stderr: run.stderr, error: JSON.parse(run.stdout) }).toEqual({
      code: 0, stderr: '', error: { code: 'DRIVER_MISSING', firstLine: node },
    });
  });

  test('the ESM build under node', async () => {
    const run = await runNode(project.dir, ['app.mjs']);
    expect({ code: run.code, stderr: run.stderr, error: JSON.parse(run.stdout) }).toEqual({
      code: 0, stderr: '', error: { code: 'DRIVER_MISSING', firstLine: node },
    });
  });

  test('the CommonJS build under plain Jest (no --experimental-vm-modules)', async () => {
    const expected = JSON.stringify({ code: 'DRIVER_MISSING', firstLine: jest });
    const run = await runNode(project.dir, [JEST_BIN, '--rootDir', project.dir, '--config', JSON.stringify({ transform: {} }),
      '--cacheDirectory', join(project.dir, '.jest-cache'), '--ci'], { EXPECTED: expected });
    expect(run.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(run.code).toBe(0);
  });
});

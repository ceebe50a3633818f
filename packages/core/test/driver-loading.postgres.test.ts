import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { InstalledCore } from './support/installed-core';
import { installCoreFromSource, runCommand, runNode } from './support/installed-core';
import type { TestDatabase } from '../../../test-support/test-database';
import { createTestDatabase } from '../../../test-support/test-database';

// The esbuild tsup builds with (its native binary), run by its command line as an app's build script would.
const ESBUILD_BIN = join(createRequire(require.resolve('tsup')).resolve('esbuild/package.json'), '..', 'bin', 'esbuild');
const JEST_BIN = require.resolve('jest/bin/jest');

/** What every app below prints of its check: one line, values as strings. */
const PRINT_REPORT = `(report) => console.log(JSON.stringify(report.sequences.map((s) => ({
  sequence: s.sequence, nextValueBefore: String(s.nextValueBefore), dataMax: String(s.dataMax), behind: s.behind, action: s.action,
}))))`;
const EXPECTED = [{ sequence: 'item_id_seq', nextValueBefore: '1', dataMax: '3', behind: true, action: 'would_advance' }];

let db: TestDatabase;
let project: InstalledCore;

beforeAll(async () => {
  [db, project] = await Promise.all([createTestDatabase('driver_loading'), installCoreFromSource('driver-loading')]);
  await db.sql('CREATE TABLE item (id serial PRIMARY KEY); INSERT INTO item (id) VALUES (1), (2), (3)');
  project.linkRealPg();
});

afterAll(async () => {
  project.remove();
  await db.drop();
});

function printed(run: { code: number | null; stdout: string; stderr: string }): unknown {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

test('the CommonJS build loads pg with require: check from plain node sees the one sequence behind its data', async () => {
  project.write('app.cjs', `require('@seqsync/core').check(process.env.DATABASE_URL).then(${PRINT_REPORT});`);
  expect(printed(await runNode(project.dir, ['app.cjs'], { DATABASE_URL: db.url }))).toEqual(EXPECTED);
});

test('plain Jest (CommonJS, no --experimental-vm-modules, no transform) runs check from the CommonJS build', async () => {
  project.write('check.test.js', `
const { check } = require('@seqsync/core');
test('check through pg', async () => {
  const report = await check(process.env.DATABASE_URL);
  expect(report.sequences.map((s) => [s.sequence, s.nextValueBefore, s.dataMax, s.behind, s.action]))
    .toEqual([['item_id_seq', 1n, 3n, true, 'would_advance']]);
});
`);
  const run = await runNode(project.dir, [JEST_BIN, '--rootDir', project.dir, '--config', JSON.stringify({ transform: {} }),
    '--cacheDirectory', join(project.dir, '.jest-cache'), '--ci'], { DATABASE_URL: db.url });
  expect(run.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  expect(run.stderr).not.toMatch(/DRIVER_MISSING|not installed/);
  expect(run.code).toBe(0);
});

test('an esbuild ESM bundle of an app keeps pg out of the bundle and loads it from node_modules at run time', async () => {
  project.write('esm-app.mjs', `import { check } from '@seqsync/core';\n(${PRINT_REPORT})(await check(process.env.DATABASE_URL));\n`);
  const bundled = await runCommand(project.dir, ESBUILD_BIN, ['esm-app.mjs', '--bundle', '--platform=node', '--format=esm',
    '--outfile=dist/esm-app.mjs', '--log-level=error']);
  expect(bundled).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(printed(await runNode(project.dir, ['dist/esm-app.mjs'], { DATABASE_URL: db.url }))).toEqual(EXPECTED);
});

test('an esbuild CommonJS bundle of an ESM app (core\'s ESM build, its import.meta emptied) loads pg through __filename', async () => {
  project.write('cjs-app.mjs', `import { check } from '@seqsync/core';\ncheck(process.env.DATABASE_URL).then(${PRINT_REPORT});\n`);
  const bundled = await runCommand(project.dir, ESBUILD_BIN, ['cjs-app.mjs', '--bundle', '--platform=node', '--format=cjs',
    '--outfile=dist/cjs-app.cjs', '--log-level=error']);
  expect(bundled).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(printed(await runNode(project.dir, ['dist/cjs-app.cjs'], { DATABASE_URL: db.url }))).toEqual(EXPECTED);
});

test('an ESM-only driver whose module has a top-level await (require refuses it) is loaded with import()', async () => {
  const esmOnly = await installCoreFromSource('driver-loading-esm-only');
  try {
    const realPg = createRequire(join(__dirname, '..', 'package.json')).resolve('pg');
    esmOnly.write('node_modules/pg/package.json', JSON.stringify({ name: 'pg', type: 'module', exports: './index.js' }));
    esmOnly.write('node_modules/pg/index.js',
      `import pg from ${JSON.stringify(realPg)};\nawait Promise.resolve();\nexport const Client = pg.Client;\n`);
    esmOnly.write('app.cjs', `require('@seqsync/core').check(process.env.DATABASE_URL).then(${PRINT_REPORT});`);
    expect(printed(await runNode(esmOnly.dir, ['app.cjs'], { DATABASE_URL: db.url }))).toEqual(EXPECTED);
  } finally {
    esmOnly.remove();
  }
});

import { inspect } from 'node:util';
import { SeqsyncError, isSeqsyncError } from '../src';
import type { InstalledCore } from './support/installed-core';
import { installCoreFromSource, runNode } from './support/installed-core';

let project: InstalledCore;

beforeAll(async () => {
  project = await installCoreFromSource('errors-across-builds');
});

afterAll(() => project.remove());

test('an error thrown by either build is a SeqsyncError, with its code, to the other build in the same process', async () => {
  // What an app meets when its own `import` gets the ESM build and an ORM package's `require` the CommonJS one.
  project.write('both-builds.mjs', `
import { createRequire } from 'node:module';
import * as esm from '@seqsync/core';
const cjs = createRequire(import.meta.url)('@seqsync/core');
const seenBy = (core, error) => ({ isSeqsyncError: core.isSeqsyncError(error), instanceOf: error instanceof core.SeqsyncError });
const fromCjs = await cjs.check('nonsense://x').catch((error) => error);
const fromEsm = await esm.check('nonsense://x').catch((error) => error);
console.log(JSON.stringify({
  twoClasses: esm.SeqsyncError !== cjs.SeqsyncError,
  fromCjs: { code: fromCjs.code, byEsm: seenBy(esm, fromCjs), byCjs: seenBy(cjs, fromCjs) },
  fromEsm: { code: fromEsm.code, byCjs: seenBy(cjs, fromEsm), byEsm: seenBy(esm, fromEsm) },
  message: fromCjs.message === fromEsm.message ? fromCjs.message : [fromCjs.message, fromEsm.message],
}));
`);
  const run = await runNode(project.dir, ['both-builds.mjs']);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const both = { isSeqsyncError: true, instanceOf: true };
  expect(JSON.parse(run.stdout)).toEqual({
    twoClasses: true,
    fromCjs: { code: 'UNSUPPORTED_DATABASE', byEsm: both, byCjs: both },
    fromEsm: { code: 'UNSUPPORTED_DATABASE', byCjs: both, byEsm: both },
    message: 'unsupported database "nonsense:": expected a postgres://, postgresql://, mysql://, mariadb://, sqlite: or file: URL',
  });
});

test('the brand is Symbol.for(\'seqsync.error\') with a string code; an Error with a code alone is not a SeqsyncError', () => {
  const branded = Object.assign(new Error('from another copy of core'), { code: 'LOCK_TIMEOUT' });
  Object.defineProperty(branded, Symbol.for('seqsync.error'), { value: true });
  const brandWithoutCode = Object.defineProperty(new Error('no code'), Symbol.for('seqsync.error'), { value: true });
  const codeWithoutBrand = Object.assign(new Error('a driver error'), { code: 'LOCK_TIMEOUT' });
  const judged = [branded, brandWithoutCode, codeWithoutBrand, null, 'LOCK_TIMEOUT'];
  expect(judged.map((value) => [isSeqsyncError(value), value instanceof SeqsyncError]))
    .toEqual([[true, true], [false, false], [false, false], [false, false], [false, false]]);
});

test('a subclass of SeqsyncError keeps the ordinary instanceof: only its own errors are instances of it', () => {
  class RetryableError extends SeqsyncError {}
  const retryable = new RetryableError('LOCK_TIMEOUT', 'locks not granted');
  const plain = new SeqsyncError('LOCK_TIMEOUT', 'locks not granted');
  expect([retryable instanceof SeqsyncError, retryable instanceof RetryableError, plain instanceof RetryableError])
    .toEqual([true, true, false]);
});

test('the brand lives on the prototype: an error\'s own properties and its printed form are unchanged', () => {
  const error = new SeqsyncError('INVALID_OPTION', 'lockTimeoutMs must be a positive integer');
  expect({ symbols: Object.getOwnPropertySymbols(error), keys: Object.keys(error), printed: inspect(error).split('\n')[0] }).toEqual({
    symbols: [],
    keys: ['code', 'committedBatches', 'changed', 'name'],
    printed: 'SeqsyncError: lockTimeoutMs must be a positive integer',
  });
});

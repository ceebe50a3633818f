import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import { connectKnex, expectDuplicateKey, fixtures, insertWithoutId } from './support/knex-test-support';

const run = promisify(execFile);
const integrationTests = join(__dirname, '..');
const repositoryRoot = join(integrationTests, '..');

/**
 * The real knex CLI on a TypeScript knexfile, the way a project runs it: `node --import tsx knex …`.
 * tsx resolves `@seqsync/knex` in the fixtures through the repository tsconfig's paths (the sources, no build needed).
 */
async function knexCli(db: TestDatabase, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    join('node_modules', 'knex', 'bin', 'cli.js'),
    '--knexfile',
    fixtures.knexfile,
    ...args,
  ], {
    cwd: integrationTests,
    env: {
      ...process.env,
      SEQSYNC_KNEX_URL: db.url,
      TSX_TSCONFIG_PATH: join(repositoryRoot, 'tsconfig.json'),
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  });
  return stdout;
}

describe('knex CLI with a TypeScript knexfile on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_cli');
    knex = connectKnex(db);
  });
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('knex migrate:up / migrate:latest: 23505 after the legacy-rows migration, exact ids after the realign migrations', async () => {
    await knexCli(db, 'migrate:up');
    expect(await knexCli(db, 'migrate:up')).toContain('20240102000000_import_legacy_rows.ts');
    await expectDuplicateKey(insertWithoutId(knex, 'users', { name: 'Linus' }), 'users_pkey');

    expect(await knexCli(db, 'migrate:latest')).toContain('Batch 3 run: 2 migrations');
    expect(await insertWithoutId(knex, 'users', { name: 'Linus' })).toBe(52);
    expect(await insertWithoutId(knex, 'UserAccount', { email: 'linus@example.com' })).toBe(21);
    expect(await insertWithoutId(knex, 'billing.invoices', { amount: 1 })).toBe(103);
  });

  it('knex seed:run: 23505 with only the users seed, exact ids once zz_realign_sequences.ts runs last', async () => {
    await knexCli(db, 'seed:run', '--specific=01_users.ts');
    await expectDuplicateKey(insertWithoutId(knex, 'users', { name: 'Ken' }), 'users_pkey');

    expect(await knexCli(db, 'seed:run')).toContain('Ran 3 seed files');
    expect(await insertWithoutId(knex, 'users', { name: 'Ken' })).toBe(61);
    expect(await insertWithoutId(knex, 'UserAccount', { email: 'ken@example.com' })).toBe(26);
    expect(await insertWithoutId(knex, 'billing.invoices', { amount: 2 })).toBe(151);
  });
});

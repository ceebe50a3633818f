import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import * as schema from './fixtures/pg-schema';

const run = promisify(execFile);
const repositoryRoot = join(__dirname, '..', '..');
const SCRIPT = 'drizzle-kit migrate --config integration-tests/drizzle/fixtures/drizzle.config.ts && seqsync realign';

/**
 * The package-script step of the README, run as npm runs a script: `sh -c` with node_modules/.bin on the PATH, so
 * `drizzle-kit` is the real drizzle-kit (applying fixtures/pg-migrations, whose 0001 ships rows with fixed ids) and
 * `seqsync` the CLI built from this source (SEQSYNC_CLI_BIN), both reading DATABASE_URL from the environment.
 */
describe('drizzle-kit migrate && seqsync realign, as a package script', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: NodePgDatabase<typeof schema>;
  let bin: string;

  beforeAll(async () => {
    database = await createTestDatabase('drizzle_cli');
    pool = new Pool({ connectionString: database.url, max: 2 });
    db = drizzle(pool, { schema, casing: 'snake_case' });
    bin = mkdtempSync(join(tmpdir(), 'seqsync-bin-'));
    writeFileSync(join(bin, 'seqsync'), `#!/bin/sh\nexec "${process.execPath}" "${process.env.SEQSYNC_CLI_BIN}" "$@"\n`);
    chmodSync(join(bin, 'seqsync'), 0o755);
  });
  afterAll(async () => {
    rmSync(bin, { recursive: true, force: true });
    await pool.end();
    await database.drop();
  });

  it('the migrations apply, the CLI moves the sequences their fixed ids left behind, the next inserts get the next id', async () => {
    const path = [bin, join(repositoryRoot, 'integration-tests', 'node_modules', '.bin'), process.env.PATH].join(delimiter);
    const { stdout } = await run('sh', ['-c', SCRIPT], {
      cwd: repositoryRoot,
      env: { ...process.env, PATH: path, DATABASE_URL: database.url, NO_COLOR: '1', FORCE_COLOR: '0' },
    });

    expect(stdout).toContain('Moved 4 of 7 sequences in 1 transaction.');
    expect((await db.insert(schema.users).values({ name: 'Linus' }).returning())[0].id).toBe(4);
    expect((await db.insert(schema.userAccounts).values({ email: 'x@example.com' }).returning())[0].accountId).toBe(21);
    expect((await db.insert(schema.invoices).values({ amountCents: 1 }).returning())[0].id).toBe(102);
    expect((await db.insert(schema.tickets).values({ title: 'x' }).returning())[0].id).toBe(31);
  });
});

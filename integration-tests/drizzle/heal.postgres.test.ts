import { Pool } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import type { HealCause, Report } from '@seqsync/drizzle';
import { healAttemptOf, healOnDuplicateKey } from '@seqsync/drizzle';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';

const accounts = pgTable('accounts', { id: serial().primaryKey(), email: text().unique() });

/** healOnDuplicateKey(db) for db.insert(table).values(rows) on drizzle-orm/node-postgres, against real PostgreSQL. */
describe('healOnDuplicateKey(db) on drizzle-orm/node-postgres', () => {
  let database: TestDatabase;
  let pool: Pool;
  const heals: { report: Report; cause: HealCause }[] = [];
  const plain = () => drizzle(pool);
  let healing: ReturnType<typeof drizzle>;

  beforeAll(async () => {
    database = await createTestDatabase('drizzle_heal');
    pool = new Pool({ connectionString: database.url, max: 4 });
    // DROP DATABASE … WITH (FORCE) may end a pooled connection pool.end() is still closing.
    pool.on('error', () => undefined);
    healing = healOnDuplicateKey(drizzle(pool), { onHeal: (report, cause) => heals.push({ report, cause }) });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  // accounts 1..30 imported with explicit ids: accounts_id_seq still hands out 1.
  beforeEach(async () => {
    heals.length = 0;
    await database.sql(`DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id serial PRIMARY KEY, email text UNIQUE);
      INSERT INTO accounts (id, email) SELECT i, 'user' || i || '@example.com' FROM generate_series(1, 30) AS i`);
  });

  const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e);
  const causeOf = (error: unknown) => (error as { cause?: { code?: string; constraint?: string } } | null)?.cause;

  it('an insert without an id succeeds on the first call with exactly MAX+1; without the wrapper it fails with 23505', async () => {
    expect(causeOf(await failure(plain().insert(accounts).values({ email: 'plain@example.com' }))))
      .toMatchObject({ code: '23505', constraint: 'accounts_pkey' });

    const [row] = await healing.insert(accounts).values({ email: 'new@example.com' }).returning();
    expect(row.id).toBe(31);
    expect(heals.map((h) => h.cause)).toEqual([{ table: 'public.accounts', operation: 'insert into accounts' }]);
  });

  it('an explicit duplicate id and a duplicate email fail with their own error, and nothing is realigned', async () => {
    const explicit = await failure(healing.insert(accounts).values({ id: 5, email: 'five@example.com' }));
    const email = await failure(healing.insert(accounts).values({ id: 100, email: 'user1@example.com' }));

    expect([causeOf(explicit)?.constraint, causeOf(email)?.constraint]).toEqual(['accounts_pkey', 'accounts_email_key']);
    expect([healAttemptOf(explicit), healAttemptOf(email)]).toEqual([undefined, undefined]);
    expect(heals).toEqual([]);
    expect(await nextValue(database, 'accounts_id_seq')).toBe(1n);
  });

  it('20 concurrent failing inserts on one table all succeed after exactly one realign', async () => {
    const rows = await Promise.all(Array.from({ length: 20 }, () => healing.insert(accounts).values({}).returning()));

    expect(rows.map(([row]) => row.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
    expect(heals).toHaveLength(1);
    expect(await nextValue(database, 'accounts_id_seq')).toBe(51n);
  });

  it('inside db.transaction() nothing is healed: the failure aborted it, and the original error stands', async () => {
    const error = await failure(healing.transaction((tx) => tx.insert(accounts).values({ email: 'tx@example.com' })));

    expect(causeOf(error)).toMatchObject({ code: '23505', constraint: 'accounts_pkey' });
    expect(heals).toEqual([]);
    expect(await nextValue(database, 'accounts_id_seq')).toBe(2n);
  });
});

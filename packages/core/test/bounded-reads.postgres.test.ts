import { Client } from 'pg';
import { check, realign } from '../src';
import { callerTransaction, createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

/**
 * A read waits behind a migration's ACCESS EXCLUSIVE lock while holding ACCESS SHARE on the tables read before it,
 * so writers on those wait too: check and dry runs give up after lockTimeoutMs, like realign, naming the table.
 */
describe('check and dry runs behind a migration\'s ACCESS EXCLUSIVE lock', () => {
  let db: TestDatabase;
  let blocker: Client;
  beforeAll(async () => {
    db = await createTestDatabase('bounded_reads');
    await db.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY); '
      + 'INSERT INTO a VALUES (3); INSERT INTO b VALUES (5);');
  });
  beforeEach(async () => {
    blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE');
  });
  afterEach(async () => {
    await blocker.query('ROLLBACK');
    await blocker.end();
  });
  afterAll(() => db.drop());

  const lockTimeout = { code: 'LOCK_TIMEOUT', committedBatches: 0, message: expect.stringMatching(
    /^lock timeout after 300 ms waiting for table "public"\."b" \(AccessExclusiveLock held by pid \d+\)/) };

  it.each([
    ['check', () => check(db.url, { lockTimeoutMs: 300 })],
    ['a dry run', () => realign(db.url, { dryRun: true, lockTimeoutMs: 300 })],
  ])('%s on its own connection fails with LOCK_TIMEOUT naming the table and its holder', async (_name, run) => {
    await expect(run()).rejects.toMatchObject(lockTimeout);
    expect(await nextValue(db, 'a_id_seq')).toBe(1n);
  });

  it('inside a caller\'s transaction, one statement at a time: the same error, and the caller\'s lock_timeout is put back', async () => {
    await db.client.query("BEGIN; SET LOCAL lock_timeout = '42s'");
    try {
      const inTransaction = callerTransaction(db.client);
      const { rows } = await db.client.query("SELECT pg_catalog.current_setting('lock_timeout') AS t");
      expect(rows).toEqual([{ t: '42s' }]);
      await expect(check(inTransaction, { tables: ['a'] }))
        .resolves.toMatchObject({ sequences: [expect.objectContaining({ dataMax: 3n })] });
      expect((await db.client.query("SELECT pg_catalog.current_setting('lock_timeout') AS t")).rows).toEqual([{ t: '42s' }]);
      await expect(check(inTransaction, { lockTimeoutMs: 300 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT', committedBatches: 0 });
    } finally {
      await db.client.query('ROLLBACK');
    }
  });
});

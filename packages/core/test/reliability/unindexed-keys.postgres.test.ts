import type { Client } from 'pg';
import { check, realign } from '../../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../../test-support/test-database';
import { connect, rejection, waitForLockWait, withApplicationName } from './support/pg-helpers';

/**
 * A sequence-fed key without an index makes its MAX a full scan, taken while the batch holds its table locks. Such
 * a sequence is batched on its own, so the writers of every other table never wait behind that scan; the report
 * warns about it. Shown without timing: while realign is stuck on the unindexed table's lock, a writer on another
 * table — locked first in name order were the two in one batch — inserts at once.
 */
describe('unindexed keys on PostgreSQL', () => {
  let db: TestDatabase;
  const clients: Client[] = [];
  beforeEach(async () => {
    db = await createTestDatabase('unindexed');
    await db.sql(`CREATE TABLE a_small (id serial PRIMARY KEY); INSERT INTO a_small VALUES (5);
      CREATE SEQUENCE b_big_seq; CREATE TABLE b_big (id int NOT NULL DEFAULT nextval('b_big_seq'), note text);
      ALTER SEQUENCE b_big_seq OWNED BY b_big.id; INSERT INTO b_big (id) SELECT generate_series(1, 20000)`);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await db.drop();
  });

  it('is batched alone and warned about; a writer of another table does not wait behind it', async () => {
    const dryRun = await realign(db.url, { dryRun: true });
    expect(dryRun.warnings).toContain('"public"."b_big"."id" has no index led by it: its MAX is a full scan, during which '
      + 'that table\'s writers wait (it is locked in a batch of its own)');
    const holder = await connect(db.url, 'holder');
    clients.push(holder);
    await holder.query('BEGIN; INSERT INTO b_big (id) VALUES (20001)');
    const run = rejection(realign(withApplicationName(db.url, 'seqsync-unindexed'), { lockTimeoutMs: 30_000 }));
    await waitForLockWait(db, 'seqsync-unindexed');
    // a_small's batch committed before; its writers are free while b_big's batch waits.
    const writer = await connect(db.url, 'writer');
    clients.push(writer);
    await writer.query('SET lock_timeout = 2000');
    expect((await writer.query('INSERT INTO a_small DEFAULT VALUES RETURNING id')).rows).toEqual([{ id: 6 }]);
    await db.sql('SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1', ['seqsync-unindexed']);
    const error = await run;
    expect(error.code).toBe('QUERY_CANCELED');
    expect(error.committedBatches).toBe(1);
    await holder.query('ROLLBACK');
    expect(await nextValue(db, 'b_big_seq')).toBe(1n);
    const report = await realign(db.url);
    expect(report.batches).toBe(2);
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['a_small_id_seq', 7n], ['b_big_seq', 20001n]]);
    expect((await check(db.url)).sequences.filter((s) => s.behind)).toEqual([]);
  });
});

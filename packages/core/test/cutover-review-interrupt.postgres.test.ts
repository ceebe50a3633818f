import { Client } from 'pg';
import { check, isSeqsyncError, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

/*
 * Review of cutover (from): a signal or a lost connection while the source is being read. The source is the old
 * primary, still in production: a statement seqsync leaves waiting there keeps its batch's locks and queues behind
 * other sessions' until its lock timeout.
 */

function outcome(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  return run.then(() => ({ code: 'resolved', message: '' }),
    (error: unknown) => (isSeqsyncError(error)
      ? { code: error.code, message: error.message } : { code: 'thrown', message: String(error) }));
}

describe('cutover review: interrupting the source read', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let locker: Client;
  beforeEach(async () => {
    [source, target] = await Promise.all([createTestDatabase('rv_int_src'), createTestDatabase('rv_int_dst')]);
    await source.sql(`CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY); SELECT setval('a_id_seq', 100)`);
    await target.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY)');
    // Another session on the old primary holds b: the source read waits for it.
    locker = new Client({ connectionString: source.url });
    await locker.connect();
    await locker.query('BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE');
  });
  afterEach(async () => {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end().catch(() => undefined);
    await Promise.all([source.drop(), target.drop()]);
  });

  const waitingOnSource = () => source.sql<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);

  it('SIGINT while the source read waits on a lock cancels it on the source: INTERRUPTED at once (not after the 10 s '
    + 'wait for an unreachable server), nothing was changed, and no seqsync statement is left waiting on the old primary', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 300);
    const started = Date.now();
    const result = await outcome(realign(target.url, { from: source.url, lockTimeoutMs: 30_000, signal: controller.signal }));
    const elapsed = Date.now() - started;
    const leftWaiting = await waitingOnSource();

    expect(result.code).toBe('INTERRUPTED');
    expect(result.message).toMatch(/nothing was changed/i);
    // Not the target's "could not cancel … dropped its connection": the statement in flight was the source's.
    expect(result.message).not.toMatch(/could not cancel/);
    expect(elapsed).toBeLessThan(8_000);
    expect(leftWaiting).toEqual([]);
    expect(await nextValue(target, 'a_id_seq')).toBe(1n);
  });

  it('a source connection killed during the read is named as the source\'s, and says nothing was changed', async () => {
    setTimeout(() => {
      void source.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    }, 300);
    const result = await outcome(check(target.url, { from: source.url, lockTimeoutMs: 20_000 }));

    expect(result.code).toBe('CONNECTION_LOST');
    expect(result.message).toMatch(/^source postgres:\/\/[^ ]+: /);
    expect(result.message).toMatch(/nothing was changed/i);
  });
});

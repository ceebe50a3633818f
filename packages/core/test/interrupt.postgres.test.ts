import { Client } from 'pg';
import { realign, type SeqsyncError } from '../src';
import { describeError } from '../../cli/src/exit-codes';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { startTcpRelay } from '../../../test-support/tcp-relay';

/**
 * Options.signal on real PostgreSQL: what a run interrupted while it waits behind another session's lock has
 * changed, says it has changed, and leaves behind — on seqsync's own connection, on a caller's, and when the server
 * cannot be reached to cancel.
 */
describe('realign interrupted by its signal on PostgreSQL', () => {
  let db: TestDatabase;
  const sessions: Client[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('interrupt_core');
  });
  beforeEach(async () => {
    await db.sql('DROP TABLE IF EXISTS t1, t2, t3; CREATE TABLE t1 (id serial PRIMARY KEY); CREATE TABLE t2 (id serial PRIMARY KEY); '
      + 'CREATE TABLE t3 (id serial PRIMARY KEY); INSERT INTO t1 VALUES (5); INSERT INTO t2 VALUES (6); INSERT INTO t3 VALUES (7);');
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((client) => client.end().catch(() => undefined)));
  });
  afterAll(() => db.drop());

  async function session(applicationName = 'seqsync-test'): Promise<Client> {
    const client = new Client({ connectionString: db.url, application_name: applicationName });
    client.on('error', () => undefined);
    await client.connect();
    sessions.push(client);
    return client;
  }

  async function holdRowExclusive(table: string): Promise<Client> {
    const holder = await session();
    await holder.query(`BEGIN; LOCK TABLE ${table} IN ROW EXCLUSIVE MODE`);
    return holder;
  }

  /** Backends of this database, by application_name, that wait for a lock. */
  async function waitingPids(applicationName: string): Promise<number[]> {
    const rows = await db.sql<{ pid: number }>(
      `SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE NOT l.granted AND a.datname = $1 AND a.application_name = $2`, [db.name, applicationName]);
    return rows.map((row) => row.pid);
  }

  async function untilWaiting(applicationName: string): Promise<number> {
    for (let tries = 0; tries < 400; tries += 1) {
      const [pid] = await waitingPids(applicationName);
      if (pid !== undefined) return pid;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no backend of ${applicationName} waits for a lock`);
  }

  async function nextValues(): Promise<bigint[]> {
    return [await nextValue(db, 't1_id_seq'), await nextValue(db, 't2_id_seq'), await nextValue(db, 't3_id_seq')];
  }

  it('between committed batches: batch 1 stays committed, batch 2 is cancelled and rolled back, batch 3 never starts', async () => {
    const holder = await holdRowExclusive('t2');
    const interrupt = new AbortController();
    const run = realign(db.url, { batchSize: 1, lockTimeoutMs: 60_000, signal: interrupt.signal }).catch((error: SeqsyncError) => error);
    await untilWaiting('seqsync');
    interrupt.abort('SIGINT');
    const error = await run as SeqsyncError;
    expect(error).toMatchObject({ code: 'INTERRUPTED', committedBatches: 1, cause: 'SIGINT',
      message: 'interrupted by SIGINT in batch 2 of 3, which was stopped and rolled back; nothing in it was changed' });
    expect(describeError(error)).toEqual({ exitCode: 130, message: 'interrupted by SIGINT in batch 2 of 3, which was stopped and '
      + 'rolled back; nothing in it was changed (1 earlier batch was committed; re-run to finish)' });
    // Nothing of seqsync's waits or holds a lock any more, though the holder still holds its own.
    expect(await waitingPids('seqsync')).toEqual([]);
    expect(await nextValues()).toEqual([6n, 1n, 1n]);
    await holder.query('ROLLBACK');
  });

  it('a connection the caller passed is never cancelled: the run stops at its next statement, once the wait ends', async () => {
    const holder = await holdRowExclusive('t1');
    const caller = await session('caller');
    const interrupt = new AbortController();
    const run = realign(caller, { lockTimeoutMs: 60_000, signal: interrupt.signal }).catch((error: SeqsyncError) => error);
    const pid = await untilWaiting('caller');
    interrupt.abort('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await waitingPids('caller')).toEqual([pid]);
    await holder.query('ROLLBACK');
    expect(await run).toMatchObject({ code: 'INTERRUPTED', committedBatches: 0,
      message: 'interrupted by SIGTERM in batch 1 of 1, which was stopped and rolled back; nothing was changed' });
    expect(await nextValues()).toEqual([1n, 1n, 1n]);
    // The caller's connection is still theirs, open, and out of the rolled-back transaction.
    expect((await caller.query('SELECT pg_catalog.txid_current_if_assigned() AS txid')).rows).toEqual([{ txid: null }]);
  });

  it('a server that cannot be reached to cancel: the run stops within the cancel attempt\'s bound and says what is unknown', async () => {
    const holder = await holdRowExclusive('t1');
    const relay = await startTcpRelay(db.url);
    try {
      const interrupt = new AbortController();
      const run = realign(relay.url, { lockTimeoutMs: 60_000, signal: interrupt.signal }).catch((error: SeqsyncError) => error);
      const pid = await untilWaiting('seqsync');
      relay.freeze();
      const signalled = Date.now();
      interrupt.abort('SIGINT');
      const error = await run as SeqsyncError;
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(error.code).toBe('INTERRUPTED');
      expect(error.message).toMatch(new RegExp('^interrupted by SIGINT: could not cancel the statement running on the server: '
        + 'the cancel request did not reach the server \\(no answer from 127\\.0\\.0\\.1:\\d+ within 3000 ms\\); '
        + 'seqsync dropped its connection: nothing in the open batch was committed by seqsync'));
      // What the message warns of: the server's session still waits, with its locks, until it is ended.
      expect(await waitingPids('seqsync')).toEqual([pid]);
      await db.sql('SELECT pg_catalog.pg_terminate_backend($1)', [pid]);
    } finally {
      await relay.close();
    }
    await holder.query('ROLLBACK');
    expect(await nextValues()).toEqual([1n, 1n, 1n]);
  });

  it('a signal aborted before the run: nothing is read or written', async () => {
    const interrupt = new AbortController();
    interrupt.abort('SIGINT');
    await expect(realign(db.url, { signal: interrupt.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED', committedBatches: 0, message: 'interrupted by SIGINT before the catalog was read; nothing was changed' });
    expect(await nextValues()).toEqual([1n, 1n, 1n]);
  });
});

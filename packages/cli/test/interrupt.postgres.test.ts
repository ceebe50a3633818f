import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { startTcpRelay } from '../../../test-support/tcp-relay';
import { exitedEarly, startSeqsync, waitUntil, type Run } from './cli-run';

/**
 * SIGINT / SIGTERM while the built `seqsync` waits behind another session's lock, on real PostgreSQL: the waiting
 * statement is cancelled on the server (not left holding its batch's locks until lock_timeout), the batch rolls
 * back, one line says so and the exit code is the shell's for the signal.
 */
describe('seqsync interrupted while waiting on PostgreSQL', () => {
  let db: TestDatabase;
  const sessions: Client[] = [];
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('interrupt');
    // Both sequences behind their data, so realign has something to write; alpha sorts (and is locked) first.
    await db.sql('CREATE TABLE alpha (id serial PRIMARY KEY); CREATE TABLE beta (id serial PRIMARY KEY); '
      + 'INSERT INTO alpha VALUES (1), (2), (3); INSERT INTO beta VALUES (1), (2);');
  });
  afterEach(async () => {
    // A run the test failed to interrupt must not go on to realign behind the next test's back.
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(sessions.splice(0).map((client) => client.end().catch(() => undefined)));
  });
  afterAll(() => db.drop());

  async function session(): Promise<Client> {
    const client = new Client({ connectionString: db.url, application_name: 'seqsync-test' });
    client.on('error', () => undefined);
    await client.connect();
    sessions.push(client);
    return client;
  }

  /** The pid of a backend in this database waiting for a lock, by application_name. */
  async function waitingPid(applicationName: string): Promise<number | null> {
    const rows = await db.sql<{ pid: number }>(
      `SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE NOT l.granted AND a.datname = $1 AND a.application_name = $2`, [db.name, applicationName]);
    return rows[0]?.pid ?? null;
  }

  async function locksHeldBySeqsync(): Promise<number> {
    const [row] = await db.sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.datname = $1 AND a.application_name = 'seqsync' AND l.locktype = 'relation'`, [db.name]);
    return row.count;
  }

  function expectInterrupted(result: Run, code: number, line: string): void {
    expect(result).toEqual({ code, stdout: '', stderr: `${line}\n` });
  }

  /**
   * Starts `seqsync args` behind `hold` (run in another session's open transaction), waits until it waits, starts
   * `writer` in a third session and waits until that waits behind seqsync, then sends `signal`.
   */
  async function interruptWhileWaiting(args: string[], hold: string, writer: string, signal: NodeJS.Signals) {
    const holder = await session();
    await holder.query(`BEGIN; ${hold}`);
    const run = startSeqsync([...args, '--url', db.url, '--lock-timeout', '60000']);
    children.push(run.child);
    await Promise.race([waitUntil('seqsync waits for a lock', async () => (await waitingPid('seqsync')) !== null), exitedEarly(run.done)]);
    const writing = await session();
    await writing.query("SET application_name = 'seqsync-writer'");
    const written = writing.query(writer).then(() => Date.now());
    await waitUntil('the writer waits behind seqsync', async () => (await waitingPid('seqsync-writer')) !== null);
    const signalled = Date.now();
    run.child.kill(signal);
    const result = await run.done;
    // The holder still holds its lock: the writer was blocked by seqsync's own lock, which the cancel let go.
    const writerWaitedMs = (await written) - signalled;
    await holder.query('ROLLBACK');
    return { result, writerWaitedMs };
  }

  it('realign: SIGINT cancels the wait for the lock, rolls the batch back, exits 130 and lets the blocked writer on', async () => {
    const { result, writerWaitedMs } = await interruptWhileWaiting(['realign'],
      'LOCK TABLE beta IN ROW EXCLUSIVE MODE', 'INSERT INTO alpha (id) VALUES (10)', 'SIGINT');
    expectInterrupted(result, 130,
      'seqsync: interrupted by SIGINT in batch 1 of 1, which was stopped and rolled back; nothing was changed');
    // Without the cancel the writer waits until seqsync's 60 s lock timeout.
    expect(writerWaitedMs).toBeLessThan(10_000);
    expect(await locksHeldBySeqsync()).toBe(0);
    expect(await nextValue(db, 'alpha_id_seq')).toBe(1n);
    expect(await nextValue(db, 'beta_id_seq')).toBe(1n);
    await db.sql('DELETE FROM alpha WHERE id = 10');
  });

  it('realign: SIGTERM does the same and exits 143', async () => {
    const { result, writerWaitedMs } = await interruptWhileWaiting(['realign'],
      'LOCK TABLE beta IN ROW EXCLUSIVE MODE', 'INSERT INTO alpha (id) VALUES (10)', 'SIGTERM');
    expectInterrupted(result, 143,
      'seqsync: interrupted by SIGTERM in batch 1 of 1, which was stopped and rolled back; nothing was changed');
    expect(writerWaitedMs).toBeLessThan(10_000);
    expect(await locksHeldBySeqsync()).toBe(0);
    expect(await nextValue(db, 'alpha_id_seq')).toBe(1n);
    expect(await nextValue(db, 'beta_id_seq')).toBe(1n);
    await db.sql('DELETE FROM alpha WHERE id = 10');
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)(
    'check behind ACCESS EXCLUSIVE: %s cancels the read, so a migration waiting behind its ACCESS SHARE goes on; exit %d',
    async (signal, code) => {
      const { result, writerWaitedMs } = await interruptWhileWaiting(['check'],
        'LOCK TABLE beta IN ACCESS EXCLUSIVE MODE', 'BEGIN; LOCK TABLE alpha IN ACCESS EXCLUSIVE MODE; COMMIT', signal);
      expectInterrupted(result, code,
        `seqsync: interrupted by ${signal} while reading batch 1 of 1 (the read was stopped); nothing was changed`);
      expect(writerWaitedMs).toBeLessThan(10_000);
      expect(await locksHeldBySeqsync()).toBe(0);
      expect(await nextValue(db, 'alpha_id_seq')).toBe(1n);
      expect(await nextValue(db, 'beta_id_seq')).toBe(1n);
    });

  it('a second SIGINT while the first one\'s cancel cannot reach the server exits at once, with one line saying so', async () => {
    const holder = await session();
    await holder.query('BEGIN; LOCK TABLE beta IN ROW EXCLUSIVE MODE');
    const relay = await startTcpRelay(db.url);
    try {
      const run = startSeqsync(['realign', '--url', relay.url, '--lock-timeout', '60000']);
      children.push(run.child);
      const seqsyncWaits = async () => (await waitingPid('seqsync')) !== null;
      await Promise.race([waitUntil('seqsync waits for a lock', seqsyncWaits), exitedEarly(run.done)]);
      const pid = (await waitingPid('seqsync'))!;
      // The first signal's cancel goes into the silent relay and waits for its 3 s bound; the second does not wait.
      relay.freeze();
      run.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      run.child.kill('SIGINT');
      expectInterrupted(await run.done, 130, 'seqsync: SIGINT again: exiting without waiting for the server to cancel the running '
        + 'statement (nothing was committed; a running batch rolls back on the server once the cancel or its lock timeout ends it)');
      await db.sql('SELECT pg_catalog.pg_terminate_backend($1)', [pid]);
    } finally {
      await relay.close();
    }
    await holder.query('ROLLBACK');
    expect(await nextValue(db, 'alpha_id_seq')).toBe(1n);
    expect(await nextValue(db, 'beta_id_seq')).toBe(1n);
  });
});

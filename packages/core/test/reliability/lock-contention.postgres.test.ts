import { type Client, Pool } from 'pg';
import { check, realign, type Queryable } from '../../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../../test-support/test-database';
import {
  connect,
  pausingQueryable,
  rejection,
  relationLocks,
  sequenceSnapshot,
  waitForLockWait,
  withApplicationName,
} from './support/pg-helpers';

/**
 * Locking guarantees: realign waits for its table locks at most `lockTimeoutMs` per batch, fails naming the
 * table and the session in the way, leaves every sequence exactly as it was, and never holds a lock once it
 * has returned — whether it opened the connection itself or was handed a pg Pool or Client.
 */
describe('lock contention on PostgreSQL', () => {
  let db: TestDatabase;
  let blocker: Client;
  beforeEach(async () => {
    db = await createTestDatabase('lock_contention');
    await db.sql(`CREATE TABLE a (id serial PRIMARY KEY); INSERT INTO a VALUES (10);
      CREATE TABLE b (id serial PRIMARY KEY); INSERT INTO b VALUES (20);`);
    blocker = await connect(db.url, 'blocker');
  });
  afterEach(async () => {
    await blocker.end().catch(() => undefined);
    await db.drop();
  });

  const blockerPid = async (): Promise<number> => (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

  it('an open writer on b: realign waits lockTimeoutMs, fails naming b and the writer, changes nothing and holds no lock', async () => {
    await blocker.query('BEGIN');
    await blocker.query('INSERT INTO b VALUES (21)');
    const pid = await blockerPid();
    const before = await sequenceSnapshot(db);
    const started = Date.now();
    const error = await rejection(realign(db.url, { lockTimeoutMs: 1_000 }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.committedBatches).toBe(0);
    expect(error.message).toBe(`lock timeout after 1000 ms waiting for table "public"."b" (RowExclusiveLock held by pid ${pid}); `
      + 'nothing in this batch was changed');
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(1_000 + 2_500);
    expect(await sequenceSnapshot(db)).toEqual(before);
    expect(await relationLocks(db, [pid])).toEqual([]);
    await blocker.query('ROLLBACK');
    expect((await realign(db.url)).sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['a_id_seq', 11n], ['b_id_seq', 21n]]);
  });

  it.each([
    ['ROW EXCLUSIVE', 'RowExclusiveLock'],
    ['SHARE UPDATE EXCLUSIVE', 'ShareUpdateExclusiveLock'],
    ['SHARE', 'ShareLock'],
    ['SHARE ROW EXCLUSIVE', 'ShareRowExclusiveLock'],
    ['EXCLUSIVE', 'ExclusiveLock'],
    ['ACCESS EXCLUSIVE', 'AccessExclusiveLock'],
  ])('a session holding %s on b blocks realign, which names the mode', async (mode, lockName) => {
    await blocker.query(`BEGIN; LOCK TABLE b IN ${mode} MODE`);
    const pid = await blockerPid();
    const before = await sequenceSnapshot(db);
    const error = await rejection(realign(db.url, { lockTimeoutMs: 150 }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toContain(`"public"."b" (${lockName} held by pid ${pid})`);
    expect(await sequenceSnapshot(db)).toEqual(before);
    expect(await relationLocks(db, [pid])).toEqual([]);
  });

  it.each(['ACCESS SHARE', 'ROW SHARE'])('a session holding %s (readers, SELECT FOR UPDATE) does not block realign', async (mode) => {
    await blocker.query(`BEGIN; LOCK TABLE a, b IN ${mode} MODE`);
    const report = await realign(db.url, { lockTimeoutMs: 2_000 });
    expect(report.sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
    await blocker.query('COMMIT');
  });

  it('with a caller\'s pg Pool: same failure, the pool stays usable, '
    + 'and none of its connections keeps a lock or a transaction', async () => {
    await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
    const pid = await blockerPid();
    const pool = new Pool({ connectionString: db.url, max: 2 });
    try {
      const before = await sequenceSnapshot(db);
      const error = await rejection(realign(pool, { lockTimeoutMs: 200 }));
      expect(error.code).toBe('LOCK_TIMEOUT');
      expect(error.message).toContain(`"public"."b" (RowExclusiveLock held by pid ${pid})`);
      expect(await sequenceSnapshot(db)).toEqual(before);
      expect(await relationLocks(db, [pid])).toEqual([]);
      const sessions = await db.sql<{ state: string }>(
        'SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) '
        + `AND backend_type = 'client backend'`, [pid]);
      expect(sessions.filter((s) => s.state !== 'idle')).toEqual([]);
      await blocker.query('ROLLBACK');
      expect((await realign(pool)).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
      expect((await pool.query('INSERT INTO b DEFAULT VALUES RETURNING id')).rows[0].id).toBe(21);
    } finally {
      await pool.end();
    }
  });

  it('with a caller\'s pg Client: same failure, the client is left outside any transaction with its own lock_timeout', async () => {
    await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
    const pid = await blockerPid();
    const client = await connect(db.url, 'caller');
    try {
      await client.query(`SET lock_timeout = '7s'`);
      const error = await rejection(realign(client, { lockTimeoutMs: 200 }));
      expect(error.code).toBe('LOCK_TIMEOUT');
      const state = await client.query('SELECT pg_current_xact_id_if_assigned() IS NULL AS idle, now() = statement_timestamp() AS fresh, '
        + `current_setting('lock_timeout') AS lock_timeout`);
      expect(state.rows[0]).toEqual({ idle: true, fresh: true, lock_timeout: '7s' });
      expect(await relationLocks(db, [pid])).toEqual([]);
      expect(await nextValue(db, 'a_id_seq')).toBe(1n);
    } finally {
      await client.end();
    }
  });

  it('one batch per table: the blocked second batch fails, the first stays committed and the error says so', async () => {
    await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
    const error = await rejection(realign(db.url, { lockTimeoutMs: 200, batchSize: 1 }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.committedBatches).toBe(1);
    expect(await nextValue(db, 'a_id_seq')).toBe(11n);
    expect(await nextValue(db, 'b_id_seq')).toBe(1n);
    await blocker.query('ROLLBACK');
    const rerun = await realign(db.url, { batchSize: 1 });
    expect(rerun.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]))
      .toEqual([['a_id_seq', 'unchanged', 11n], ['b_id_seq', 'advanced', 21n]]);
  });

  it('while a batch holds its locks, readers go on and writers wait; afterwards the writer gets exactly the next id', async () => {
    const client = await connect(db.url, 'seqsync-paused');
    const { queryable, paused, release } = pausingQueryable(client, /^LOCK TABLE /m);
    try {
      const run = realign(queryable);
      await paused;
      await blocker.query(`SET statement_timeout = '2s'`);
      expect((await blocker.query('SELECT count(*)::int AS n FROM a')).rows[0].n).toBe(1);
      await blocker.query(`SET lock_timeout = '200ms'`);
      await expect(blocker.query('INSERT INTO a DEFAULT VALUES')).rejects.toMatchObject({ code: '55P03' });
      release();
      expect((await run).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
      expect((await blocker.query('INSERT INTO a DEFAULT VALUES RETURNING id')).rows[0].id).toBe(11);
    } finally {
      release();
      await client.end();
    }
  });

  it('two realign runs on the same tables take turns: the second waits for the first and finds nothing left to do', async () => {
    const client = await connect(db.url, 'seqsync-first');
    const { queryable, paused, release } = pausingQueryable(client, /^LOCK TABLE /m);
    try {
      const first = realign(queryable);
      await paused;
      const second = realign(withApplicationName(db.url, 'seqsync-second'), { lockTimeoutMs: 20_000 });
      await waitForLockWait(db, 'seqsync-second');
      release();
      expect((await first).sequences.map((s) => s.action)).toEqual(['advanced', 'advanced']);
      expect((await second).sequences.map((s) => [s.action, s.nextValueBefore])).toEqual([['unchanged', 11n], ['unchanged', 21n]]);
    } finally {
      release();
      await client.end();
    }
  });

  it('a writer that takes b then a while realign holds a and waits for b: '
    + 'when realign\'s deadlock check finds the cycle, realign is aborted with nothing changed', async () => {
    // PostgreSQL checks for a deadlock once, deadlock_timeout after a session starts waiting, and aborts the session
    // that finds the cycle. Which one that is depends on timing: the writer must be waiting before realign's check
    // runs, which a loaded machine can delay past the default 1 s. realign's sessions get 5 s here (this database
    // only) and the writer 60 s, so realign's check is the one that finds it.
    await db.sql(`ALTER DATABASE "${db.name}" SET deadlock_timeout = '5s'`);
    await blocker.query("SET deadlock_timeout = '60s'");
    await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
    const before = await sequenceSnapshot(db);
    const run = rejection(realign(withApplicationName(db.url, 'seqsync-deadlock'), { lockTimeoutMs: 30_000 }));
    await waitForLockWait(db, 'seqsync-deadlock');
    // realign has locked a and waits for b; the writer now needs a.
    await blocker.query('INSERT INTO a VALUES (11)');
    const error = await run;
    expect(error.code).toBe('DEADLOCK');
    expect(error.message).toMatch(new RegExp('^deadlock detected: a transaction of another session needed a table seqsync had locked; '
      + 'the failing batch was rolled back, nothing in it was changed; run realign again$'));
    await blocker.query('COMMIT');
    await blocker.query('RESET deadlock_timeout');
    await db.sql(`ALTER DATABASE "${db.name}" RESET deadlock_timeout`);
    expect(await sequenceSnapshot(db)).toEqual(before);
    expect((await realign(db.url)).sequences.map((s) => s.nextValueAfter)).toEqual([12n, 22n]);
  });

  it('check takes no lock a writer would wait for: it runs beside an open writer', async () => {
    await blocker.query('BEGIN; LOCK TABLE a, b IN EXCLUSIVE MODE');
    const report = await check(db.url, { lockTimeoutMs: 100 });
    expect(report.sequences.filter((s) => s.behind)).toHaveLength(2);
    await blocker.query('COMMIT');
  });

  it('inside a caller\'s transaction: the lock timeout aborts only that transaction, '
    + 'which the caller rolls back with nothing changed', async () => {
    await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
    const pid = await blockerPid();
    const client = await connect(db.url, 'caller-tx');
    try {
      await client.query('BEGIN');
      const queryable: Queryable = {
        query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[])).rows as Row[],
        transaction: (fn) => fn(queryable),
      };
      const error = await rejection(realign(queryable, { lockTimeoutMs: 200 }));
      expect(error.code).toBe('LOCK_TIMEOUT');
      await client.query('ROLLBACK');
      expect(await relationLocks(db, [pid])).toEqual([]);
      expect(await nextValue(db, 'a_id_seq')).toBe(1n);
    } finally {
      await client.end();
    }
  });
});

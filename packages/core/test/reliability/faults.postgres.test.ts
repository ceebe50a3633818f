import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from 'pg';
import { realign } from '../../src';
import { callerTransaction, createTestDatabase, nextValue, type TestDatabase } from '../../../../test-support/test-database';
import { connect, pausingQueryable, rejection, sequenceSnapshot, sleep, waitForLockWait, withApplicationName } from './support/pg-helpers';
import { EmbeddedServer } from '../../../../test-support/embedded-server';

/**
 * Faults in the middle of a run. To hit "mid-apply" deterministically, realign runs with one batch per table
 * and a third session holds a lock on the second table: batch 1 has committed, batch 2 waits on the lock,
 * and that is when the fault strikes. Each case checks the error code, what was and was not applied
 * (`committedBatches` and the sequences themselves), and that a re-run converges to the exact values.
 */
const SETUP = `CREATE TABLE a (id serial PRIMARY KEY); INSERT INTO a VALUES (10);
  CREATE TABLE b (id serial PRIMARY KEY); INSERT INTO b VALUES (20);`;

async function holdLockOnB(url: string): Promise<Client> {
  const blocker = await connect(url, 'blocker');
  await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
  return blocker;
}

async function expectConverges(url: string, sql: (text: string) => Promise<{ id: number }[]>): Promise<void> {
  const report = await realign(url, { batchSize: 1 });
  expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['a_id_seq', 11n], ['b_id_seq', 21n]]);
  expect(await sql('INSERT INTO a DEFAULT VALUES RETURNING id')).toEqual([{ id: 11 }]);
  expect(await sql('INSERT INTO b DEFAULT VALUES RETURNING id')).toEqual([{ id: 21 }]);
}

describe('faults during realign on the shared PostgreSQL server', () => {
  let db: TestDatabase;
  let blocker: Client | undefined;
  beforeEach(async () => {
    db = await createTestDatabase('faults');
    await db.sql(SETUP);
  });
  afterEach(async () => {
    await blocker?.end().catch(() => undefined);
    blocker = undefined;
    await db.drop();
  });

  it('pg_terminate_backend while batch 2 waits: CONNECTION_LOST, batch 1 committed, batch 2 not; a re-run converges', async () => {
    blocker = await holdLockOnB(db.url);
    const run = rejection(realign(withApplicationName(db.url, 'seqsync-victim'), { batchSize: 1, lockTimeoutMs: 60_000 }));
    const pid = await waitForLockWait(db, 'seqsync-victim');
    await db.sql('SELECT pg_terminate_backend($1)', [pid]);
    const error = await run;
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.committedBatches).toBe(1);
    expect(error.message).toMatch(new RegExp('^connection to PostgreSQL lost: terminating connection due to administrator command; '
      + 'the batch in flight was rolled back .*run realign again to converge$'));
    expect(await nextValue(db, 'a_id_seq')).toBe(11n);
    expect(await nextValue(db, 'b_id_seq')).toBe(1n);
    await blocker.query('ROLLBACK');
    await expectConverges(db.url, (text) => db.sql(text));
  });

  it('pg_cancel_backend while waiting: QUERY_CANCELED, nothing changed; a re-run converges', async () => {
    blocker = await holdLockOnB(db.url);
    const before = await sequenceSnapshot(db);
    const run = rejection(realign(withApplicationName(db.url, 'seqsync-victim'), { lockTimeoutMs: 60_000 }));
    await db.sql('SELECT pg_cancel_backend($1)', [await waitForLockWait(db, 'seqsync-victim')]);
    const error = await run;
    expect(error).toMatchObject({ code: 'QUERY_CANCELED', committedBatches: 0 });
    expect(error.message).toBe('canceling statement due to user request; the failing batch was rolled back, nothing in it was changed');
    expect(await sequenceSnapshot(db)).toEqual(before);
    await blocker.query('ROLLBACK');
    await expectConverges(db.url, (text) => db.sql(text));
  });

  it('a statement_timeout shorter than the lock wait: STATEMENT_TIMEOUT saying so, nothing changed; a re-run converges', async () => {
    blocker = await holdLockOnB(db.url);
    const before = await sequenceSnapshot(db);
    const url = new URL(db.url);
    url.searchParams.set('options', '-c statement_timeout=300');
    const error = await rejection(realign(url.href, { lockTimeoutMs: 60_000 }));
    expect(error).toMatchObject({ code: 'STATEMENT_TIMEOUT', committedBatches: 0 });
    expect(error.message).toBe('canceling statement due to statement timeout '
      + '(statement_timeout is shorter than this run needs; raise it for the session or role); '
      + 'the failing batch was rolled back, nothing in it was changed');
    expect(await sequenceSnapshot(db)).toEqual(before);
    await blocker.query('ROLLBACK');
    await expectConverges(db.url, (text) => db.sql(text));
  });

  it('the server ends the session between the locked read and the write (idle_in_transaction_session_timeout): '
    + 'CONNECTION_LOST, nothing changed', async () => {
    const client = await connect(db.url, 'seqsync-idle');
    await client.query(`SET idle_in_transaction_session_timeout = '200ms'`);
    const { queryable, paused, release } = pausingQueryable(client, /^LOCK TABLE /m);
    const before = await sequenceSnapshot(db);
    try {
      const run = rejection(realign(queryable));
      await paused;
      await sleep(600);
      release();
      const error = await run;
      expect(error).toMatchObject({ code: 'CONNECTION_LOST', committedBatches: 0 });
      expect(await sequenceSnapshot(db)).toEqual(before);
    } finally {
      release();
      await client.end().catch(() => undefined);
    }
    await expectConverges(db.url, (text) => db.sql(text));
  });

  it('a backend killed while realign holds a client of the caller\'s pg Pool '
    + 'rejects with CONNECTION_LOST instead of crashing the caller', () => {
    // The Pool stops listening for 'error' on a client it hands out, so the adapter must: otherwise the socket's
    // "Connection terminated unexpectedly" is an uncaught 'error' event that kills the caller. Run in a child process.
    const child = spawnSync(process.execPath, [join(__dirname, 'support', 'pool-terminate-child.cjs'), db.url],
      { encoding: 'utf8', timeout: 60_000 });
    const outcome = { exitCode: child.status, stdout: child.stdout.trim() };
    expect(outcome).toEqual({ exitCode: 0, stdout: 'rejected CONNECTION_LOST' });
  });
});

describe('server restart and crash during realign (scratch server of the test\'s own)', () => {
  let server: EmbeddedServer;
  let blocker: Client | undefined;
  beforeAll(async () => { server = await EmbeddedServer.create(process.env.SEQSYNC_PG_EMBEDDED); }, 120_000);
  afterAll(() => server?.destroy());
  afterEach(async () => {
    await blocker?.end().catch(() => undefined);
    blocker = undefined;
  });

  const freshDatabase = async (name: string): Promise<{ url: string; sql: (text: string) => Promise<{ id: number }[]> }> => {
    const admin = await connect(server.url());
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = server.url(name);
    const setup = await connect(url);
    await setup.query(SETUP);
    await setup.end();
    return {
      url,
      sql: async (text) => {
        const client = await connect(url);
        try { return (await client.query(text)).rows; } finally { await client.end(); }
      },
    };
  };
  const nextOf = async (url: string, sequence: string): Promise<bigint> => {
    const client = await connect(url);
    try {
      const { rows } = await client.query(
        `SELECT (CASE WHEN is_called THEN last_value + 1 ELSE last_value END)::text AS next FROM ${sequence}`);
      return BigInt(rows[0].next);
    } finally { await client.end(); }
  };

  it.each(['fast', 'immediate'] as const)('%s shutdown while batch 2 waits: '
    + 'CONNECTION_LOST, batch 1 survives the restart, a re-run converges', async (mode) => {
    const database = await freshDatabase(`restart_${mode}`);
    blocker = await holdLockOnB(database.url);
    const run = rejection(realign(withApplicationName(database.url, 'seqsync-victim'), { batchSize: 1, lockTimeoutMs: 60_000 }));
    const watcher = await connect(database.url);
    for (let i = 0; i < 500; i += 1) {
      const { rows } = await watcher.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = 'seqsync-victim' AND wait_event_type = 'Lock'`);
      if (rows.length > 0) break;
      await sleep(20);
    }
    await watcher.end();
    await server.stop(mode);
    const error = await run;
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.committedBatches).toBe(1);

    const down = await rejection(realign(database.url));
    expect(down.code).toBe('CONNECTION_FAILED');

    await server.start();
    expect(await nextOf(database.url, 'a_id_seq')).toBe(11n);
    expect(await nextOf(database.url, 'b_id_seq')).toBe(1n);
    await expectConverges(database.url, database.sql);
  }, 120_000);

  it('a crash (immediate shutdown) after realign wrote inside a caller\'s transaction, before its COMMIT: '
    + 'after the restart every sequence is as it was — the setvals were on storage the crash discarded', async () => {
    const database = await freshDatabase('crash_before_commit');
    const caller = await connect(database.url);
    await caller.query('BEGIN');
    const report = await realign(callerTransaction(caller));
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['a_id_seq', 11n], ['b_id_seq', 21n]]);
    // Inside the transaction the write is there; WAL holds it, but no commit record.
    expect((await caller.query('SELECT last_value::int FROM a_id_seq')).rows).toEqual([{ last_value: 11 }]);
    await server.stop('immediate');
    await caller.end().catch(() => undefined);
    await server.start();
    expect(await nextOf(database.url, 'a_id_seq')).toBe(1n);
    expect(await nextOf(database.url, 'b_id_seq')).toBe(1n);
    await expectConverges(database.url, database.sql);
  }, 120_000);
});

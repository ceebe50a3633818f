import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { realign } from '../../src';
import { callerTransaction, createTestDatabase, dropRole, type TestDatabase } from '../../../../test-support/test-database';
import { connect, pausingQueryable, rejection, sequenceSnapshot, sleep, withApplicationName } from './support/pg-helpers';

/**
 * A batch commits whole or not at all, whatever stops it: a lock another session holds on one of its sequences,
 * the lock budget running out across several waits, a cancel or a terminated backend at any moment of the write,
 * the rollback of a caller's transaction, an error half-way through the one setval statement. Each case compares
 * every sequence before and after: all as they were, or all as planned — and where PostgreSQL cannot give that (a
 * role that does not own the sequences), the error names exactly the ones that moved.
 */

/** `count` tables t1…tN, each with data 1..10·k and its serial still at 1. */
async function driftedTables(db: TestDatabase, count: number): Promise<void> {
  await db.sql(`DO $$ BEGIN FOR k IN 1..${count} LOOP
    EXECUTE format('CREATE TABLE t%s (id serial PRIMARY KEY); INSERT INTO t%s SELECT generate_series(1, 10 * %s)', k, k, k);
  END LOOP; END $$`);
}

/** Every t-sequence's next value, in table order, read in one query. */
async function nextValues(db: TestDatabase, count: number): Promise<bigint[]> {
  const [row] = await db.sql<{ doc: string }>(`SELECT query_to_xml(string_agg(format(
      'SELECT %s AS k, CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS n FROM t%s_id_seq', k, k), ' UNION ALL '),
    false, true, '')::text AS doc FROM generate_series(1, $1::int) k`, [count]);
  const values = new Map([...row.doc.matchAll(/<k>(\d+)<\/k>\s*<n>(-?\d+)<\/n>/g)].map((m) => [Number(m[1]), BigInt(m[2])]));
  return Array.from({ length: count }, (_, index) => values.get(index + 1) as bigint);
}

const OLD = (count: number) => Array.from({ length: count }, () => 1n);
const NEW = (count: number) => Array.from({ length: count }, (_, index) => BigInt(10 * (index + 1) + 1));

/** Waits (bounded) until the backend named `applicationName` runs a statement matching `pattern`; its pid. */
async function waitForQuery(db: TestDatabase, applicationName: string, pattern: string): Promise<number | null> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await db.sql<{ pid: number }>(`SELECT pid FROM pg_catalog.pg_stat_activity
      WHERE application_name = $1 AND state = 'active' AND query LIKE $2`, [applicationName, pattern]);
    if (rows.length > 0) return rows[0].pid;
    await sleep(1);
  }
  return null;
}

describe('all-or-nothing batches on PostgreSQL', () => {
  let db: TestDatabase;
  const clients: Client[] = [];
  beforeEach(async () => { db = await createTestDatabase('atomic'); });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await db.drop();
  });
  const session = async (name: string) => {
    const client = await connect(db.url, name);
    clients.push(client);
    return client;
  };

  it('a migration holding one sequence (an open ALTER SEQUENCE): the batch times out naming that sequence, '
    + 'and no sequence moved — in reset mode neither, where one would have gone back', async () => {
    await driftedTables(db, 3);
    await db.sql('SELECT setval(\'t1_id_seq\', 1000)');
    const migration = await session('migration');
    await migration.query('BEGIN; ALTER SEQUENCE t2_id_seq INCREMENT BY 1');
    const before = await sequenceSnapshot(db);
    for (const mode of ['advance', 'reset'] as const) {
      const error = await rejection(realign(db.url, { mode, lockTimeoutMs: 1000 }));
      expect(error.code).toBe('LOCK_TIMEOUT');
      expect(error.message).toMatch(new RegExp('^lock timeout after 1000 ms waiting for sequence "public"."t2_id_seq" '
        + `\\(ShareRowExclusiveLock held by pid ${(migration as unknown as { processID: number }).processID}\\); `
        + 'nothing in this batch was changed$'));
      expect(await sequenceSnapshot(db)).toEqual(before);
    }
    await migration.query('ROLLBACK');
    expect((await realign(db.url, { mode: 'reset' })).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n, 31n]);
  });

  it('a session that took nextval() in a transaction still open holds up the restating ALTER: the batch times out '
    + 'naming that sequence and its holder, and nothing moved', async () => {
    await driftedTables(db, 3);
    const prefetcher = await session('prefetcher');
    await prefetcher.query('BEGIN; SELECT nextval(\'t3_id_seq\')');
    const before = await sequenceSnapshot(db);
    const error = await rejection(realign(db.url, { lockTimeoutMs: 1000 }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toBe('lock timeout after 1000 ms waiting for sequence "public"."t3_id_seq" (RowExclusiveLock held by pid '
      + `${(prefetcher as unknown as { processID: number }).processID}); nothing in this batch was changed`);
    expect(await sequenceSnapshot(db)).toEqual(before);
    await prefetcher.query('COMMIT');
    expect((await realign(db.url)).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n, 31n]);
  });

  it('--lock-timeout bounds the whole batch: writers releasing one table after another 1.5 s apart do not '
    + 'stretch a 2 s budget to 4.5 s', async () => {
    await driftedTables(db, 3);
    const writers = await Promise.all([1, 2, 3].map((k) => session(`writer${k}`)));
    for (const [index, writer] of writers.entries()) await writer.query(`BEGIN; INSERT INTO t${index + 1} VALUES (100000)`);
    const releases = writers.map((writer, index) => sleep(1500 * (index + 1)).then(() => writer.query('ROLLBACK')));
    const before = await sequenceSnapshot(db);
    const started = Date.now();
    const error = await rejection(realign(db.url, { lockTimeoutMs: 2000 }));
    const waited = Date.now() - started;
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toMatch(/^lock timeout after 2000 ms waiting for table "public"."t2" \(RowExclusiveLock held by pid \d+\)/);
    // Each wait alone is under 2 s; with a per-lock timeout the batch would have waited for all three and succeeded.
    expect(waited).toBeLessThan(4000);
    expect(await sequenceSnapshot(db)).toEqual(before);
    await Promise.all(releases);
    expect(await nextValues(db, 3)).toEqual(OLD(3));
  });

  it('the budget bounds waiting, never work: 400 tables realign with a 20 ms lock timeout when nothing is in the way', async () => {
    await driftedTables(db, 400);
    const report = await realign(db.url, { lockTimeoutMs: 20 });
    expect(report.sequences.filter((s) => s.action === 'advanced')).toHaveLength(400);
    expect(await nextValues(db, 400)).toEqual(NEW(400));
  });

  it('inside a caller\'s transaction the write belongs to it: the caller\'s ROLLBACK, or its backend terminated '
    + 'before COMMIT, leaves every sequence as it was', async () => {
    await driftedTables(db, 50);
    for (const ending of ['rollback', 'terminate'] as const) {
      const caller = await session(`caller-${ending}`);
      await caller.query('BEGIN');
      const report = await realign(callerTransaction(caller));
      const after = new Map(report.sequences.map((s) => [s.sequence, s.nextValueAfter]));
      expect(NEW(50).map((_, index) => after.get(`t${index + 1}_id_seq`))).toEqual(NEW(50));
      if (ending === 'rollback') await caller.query('ROLLBACK');
      else await db.sql('SELECT pg_terminate_backend($1)', [(caller as unknown as { processID: number }).processID]);
      await sleep(50);
      expect(await nextValues(db, 50)).toEqual(OLD(50));
    }
  });

  it('a cancel or a terminated backend at any moment of a 1,066-sequence write: all old or all new, every time', async () => {
    const count = 1066;
    await driftedTables(db, count);
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const name = `victim-${attempt}`;
      const run = realign(withApplicationName(db.url, name)).then(() => null, (error: unknown) => error);
      const pid = await waitForQuery(db, name, '%ALTER SEQUENCE%');
      if (pid !== null) {
        await sleep(attempt * 20);
        await db.sql(`SELECT ${attempt % 2 === 0 ? 'pg_cancel_backend' : 'pg_terminate_backend'}($1)`, [pid]);
      }
      const failure = await run;
      const values = await nextValues(db, count);
      const allOld = values.every((value) => value === 1n);
      const allNew = values.every((value, index) => value === NEW(count)[index]);
      expect({ attempt, mixed: !allOld && !allNew }).toEqual({ attempt, mixed: false });
      // The error is only raised when the batch did not commit.
      expect({ attempt, failed: failure !== null }).toEqual({ attempt, failed: allOld });
      outcomes.push(allOld ? 'old' : 'new');
      if (allNew) await db.sql(`DO $$ BEGIN FOR k IN 1..${count} LOOP PERFORM setval(format('t%s_id_seq', k), 1, false); END LOOP; END $$`);
    }
    // The faults did strike in the middle of writes, not only before or after them.
    expect(outcomes).toContain('old');
  }, 120_000);

  describe('an error half-way through the one setval statement', () => {
    let role: string;
    beforeEach(async () => {
      role = `seqsync_atomic_${randomBytes(3).toString('hex')}`;
      await driftedTables(db, 5);
      // t3's sequence can hand out at most 40: another session taking it to its end between realign's read and its
      // write makes setval fail on t3 (the write keeps the greater of the plan and the sequence's own next value).
      await db.sql(`ALTER SEQUENCE t3_id_seq MAXVALUE 40;
        CREATE ROLE ${role} LOGIN; GRANT USAGE ON SCHEMA public TO ${role};
        GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA public TO ${role}; GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    });
    afterEach(async () => {
      await db.sql(`DROP OWNED BY ${role}`);
      await dropRole(role);
    });

    const runWithFault = async (url: string) => {
      const client = await connect(url, 'paused');
      clients.push(client);
      const { queryable, paused, release } = pausingQueryable(client, /query_to_xml/);
      const run = rejection(realign(queryable));
      await paused;
      await db.sql('SELECT setval(\'t3_id_seq\', 40)');
      release();
      return run;
    };

    it('owned by the role: nothing in the batch moved', async () => {
      const error = await runWithFault(db.url);
      expect(error.message).toBe('PostgreSQL error 22003: setval: value 41 is out of bounds for sequence "t3_id_seq" (1..40); '
        + 'the failing batch was rolled back, nothing in it was changed');
      expect(await nextValues(db, 5)).toEqual([1n, 1n, 41n, 1n, 1n]);
    });

    it('not owned by the role: warned before, and the error names exactly the sequences that moved', async () => {
      const url = new URL(db.url);
      url.username = role;
      const dryRun = await realign(url.href, { dryRun: true });
      expect(dryRun.warnings.filter((w) => w.includes('is not owned by this role'))).toHaveLength(5);
      const error = await runWithFault(url.href);
      const values = await nextValues(db, 5);
      expect(values).toEqual([11n, 21n, 41n, 1n, 1n]);
      expect(error.message).toBe('PostgreSQL error 22003: setval: value 41 is out of bounds for sequence "t3_id_seq" (1..40); '
        + 'the failing batch was rolled back except for 2 sequences this role does not own, whose setval PostgreSQL cannot undo: '
        + '"public"."t1_id_seq" (next value now 11, was 1), "public"."t2_id_seq" (next value now 21, was 1); '
        + 'moved meanwhile by another session: "public"."t3_id_seq" (next value now 41, was 1)');
    });
  });
});

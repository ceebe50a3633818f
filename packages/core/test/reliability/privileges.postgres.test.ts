import type { Client } from 'pg';
import { check, realign } from '../../src';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/test-database';
import { connect, rejection, sequenceSnapshot } from './support/pg-helpers';

/**
 * Roles that may not do everything realign needs. realign checks privileges from the catalog before it
 * opens a transaction, so it fails naming every missing privilege with nothing changed and no lock taken;
 * safety.postgres.test.ts covers the single missing UPDATE on a sequence. Row-level security and read-only
 * sessions are the cases the catalog cannot see, and they must fail just as cleanly.
 */
describe('privileges on PostgreSQL', () => {
  let db: TestDatabase;
  let role: string;
  let blocker: Client | undefined;
  beforeEach(async () => {
    db = await createTestDatabase('privileges');
    role = `${db.name}_app`;
    await db.sql(`CREATE TABLE a (id serial PRIMARY KEY); INSERT INTO a VALUES (10);
      CREATE TABLE b (id serial PRIMARY KEY); INSERT INTO b VALUES (20);
      CREATE ROLE "${role}" LOGIN;`);
  });
  afterEach(async () => {
    await blocker?.end().catch(() => undefined);
    blocker = undefined;
    await db.sql(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`);
    await db.drop();
  });

  const asRole = (options = ''): string => {
    const url = new URL(db.url);
    url.username = role;
    if (options) url.searchParams.set('options', options);
    return url.href;
  };

  it('a read-only role (pg_read_all_data): check reports the drift; ' +
    'realign names every missing privilege at once, before locking anything', async () => {
    await db.sql(`GRANT pg_read_all_data TO "${role}"`);
    const report = await check(asRole());
    expect(report.sequences.map((s) => [s.sequence, s.behind, s.nextValueAfter]))
      .toEqual([['a_id_seq', true, 11n], ['b_id_seq', true, 21n]]);
    // A session holding ACCESS EXCLUSIVE on a: had realign tried to lock, it would wait for the lock timeout.
    blocker = await connect(db.url, 'blocker');
    await blocker.query('BEGIN; LOCK TABLE a IN ACCESS EXCLUSIVE MODE');
    const before = await sequenceSnapshot(db);
    const started = Date.now();
    const error = await rejection(realign(asRole(), { lockTimeoutMs: 10_000 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toBe('permission denied: missing UPDATE on sequence "public"."a_id_seq"; ' +
      'UPDATE, DELETE or TRUNCATE on table "public"."a" (to lock it against writers); UPDATE on sequence "public"."b_id_seq"; ' +
      'UPDATE, DELETE or TRUNCATE on table "public"."b" (to lock it against writers). Nothing was changed.');
    expect(await sequenceSnapshot(db)).toEqual(before);
  });

  it('UPDATE on the sequences but only INSERT on the tables: realign names the lock privilege it lacks', async () => {
    await db.sql(`GRANT SELECT, INSERT ON a, b TO "${role}"; GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    const error = await rejection(realign(asRole()));
    expect(error.message).toBe('permission denied: ' +
      'missing UPDATE, DELETE or TRUNCATE on table "public"."a" (to lock it against writers); ' +
      'UPDATE, DELETE or TRUNCATE on table "public"."b" (to lock it against writers). Nothing was changed.');
  });

  it('a role that cannot read a table cannot judge its sequence: check and realign both name SELECT on it', async () => {
    await db.sql(`GRANT SELECT, UPDATE ON a TO "${role}"; GRANT UPDATE ON b TO "${role}"; ` +
      `GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    const expected = 'permission denied: missing SELECT on table "public"."b". Nothing was changed.';
    expect((await rejection(check(asRole()))).message).toBe(expected);
    expect((await rejection(realign(asRole()))).message).toBe(expected);
  });

  it('the least privilege realign needs is enough: SELECT+UPDATE on the sequences, SELECT+UPDATE on the tables', async () => {
    await db.sql(`GRANT SELECT, UPDATE ON a, b TO "${role}"; GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    const report = await realign(asRole());
    expect(report.sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
  });

  it('MAINTAIN (PostgreSQL 17+) is enough to lock the tables; older servers have no such privilege and refuse SELECT alone', async () => {
    const [{ version }] = await db.sql<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`);
    await db.sql(`GRANT SELECT ON a, b TO "${role}"; GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    if (version >= 170000) {
      await db.sql(`GRANT MAINTAIN ON a, b TO "${role}"`);
      expect((await realign(asRole())).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
      expect(await db.sql<{ id: number }>('INSERT INTO a DEFAULT VALUES RETURNING id')).toEqual([{ id: 11 }]);
    } else {
      const before = await sequenceSnapshot(db);
      expect((await rejection(realign(asRole()))).code).toBe('PERMISSION_DENIED');
      expect(await sequenceSnapshot(db)).toEqual(before);
    }
  });

  describe('row-level security hiding rows from the role', () => {
    beforeEach(async () => {
      // The role sees ids up to 100; the row with id 150 exists but is invisible to it.
      await db.sql(`INSERT INTO a VALUES (150);
        ALTER TABLE a ENABLE ROW LEVEL SECURITY; CREATE POLICY low_ids ON a USING (id <= 100);
        GRANT SELECT, UPDATE ON a, b TO "${role}"; GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    });

    it.each(['advance', 'reset'] as const)('realign (%s) refuses, naming the table, ' +
      'instead of setting the sequence below rows it cannot see', async (mode) => {
      const before = await sequenceSnapshot(db);
      const error = await rejection(realign(asRole(), { mode }));
      expect(error.code).toBe('PERMISSION_DENIED');
      expect(error.message).toBe('permission denied: query would be affected by row-level security policy for table "a"; ' +
        'the failing batch was rolled back, nothing in it was changed');
      expect(await sequenceSnapshot(db)).toEqual(before);
      // The owner sees every row and realigns past 150.
      const owner = await realign(db.url);
      expect(owner.sequences.find((s) => s.sequence === 'a_id_seq')?.nextValueAfter).toBe(151n);
    });

    it('a table without a policy for the role is realigned as usual alongside', async () => {
      const report = await realign(asRole(), { tables: ['b'] });
      expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['b_id_seq', 21n]]);
    });

    it('check as that role refuses, naming the table, instead of under-reporting the data', async () => {
      // With row security on, check would read MAX() = 10 instead of 150 and report a target of 11.
      const error = await rejection(check(asRole()));
      expect(error.code).toBe('PERMISSION_DENIED');
    });
  });

  it('a read-only session (default_transaction_read_only, as on a standby): ' +
    'check works, realign fails cleanly with nothing changed', async () => {
    await db.sql(`GRANT SELECT, UPDATE ON a, b TO "${role}"; GRANT SELECT, UPDATE ON a_id_seq, b_id_seq TO "${role}"`);
    const url = asRole('-c default_transaction_read_only=on');
    expect((await check(url)).sequences.filter((s) => s.behind)).toHaveLength(2);
    const before = await sequenceSnapshot(db);
    const error = await rejection(realign(url));
    expect(error.code).toBe('QUERY_FAILED');
    expect(error.message).toBe('PostgreSQL error 25006: cannot execute setval() in a read-only transaction; ' +
      'the failing batch was rolled back, nothing in it was changed');
    expect(await sequenceSnapshot(db)).toEqual(before);
  });
});

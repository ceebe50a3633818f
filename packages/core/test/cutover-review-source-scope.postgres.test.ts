import { Client } from 'pg';
import { check, isSeqsyncError, realign } from '../src';
import { createTestDatabase, dropRole, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { startHotStandbyPairWith } from '../../../test-support/hot-standby';

/*
 * Review of cutover (from): the source read is check's, but without the run's tables and exclude. On the old primary
 * it then locks and reads every table (ACCESS SHARE, MAX()), and any table outside the run's scope can fail the run —
 * even one the error message itself says to exclude.
 */
describe('cutover review: the run\'s tables and exclude scope the source read too', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeEach(async () => {
    [source, target] = await Promise.all([createTestDatabase('rv_scope_src'), createTestDatabase('rv_scope_dst')]);
  });
  afterEach(() => Promise.all([source.drop(), target.drop()]));

  it('tables: [a] — a source table b held by another session is not waited for: a\'s next value comes from the source', async () => {
    await source.sql(`CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY); SELECT setval('a_id_seq', 100)`);
    await target.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY)');
    const locker = new Client({ connectionString: source.url });
    await locker.connect();
    try {
      await locker.query('BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE');
      const report = await realign(target.url, { from: source.url, tables: ['a'], lockTimeoutMs: 500 });
      expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['a_id_seq', 101n]]);
      expect(await nextValue(target, 'a_id_seq')).toBe(101n);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('tables: [a, fresh] — a table only the target has is no error on the source: it is decided by its own data', async () => {
    await source.sql(`CREATE TABLE a (id serial PRIMARY KEY); SELECT setval('a_id_seq', 100)`);
    await target.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE fresh (id serial PRIMARY KEY); INSERT INTO fresh VALUES (7)');
    const report = await realign(target.url, { from: source.url, tables: ['a', 'fresh'] });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter, s.cutover?.decidedBy])).toEqual([
      ['a_id_seq', 101n, 'source'], ['fresh_id_seq', 8n, 'data'],
    ]);
    expect(report.cutover?.unmatchedTarget).toEqual(['public.fresh.id']);
    // On the target a misspelt name is still refused: the leniency is the source read's alone.
    expect((await realign(target.url, { from: source.url, tables: ['a', 'frsh'] }).catch((error: unknown) => error)))
      .toMatchObject({ code: 'UNKNOWN_TABLE' });
  });

  it('exclude: [secret] — a source table the source role may not read is left out, as on the target', async () => {
    const role = `rv_scope_${source.name.slice(-8)}`;
    await source.sql(`CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE secret (id serial PRIMARY KEY);
      SELECT setval('a_id_seq', 100); CREATE ROLE ${role} LOGIN; GRANT USAGE ON SCHEMA public TO ${role};
      GRANT SELECT ON a, a_id_seq TO ${role}`);
    await target.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE secret (id serial PRIMARY KEY)');
    const url = new URL(source.url);
    url.username = role;
    try {
      const report = await check(target.url, { from: url.href, exclude: ['secret'] });
      expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter, s.behind])).toEqual([['a_id_seq', 101n, true]]);
    } finally {
      await source.sql(`DROP OWNED BY ${role}`);
      await dropRole(role);
    }
  });

  it('a hot-standby source with an UNLOGGED table: excluding it, as the HOT_STANDBY message advises, lets the check run', async () => {
    const pair = await startHotStandbyPairWith(`CREATE TABLE t (id serial PRIMARY KEY); INSERT INTO t SELECT FROM generate_series(1, 40);
      CREATE UNLOGGED TABLE scratch (id serial PRIMARY KEY)`);
    try {
      // The target has the table too: an exclusion names a table of the target (a misspelt one is refused there).
      await target.sql('CREATE TABLE t (id serial PRIMARY KEY); CREATE TABLE scratch (id serial PRIMARY KEY)');
      const refused = await check(target.url, { from: pair.standby.url() }).catch((error: unknown) => error);
      expect(isSeqsyncError(refused) && refused.code).toBe('HOT_STANDBY');
      expect(isSeqsyncError(refused) && refused.message).toMatch(/leave these tables out \(exclude\)/);

      const report = await check(target.url, { from: pair.standby.url(), exclude: ['scratch'] });
      expect(report.sequences.map((s) => [s.sequence, s.behind])).toEqual([['t_id_seq', true]]);
      expect(report.cutover?.unmatchedSource).toEqual([]);
      expect(report.sequences[0]?.cutover?.sourceNextValue).toBeGreaterThanOrEqual(41n);
    } finally {
      await pair.destroy();
    }
  });
});

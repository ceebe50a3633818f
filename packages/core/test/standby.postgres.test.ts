import { Client } from 'pg';
import { check, realign, type Queryable, type SequenceReport } from '../src';
import { sequencePositions, startHotStandbyPairWith, type HotStandbyPair } from '../../../test-support/hot-standby';

/**
 * A hot standby of a primary the test starts itself (never the shared server). PostgreSQL logs a sequence 32 values
 * ahead of itself, so the standby reads positions past the primary's; the drift below is planted on the primary
 * with explicit ids, replayed, and then judged on the standby by what can be known there.
 *
 * After the setup the primary's sequences stand at (next value): exact 1 (never called), far 2, gap 2, healthy 4,
 * set_ahead 51, empty 1; the standby reads far, gap and healthy at 34 (the first nextval logged 33) and set_ahead
 * at 51 (setval logs its value, but the standby cannot tell it from a pre-logged one).
 */
const SETUP = `
  CREATE TABLE exact (id serial PRIMARY KEY); INSERT INTO exact VALUES (1), (2), (3);
  CREATE TABLE far (id serial PRIMARY KEY); INSERT INTO far DEFAULT VALUES; INSERT INTO far VALUES (100);
  CREATE TABLE gap (id serial PRIMARY KEY); INSERT INTO gap DEFAULT VALUES; INSERT INTO gap VALUES (10);
  CREATE TABLE healthy (id serial PRIMARY KEY); INSERT INTO healthy DEFAULT VALUES; INSERT INTO healthy DEFAULT VALUES;
  INSERT INTO healthy DEFAULT VALUES;
  CREATE TABLE set_ahead (id serial PRIMARY KEY); INSERT INTO set_ahead VALUES (5); SELECT setval('set_ahead_id_seq', 50);
  CREATE TABLE empty (id serial PRIMARY KEY);
  CREATE UNLOGGED TABLE cache (id serial PRIMARY KEY); INSERT INTO cache VALUES (7);`;

const EXACT = '; read on a hot standby, where a sequence not called since it was set shows the primary\'s position exactly';
const STANDBY_WARNING = 'this server is a hot standby: it shows the data as of the WAL it has replayed, and PostgreSQL logs each '
  + 'sequence up to 32 values ahead, so a position read here can be that far past the primary\'s; a sequence whose data lies in '
  + 'that gap is reported as possibly behind (never as clear). Run check on the primary to know, and realign there';

function summary(s: SequenceReport): unknown[] {
  return [s.sequence, s.dataMax, s.nextValueBefore, s.nextValueAfter, s.behind, s.action, s.reason];
}

describe('check and realign on a hot standby', () => {
  let pair: HotStandbyPair;
  beforeAll(async () => { pair = await startHotStandbyPairWith(SETUP); }, 120_000);
  afterAll(() => pair?.destroy(), 60_000);

  it('the primary itself: gap and exact are behind, the rest clear (what the standby must not contradict)', async () => {
    const report = await check(pair.primary.url(), { exclude: ['cache'] });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueBefore, s.behind])).toEqual([
      ['empty_id_seq', 1n, false], ['exact_id_seq', 1n, true], ['far_id_seq', 2n, true], ['gap_id_seq', 2n, true],
      ['healthy_id_seq', 4n, false], ['set_ahead_id_seq', 51n, false],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('check: a pre-logged position is never reported clear; certain, possible and exact verdicts say which they are', async () => {
    const report = await check(pair.standby.url(), { exclude: ['cache'] });
    expect(report.sequences.map(summary)).toEqual([
      ['empty_id_seq', null, 1n, 1n, false, 'unchanged', `next value 1 is clear of the data (the table is empty)${EXACT}`],
      ['exact_id_seq', 3n, 1n, 4n, true, 'would_advance', `next value 1 would collide (data max is 3); the target is 4${EXACT}`],
      ['far_id_seq', 100n, 2n, 101n, true, 'would_advance', 'next value 2 would collide (data max is 100); the target is 101; behind for '
        + 'certain: on this hot standby the next value reads 34, up to 32 values ahead of the primary\'s, and even that collides'],
      ['gap_id_seq', 10n, 2n, 11n, true, 'would_advance', 'possibly behind: on this hot standby the next value reads 34, but the '
        + 'primary\'s can be as low as 2, and data max is 10; check on the primary to know'],
      ['healthy_id_seq', 3n, 2n, 4n, true, 'would_advance', 'possibly behind: on this hot standby the next value reads 34, but the '
        + 'primary\'s can be as low as 2, and data max is 3; check on the primary to know'],
      ['set_ahead_id_seq', 5n, 19n, 19n, false, 'unchanged', 'next value 19 is clear of the data (data max is 5); clear for certain: '
        + 'on this hot standby the next value reads 51, and even the lowest the primary\'s can be, 19, is past the data'],
    ]);
    expect(report.warnings).toEqual([
      STANDBY_WARNING,
      'sequence public.gap_id_seq may be behind its data: on this hot standby the next value reads 34, but the primary\'s can be '
        + 'as low as 2, and data max is 10; check on the primary to know',
      'sequence public.healthy_id_seq may be behind its data: on this hot standby the next value reads 34, but the primary\'s can be '
        + 'as low as 2, and data max is 3; check on the primary to know',
    ]);
    expect(report.batches).toBe(0);
  });

  it('check touching an unlogged table fails naming it, before reading any table', async () => {
    await expect(check(pair.standby.url())).rejects.toMatchObject({
      code: 'HOT_STANDBY',
      message: 'cannot check on a hot standby: table "public"."cache" (sequence "public"."cache_id_seq") is UNLOGGED, or its '
        + 'sequence is, and a standby has no contents for unlogged tables and sequences. Check on the primary, or leave these '
        + 'tables out (exclude)',
    });
  });

  it('realign fails before any lock or write, saying to connect to the primary; the primary\'s sequences are unchanged', async () => {
    const before = await sequencePositions(pair.primary.url());
    const client = new Client({ connectionString: pair.standby.url() });
    await client.connect();
    const sent: string[] = [];
    const recording: Queryable = {
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
        sent.push(sql);
        return (await client.query(sql, params === undefined ? undefined : [...params])).rows as Row[];
      },
    };
    try {
      await expect(realign(recording)).rejects.toMatchObject({
        code: 'HOT_STANDBY',
        committedBatches: 0,
        message: 'cannot realign on a hot standby: the server is in recovery and takes no writes, and the sequence positions it '
          + 'shows run up to 32 values ahead of the primary\'s; nothing was changed. Connect to the primary to realign (check '
          + 'works here, within those limits)',
      });
    } finally {
      await client.end();
    }
    // The catalog read, then the runner's ROLLBACK of a transaction that never began: no BEGIN, LOCK or setval.
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('pg_catalog.pg_is_in_recovery()');
    expect(sent[1]).toBe('ROLLBACK');
    expect(await sequencePositions(pair.primary.url())).toEqual(before);
  });

  it('a dry run is refused the same way: what it would write depends on positions a standby cannot know', async () => {
    await expect(realign(pair.standby.url(), { dryRun: true, exclude: ['cache'] })).rejects.toMatchObject({
      code: 'HOT_STANDBY', committedBatches: 0, message: expect.stringMatching(/^cannot realign on a hot standby: /),
    });
  });
});

import { sequencePositions, startHotStandbyPairWith, type HotStandbyPair } from '../../../test-support/hot-standby';
import { expectOneLineFailure, seqsync } from './cli-run';

/**
 * `seqsync` against a hot standby of a primary the test starts itself. The primary holds drift planted with
 * explicit ids: `gap` is behind there (next value 2, data max 10), but the standby reads its position pre-logged at
 * 34 and used to call it clear.
 */
const SETUP = `
  CREATE TABLE exact (id serial PRIMARY KEY); INSERT INTO exact VALUES (1), (2), (3);
  CREATE TABLE far (id serial PRIMARY KEY); INSERT INTO far DEFAULT VALUES; INSERT INTO far VALUES (100);
  CREATE TABLE gap (id serial PRIMARY KEY); INSERT INTO gap DEFAULT VALUES; INSERT INTO gap VALUES (10);
  CREATE TABLE set_ahead (id serial PRIMARY KEY); INSERT INTO set_ahead VALUES (5); SELECT setval('set_ahead_id_seq', 50);
  CREATE UNLOGGED TABLE cache (id serial PRIMARY KEY); INSERT INTO cache VALUES (7);`;

const STANDBY_WARNING = 'this server is a hot standby: it shows the data as of the WAL it has replayed, and PostgreSQL logs each '
  + 'sequence up to 32 values ahead, so a position read here can be that far past the primary\'s; a sequence whose data lies in '
  + 'that gap is reported as possibly behind (never as clear). Run check on the primary to know, and realign there';
const GAP_WARNING = 'sequence public.gap_id_seq may be behind its data: on this hot standby the next value reads 34, but the '
  + 'primary\'s can be as low as 2, and data max is 10; check on the primary to know';

describe('seqsync on a hot standby', () => {
  let pair: HotStandbyPair;
  beforeAll(async () => { pair = await startHotStandbyPairWith(SETUP); }, 120_000);
  afterAll(() => pair?.destroy(), 60_000);

  it('check exits 1: the sequence possibly behind is listed with the behind ones, and the warnings say which is which', () => {
    const result = seqsync(['check', '--url', pair.standby.url(), '--exclude', 'cache']);
    expect(result).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        '3 of 4 sequences are behind their data; the next insert into these tables can fail with a duplicate key:',
        '',
        'sequence             feeds            data max/min  next before  next after',
        '-------------------  ---------------  ------------  -----------  ----------',
        'public.exact_id_seq  public.exact.id  3             1            4',
        'public.far_id_seq    public.far.id    100           2            101',
        'public.gap_id_seq    public.gap.id    10            2            11',
        '',
        `warning: ${STANDBY_WARNING}`,
        `warning: ${GAP_WARNING}`,
        '',
        '3 of 4 sequences are behind their data: run seqsync realign with the same options to move them past their data.',
        '',
      ].join('\n'),
    });
  });

  it('check --json: the verdicts, the worst-case next value and the warnings, exit 1', () => {
    const result = seqsync(['check', '--json', '--url', pair.standby.url(), '--exclude', 'cache']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      sequences: { sequence: string; dataMax: string; nextValueBefore: string; nextValueAfter: string; behind: boolean; action: string }[];
      warnings: string[];
    };
    expect(report.sequences.map((s) => [s.sequence, s.dataMax, s.nextValueBefore, s.nextValueAfter, s.behind, s.action])).toEqual([
      ['exact_id_seq', '3', '1', '4', true, 'would_advance'],
      ['far_id_seq', '100', '2', '101', true, 'would_advance'],
      ['gap_id_seq', '10', '2', '11', true, 'would_advance'],
      ['set_ahead_id_seq', '5', '19', '19', false, 'unchanged'],
    ]);
    expect(report.warnings).toEqual([STANDBY_WARNING, GAP_WARNING]);
  });

  it('check touching the unlogged table: one line naming it, exit 2', () => {
    const message = 'seqsync: cannot check on a hot standby: table "public"."cache" (sequence "public"."cache_id_seq") is UNLOGGED, '
      + 'or its sequence is, and a standby has no contents for unlogged tables and sequences. Check on the primary, or leave '
      + 'these tables out (exclude)';
    expectOneLineFailure(seqsync(['check', '--url', pair.standby.url()]), message);
    expectOneLineFailure(seqsync(['check', '--url', pair.standby.url(), '--table', 'cache']), message);
  });

  it('realign and its dry run: one line, exit 2, saying to connect to the primary; the primary\'s sequences are unchanged', async () => {
    const before = await sequencePositions(pair.primary.url());
    const message = 'seqsync: cannot realign on a hot standby: the server is in recovery and takes no writes, and the sequence '
      + 'positions it shows run up to 32 values ahead of the primary\'s; nothing was changed. Connect to the primary to realign '
      + '(check works here, within those limits)';
    expectOneLineFailure(seqsync(['realign', '--url', pair.standby.url()]), message);
    expectOneLineFailure(seqsync(['realign', '--dry-run', '--url', pair.standby.url(), '--exclude', 'cache']), message);
    expect(await sequencePositions(pair.primary.url())).toEqual(before);
  });
});

import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { seqsync } from './cli-run';

/** realign never reads "done" while it leaves a sequence the next insert collides with. */
describe('seqsync realign when a sequence cannot be moved past its data', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_still_behind');
    await db.sql(`CREATE TABLE ok (id serial PRIMARY KEY); INSERT INTO ok VALUES (3);
      CREATE SEQUENCE s MAXVALUE 10 CYCLE; CREATE TABLE wraps (id int PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO wraps VALUES (1), (10); SELECT setval('s', 10);`);
  });
  afterAll(() => db.drop());

  it('check\'s last line says what realign can move and what it cannot', () => {
    const lastLine = (args: string[]) => seqsync(['check', '--url', db.url, ...args]).stdout.trimEnd().split('\n').at(-1);
    expect(lastLine([])).toBe('2 of 2 sequences are behind their data: run seqsync realign with the same options to move 1 of them past '
      + 'their data; 1 cannot be moved (see "skipped" above).');
    expect(lastLine(['--table', 'wraps']))
      .toBe('1 of 1 sequences are behind their data: seqsync realign cannot move it (see "skipped" above).');
  });

  it('the dry run and the run exit 1 naming what stays behind; the other sequence is realigned exactly', async () => {
    const dry = seqsync(['realign', '--dry-run', '--url', db.url]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('1 sequence is still behind the data and would stay so (see "skipped" below)');
    const result = seqsync(['realign', '--url', db.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Moved 1 of 2 sequences in 1 transaction.');
    expect(result.stdout).toContain('1 sequence is still behind the data after this run (see "skipped" below)');
    expect(result.stdout).toMatch(/skipped public\.s: exhausted: data max is 10, the next value 11 lies outside the usable range 1\.\.10/);
    expect(await nextValue(db, 'ok_id_seq')).toBe(4n);
    expect(seqsync(['check', '--url', db.url, '--table', 'ok']).code).toBe(0);
    expect(seqsync(['realign', '--url', db.url, '--table', 'ok']).code).toBe(0);
  });
});

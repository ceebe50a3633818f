import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { EXIT_BEHIND, EXIT_OK } from '../src/exit-codes';
import { seqsync } from './cli-run';

interface JsonReport {
  warnings: string[];
  sequences: {
    sequence: string; dataMax: string | null; nextValueBefore: string; nextValueAfter: string; behind: boolean; action: string;
  }[];
}

const json = (args: string[]): { code: number | null; report: JsonReport } => {
  const result = seqsync([...args, '--json']);
  if (result.stdout === '') throw new Error(`seqsync ${args[0]} printed no report: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport };
};

/**
 * A key above the sequence's MAXVALUE is one it never hands out: it cannot collide, so it is a warning, and the
 * sequence is judged by the data it can reach.
 */
describe('seqsync with data above a sequence\'s MAXVALUE (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('cli_beyond_max'); });
  afterEach(() => db.drop());

  const insert = async () => (await db.sql<{ id: number }>('INSERT INTO t DEFAULT VALUES RETURNING id'))[0].id;
  const warning = 'sequence public.s holds the key 500, above its MAXVALUE 100: the sequence never hands that key out, '
    + 'so it is judged by the data it can reach';

  it('data {1..49, 500}, next 50: check exits 0 with a warning, realign changes nothing, the next insert gets 50', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 100; CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO t SELECT g FROM generate_series(1, 49) g; INSERT INTO t VALUES (500); SELECT setval('s', 49);`);
    const checked = json(['check', '--url', db.url]);
    expect(checked.code).toBe(EXIT_OK);
    expect(checked.report.sequences).toEqual([expect.objectContaining({
      sequence: 's', dataMax: '49', nextValueBefore: '50', nextValueAfter: '50', behind: false, action: 'unchanged' })]);
    expect(checked.report.warnings).toEqual([`${warning} (49)`]);
    const human = seqsync(['check', '--url', db.url]);
    expect(human.code).toBe(EXIT_OK);
    expect(human.stdout).toContain(`warning: ${warning} (49)`);
    const realigned = json(['realign', '--url', db.url]);
    expect(realigned.code).toBe(EXIT_OK);
    expect(realigned.report.sequences[0]).toMatchObject({ action: 'unchanged', nextValueAfter: '50' });
    expect(await insert()).toBe(50);
  });

  it('data {1..60, 500}, next 50: check exits 1, realign moves it to 61 (not past MAXVALUE) and exits 0', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 100; CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO t SELECT g FROM generate_series(1, 60) g; INSERT INTO t VALUES (500); SELECT setval('s', 49);`);
    const checked = json(['check', '--url', db.url]);
    expect(checked.code).toBe(EXIT_BEHIND);
    expect(checked.report.sequences[0]).toMatchObject({
      dataMax: '60', nextValueBefore: '50', nextValueAfter: '61', behind: true, action: 'would_advance' });
    expect(checked.report.warnings).toEqual([`${warning} (60)`]);
    const realigned = json(['realign', '--url', db.url]);
    expect(realigned.code).toBe(EXIT_OK);
    expect(realigned.report.sequences[0]).toMatchObject({ nextValueBefore: '50', nextValueAfter: '61', action: 'advanced' });
    expect(await insert()).toBe(61);
    expect(seqsync(['check', '--url', db.url]).code).toBe(EXIT_OK);
  });

  it('data {1..100, 500}: the reachable range is full, so check and realign exit 1 (exhausted), never moving it past 100', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 100; CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO t SELECT g FROM generate_series(1, 100) g; INSERT INTO t VALUES (500); SELECT setval('s', 49);`);
    expect(json(['check', '--url', db.url]).report.sequences[0]).toMatchObject({ dataMax: '100', behind: true, action: 'skipped' });
    const realigned = json(['realign', '--url', db.url]);
    expect(realigned.code).toBe(EXIT_BEHIND);
    expect(realigned.report.sequences[0]).toMatchObject({ nextValueAfter: '50', action: 'skipped' });
  });

  it('a descending sequence with a key below its MINVALUE is judged by the keys at or above it', async () => {
    await db.sql(`CREATE SEQUENCE d INCREMENT -1 MINVALUE -100 MAXVALUE -1 START -1;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('d')); INSERT INTO t SELECT -g FROM generate_series(1, 9) g;
      INSERT INTO t VALUES (-500); SELECT setval('d', -5);`);
    const checked = json(['check', '--url', db.url]);
    expect(checked.code).toBe(EXIT_BEHIND);
    expect(checked.report.sequences[0]).toMatchObject({ nextValueBefore: '-6', nextValueAfter: '-10', action: 'would_advance' });
    expect(checked.report.warnings).toEqual(['sequence public.d holds the key -500, below its MINVALUE -100: the sequence never '
      + 'hands that key out, so it is judged by the data it can reach (-9)']);
    expect(json(['realign', '--url', db.url]).code).toBe(EXIT_OK);
    expect(await insert()).toBe(-10);
  });
});

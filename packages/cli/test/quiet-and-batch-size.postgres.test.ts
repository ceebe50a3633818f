import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { expectOneLineFailure, seqsync } from './cli-run';

const WARNING = 'warning: sequence public.s also feeds public.codes.code (text), whose values cannot be compared with it: '
  + 'judged by its integer columns only';

/** --quiet (exit code only, warnings kept on stderr) and --batch-size (tables per transaction) on real PostgreSQL. */
describe('seqsync --quiet and --batch-size (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('cli_quiet_batch');
    await db.sql(`CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY); CREATE TABLE c (id serial PRIMARY KEY);
      INSERT INTO a VALUES (3); INSERT INTO b VALUES (5); INSERT INTO c VALUES (7);`);
  });
  afterEach(() => db.drop());

  it('check --quiet: nothing printed, exit 1 while behind; realign -q: nothing printed, exit 0; then check -q exits 0', async () => {
    expect(seqsync(['check', '--quiet', '--url', db.url])).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(seqsync(['realign', '-q', '--url', db.url])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await nextValue(db, 'c_id_seq')).toBe(8n);
    expect(seqsync(['check', '-q', '--url', db.url])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--quiet still prints the report\'s warnings, on stderr, one line each', async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE orders (id int PRIMARY KEY DEFAULT nextval('s'));
      CREATE TABLE codes (code text PRIMARY KEY DEFAULT 'C' || nextval('s')); INSERT INTO orders VALUES (41);`);
    expect(seqsync(['check', '--quiet', '--url', db.url, '--table', 'orders']))
      .toEqual({ code: 1, stdout: '', stderr: `seqsync: ${WARNING}\n` });
  });

  it('--quiet leaves errors as they are: one line, exit 2', () => {
    expectOneLineFailure(seqsync(['check', '--quiet', '--url', db.url, '--table', 'nope']),
      'seqsync: unknown table "nope": no such table in the database');
  });

  it('--batch-size 1 realigns one table per transaction; --batch-size 2 packs them two by two', async () => {
    const dry = seqsync(['realign', '--dry-run', '--batch-size', '2', '--url', db.url]);
    expect(dry.stdout.match(/^LOCK TABLE .*$/gm)).toEqual([
      'LOCK TABLE "public"."a", "public"."b" IN SHARE ROW EXCLUSIVE MODE;', 'LOCK TABLE "public"."c" IN SHARE ROW EXCLUSIVE MODE;',
    ]);
    const result = seqsync(['realign', '--batch-size', '1', '--url', db.url]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Moved 3 of 3 sequences in 3 transactions.');
    expect([await nextValue(db, 'a_id_seq'), await nextValue(db, 'b_id_seq'), await nextValue(db, 'c_id_seq')]).toEqual([4n, 6n, 8n]);
  });

  it.each(['0', 'ten', '-1', '1.5'])('--batch-size %s exits 2 with one line and changes nothing', async (value) => {
    expectOneLineFailure(seqsync(['realign', '--batch-size', value, '--url', db.url]),
      `seqsync: option --batch-size needs a whole number of tables ≥ 1, got ${JSON.stringify(value)}`);
    expect(await nextValue(db, 'a_id_seq')).toBe(1n);
  });
});

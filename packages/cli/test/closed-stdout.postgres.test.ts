import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { seqsync, seqsyncIntoHead } from './cli-run';

const TABLES = 1000;
/** Long names make each row of the report long: 1,000 rows are then well over two 64 KiB pipe buffers. */
const tableName = (index: number) => `a_table_whose_name_makes_the_row_long_${String(index).padStart(4, '0')}`;

/**
 * `seqsync check | head -1`: head exits after the first line while seqsync is still writing the report. The run
 * exits quietly with its own code — check's 1 still means "behind", realign's 0 "done" — never with a stack trace.
 */
describe('seqsync piped into a reader that goes away (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_closed_stdout');
    // A few hundred tables per transaction: 1,000 serial tables at once would fill the server's lock table.
    for (let from = 0; from < TABLES; from += 250) {
      const names = Array.from({ length: 250 }, (_, offset) => tableName(from + offset));
      await db.sql(names.map((name) => `CREATE TABLE ${name} (id serial PRIMARY KEY); INSERT INTO ${name} VALUES (5);`).join(''));
    }
  });
  afterAll(() => db.drop());

  it('the report is longer than two pipe buffers, so head leaves while seqsync writes', () => {
    const full = seqsync(['check', '--url', db.url]);
    expect(full.code).toBe(1);
    expect(full.stdout.length).toBeGreaterThan(2 * 64 * 1024);
  });

  it.each([
    [['check'], `${TABLES} of ${TABLES} sequences are behind their data; the next insert into these tables can fail with a duplicate key:`,
      1],
    [['check', '--json'], '{', 1],
    [['realign', '--dry-run'], `Dry run: would move ${TABLES} of ${TABLES} sequences.`, 0],
  ])('seqsync %j | head -1 prints its first line, nothing on stderr, and exits with the run\'s code', (args, firstLine, code) => {
    expect(seqsyncIntoHead([...args, '--url', db.url])).toEqual({ firstLine, code, stderr: '' });
  });

  it('realign | head -1 still realigns everything and exits 0; check | head -1 then exits 0', () => {
    const moved = new RegExp(`^Moved ${TABLES} of ${TABLES} sequences in \\d+ transactions?\\.$`);
    expect(seqsyncIntoHead(['realign', '--url', db.url])).toEqual({ firstLine: expect.stringMatching(moved), code: 0, stderr: '' });
    expect(seqsyncIntoHead(['check', '--url', db.url]))
      .toEqual({ firstLine: `All ${TABLES} sequences are clear of their data.`, code: 0, stderr: '' });
  });
});

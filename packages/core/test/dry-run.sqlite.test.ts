import { fromBetterSqlite3, realign, type Report } from '../src';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../../test-support/sqlite-database';
import { recording } from './support/sent-statements';

/** A statement by its role, so a listing reads as the batch's shape. */
function roleOf(sql: string): string {
  if (/^SELECT column1 AS ref/.test(sql)) return 'read';
  const role = /^(PRAGMA busy_timeout = \d+|BEGIN IMMEDIATE|COMMIT|UPDATE "main"\.sqlite_sequence|INSERT INTO "main"\.sqlite_sequence)/;
  return role.exec(sql)?.[1] ?? sql;
}

/**
 * Three tables in two batches (batchSize 2), in name order: `behind` (its sqlite_sequence row below its data) and
 * `missing` (no row at all) share the first, whose write is one UPDATE and one INSERT; `steady` (its row at its data)
 * is alone in the second, which has nothing to write but takes the write lock and reads all the same.
 */
describe('a dry run lists exactly the statements the real run then sends, on SQLite', () => {
  let file: SqliteTestFile;
  beforeEach(() => {
    file = createSqliteFile('dry-run');
    file.db.exec(`CREATE TABLE behind (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO behind VALUES (1), (7);
      CREATE TABLE missing (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO missing VALUES (9);
      CREATE TABLE steady (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO steady VALUES (4);
      UPDATE sqlite_sequence SET seq = 2 WHERE name = 'behind'; DELETE FROM sqlite_sequence WHERE name = 'missing'`);
    // The caller's own lock wait, which each batch sets aside and puts back.
    file.db.pragma('busy_timeout = 1234');
  });
  afterEach(() => file.remove());

  async function expectOutcome(dry: Report, real: Report): Promise<void> {
    const actions = (report: Report) => report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]);
    expect(actions(dry)).toEqual([['behind', 'would_advance', 8n], ['missing', 'would_advance', 10n], ['steady', 'unchanged', 5n]]);
    expect(actions(real)).toEqual([['behind', 'advanced', 8n], ['missing', 'advanced', 10n], ['steady', 'unchanged', 5n]]);
    expect([sqliteSequenceOf(file.db, 'behind'), sqliteSequenceOf(file.db, 'missing'), sqliteSequenceOf(file.db, 'steady')])
      .toEqual([7n, 9n, 4n]);
  }

  it('through a URL (seqsync\'s own connection and transactions): the real run\'s statements are the dry run\'s', async () => {
    const dry = await realign(file.url, { batchSize: 2, dryRun: true });
    const real = await realign(file.url, { batchSize: 2 });

    await expectOutcome(dry, real);
    expect(dry.statements.map(roleOf)).toEqual([
      'PRAGMA busy_timeout = 5000', 'BEGIN IMMEDIATE', 'read',
      'UPDATE "main".sqlite_sequence', 'INSERT INTO "main".sqlite_sequence', 'COMMIT',
      'PRAGMA busy_timeout = 5000', 'BEGIN IMMEDIATE', 'read', 'COMMIT',
    ]);
    expect(real.statements).toEqual(dry.statements);
  });

  it('a better-sqlite3 Database: after the two catalog reads, each batch sends the dry run\'s statements, between reading '
    + 'the caller\'s busy_timeout and putting it back (which no report lists)', async () => {
    const dry = await realign(fromBetterSqlite3(file.db), { batchSize: 2, dryRun: true });
    const { queryable, sent } = recording(fromBetterSqlite3(file.db));
    const real = await realign(queryable, { batchSize: 2 });

    await expectOutcome(dry, real);
    expect(real.statements).toEqual(dry.statements);
    expect(sent.slice(2)).toEqual([
      'PRAGMA busy_timeout', ...dry.statements.slice(0, 6), 'PRAGMA busy_timeout = 1234',
      'PRAGMA busy_timeout', ...dry.statements.slice(6), 'PRAGMA busy_timeout = 1234',
    ]);
  });

  it('inside a transaction the caller owns: no BEGIN IMMEDIATE or COMMIT, exactly the dry run\'s statements', async () => {
    const inCallerTransaction = async (dryRun: boolean) => {
      const recorded = recording(fromBetterSqlite3(file.db), { callerTransaction: true });
      file.db.exec('BEGIN');
      const report = await realign(recorded.queryable, { batchSize: 2, dryRun });
      file.db.exec('COMMIT');
      return { report, sent: recorded.sent };
    };
    const { report: dry } = await inCallerTransaction(true);
    const { report: real, sent } = await inCallerTransaction(false);

    await expectOutcome(dry, real);
    expect(dry.statements.map(roleOf)).toEqual([
      'PRAGMA busy_timeout = 5000', 'read', 'UPDATE "main".sqlite_sequence', 'INSERT INTO "main".sqlite_sequence',
      'PRAGMA busy_timeout = 5000', 'read',
    ]);
    expect(real.statements).toEqual(dry.statements);
    expect(sent.slice(2)).toEqual([
      'PRAGMA busy_timeout', ...dry.statements.slice(0, 4), 'PRAGMA busy_timeout = 1234',
      'PRAGMA busy_timeout', ...dry.statements.slice(4), 'PRAGMA busy_timeout = 1234',
    ]);
  });
});

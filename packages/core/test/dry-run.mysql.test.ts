import { createConnection, type Connection } from 'mysql2';
import { fromMysql2Connection, realign, type Mode, type Report } from '../src';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';
import { recording } from './support/sent-statements';

/**
 * Three counters in two batches (batchSize 2), in the catalog's order: `ahead_seq` (a sequence set far past its data:
 * reset moves it back by DDL) and `bloated` (an AUTO_INCREMENT left high by a delete: reset lowers it by DDL) share the
 * first, which in advance mode has nothing to move; `invoice_seq` (behind explicit ids: raised by SETVAL) is the second.
 */
async function freshState(db: MysqlTestDatabase): Promise<void> {
  await db.sql(`DROP TABLE IF EXISTS ahead, bloated, invoice; DROP SEQUENCE IF EXISTS ahead_seq; DROP SEQUENCE IF EXISTS invoice_seq;
    CREATE SEQUENCE ahead_seq NOCACHE; CREATE TABLE ahead (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR ahead_seq);
    INSERT INTO ahead () VALUES (), (), (), (), (); SELECT SETVAL(ahead_seq, 100);
    CREATE TABLE bloated (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO bloated VALUES (1), (2), (6); DELETE FROM bloated WHERE id = 6;
    CREATE SEQUENCE invoice_seq NOCACHE; CREATE TABLE invoice (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR invoice_seq);
    INSERT INTO invoice (id) VALUES (1), (2), (3)`);
}

/** A statement by its role, so a listing reads as the batch's shape. */
function roleOf(sql: string): string {
  if (sql.startsWith('SET @seqsync_lock_wait_timeout')) return 'lock waits set';
  if (sql.startsWith('SET SESSION lock_wait_timeout = @seqsync')) return 'lock waits put back';
  if (sql.startsWith('SET @seqsync_setval')) return 'SETVAL';
  if (sql.startsWith('SELECT @seqsync_setval')) return 'SETVAL answers';
  if (/ FOR UPDATE\)$/.test(sql)) return 'read';
  return /^(SET TRANSACTION|START TRANSACTION|COMMIT|ALTER TABLE|ALTER SEQUENCE|BEGIN NOT ATOMIC)\b/.exec(sql)?.[1] ?? sql;
}

const OPENING = ['lock waits set', 'SET TRANSACTION', 'START TRANSACTION', 'read'];

describe('a dry run lists exactly the statements the real run then sends, on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeAll(async () => { db = await createMysqlDatabase('dry_run'); });
  afterAll(() => db.drop());
  beforeEach(() => freshState(db));

  /** Both runs on one mysql2 connection of the test's own: with scripts as seqsync's URL opens one, or without as knex and TypeORM do. */
  async function bothRuns(
    scripted: boolean, mode: Mode, callerTransaction = false,
  ): Promise<{ dry: Report; real: Report; sent: string[] }> {
    const connection: Connection = createConnection({ uri: db.url, multipleStatements: scripted });
    const sql = (text: string) => new Promise<void>((resolve, reject) => {
      connection.query(text, (error) => (error ? reject(error) : resolve()));
    });
    const run = async (dryRun: boolean) => {
      const recorded = recording(fromMysql2Connection(connection), { callerTransaction });
      if (callerTransaction) await sql('START TRANSACTION');
      const report = await realign(recorded.queryable, { batchSize: 2, mode, dryRun });
      if (callerTransaction) await sql('COMMIT');
      return { report, sent: recorded.sent };
    };
    try {
      await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
      const dry = (await run(true)).report;
      const real = await run(false);
      return { dry, real: real.report, sent: real.sent };
    } finally {
      await new Promise<void>((resolve) => connection.end(() => resolve()));
    }
  }

  async function positions(): Promise<Record<string, string>> {
    const [row] = await db.sql<Record<string, string>>(`SELECT
      (SELECT CAST(next_not_cached_value AS CHAR) FROM ahead_seq) AS ahead_seq,
      (SELECT CAST(AUTO_INCREMENT AS CHAR) FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'bloated') AS bloated,
      (SELECT CAST(next_not_cached_value AS CHAR) FROM invoice_seq) AS invoice_seq`);
    return row;
  }
  const actions = (report: Report) => report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]);

  /** After the version question, the real run sent exactly what the dry run listed: two scripts per batch, or each alone. */
  function expectSentAsListed(sent: readonly string[], real: Report, dry: Report, scripted: boolean): void {
    expect(real.statements).toEqual(dry.statements);
    if (scripted) {
      expect(sent).toHaveLength(1 + 2 * 2);
      expect(sent.slice(1).join(';\n')).toBe(dry.statements.join(';\n'));
    } else {
      expect(sent.slice(1)).toEqual(dry.statements);
    }
  }

  it.each([
    ['with scripts (as seqsync\'s own URL connection): two scripts per batch', true],
    ['without scripts (as knex and TypeORM): one statement per call', false],
  ])('advance, %s, exactly the dry run\'s statements; the batch with nothing to move opens, reads and commits', async (_form, scripted) => {
    const { dry, real, sent } = await bothRuns(scripted, 'advance');

    expect(actions(dry)).toEqual([['ahead_seq', 'unchanged', 101n], ['bloated', 'unchanged', 7n], ['invoice_seq', 'would_advance', 4n]]);
    expect(actions(real)).toEqual([['ahead_seq', 'unchanged', 101n], ['bloated', 'unchanged', 7n], ['invoice_seq', 'advanced', 4n]]);
    expect(await positions()).toEqual({ ahead_seq: '101', bloated: '7', invoice_seq: '4' });
    expect(dry.statements.map(roleOf)).toEqual([
      ...OPENING, 'COMMIT', 'lock waits put back',
      ...OPENING, 'SETVAL', 'COMMIT', 'lock waits put back', 'SETVAL answers',
    ]);
    expectSentAsListed(sent, real, dry, scripted);
  });

  it.each([
    ['with scripts, each DDL a statement of the script', true],
    ['without scripts, the batch\'s DDL as one BEGIN NOT ATOMIC block', false],
  ])('reset, %s, exactly the dry run\'s statements', async (_form, scripted) => {
    const { dry, real, sent } = await bothRuns(scripted, 'reset');

    expect(actions(dry)).toEqual([['ahead_seq', 'would_reset', 6n], ['bloated', 'would_reset', 3n], ['invoice_seq', 'would_advance', 4n]]);
    expect(actions(real)).toEqual([['ahead_seq', 'reset', 6n], ['bloated', 'reset', 3n], ['invoice_seq', 'advanced', 4n]]);
    expect(await positions()).toEqual({ ahead_seq: '6', bloated: '3', invoice_seq: '4' });
    expect(dry.statements.map(roleOf)).toEqual([
      ...OPENING, 'COMMIT', ...(scripted ? ['ALTER SEQUENCE', 'ALTER TABLE'] : ['BEGIN NOT ATOMIC']), 'lock waits put back',
      ...OPENING, 'SETVAL', 'COMMIT', 'lock waits put back', 'SETVAL answers',
    ]);
    expectSentAsListed(sent, real, dry, scripted);
  });

  it('advance inside a transaction the caller owns, without scripts: no START TRANSACTION or COMMIT, exactly the dry run\'s statements',
    async () => {
      const { dry, real, sent } = await bothRuns(false, 'advance', true);

      expect(actions(real)).toEqual([['ahead_seq', 'unchanged', 101n], ['bloated', 'unchanged', 7n], ['invoice_seq', 'advanced', 4n]]);
      expect(await positions()).toEqual({ ahead_seq: '101', bloated: '7', invoice_seq: '4' });
      expect(dry.statements.map(roleOf)).toEqual([
        'lock waits set', 'read', 'lock waits put back',
        'lock waits set', 'read', 'SETVAL', 'lock waits put back', 'SETVAL answers',
      ]);
      expect(real.statements).toEqual(dry.statements);
      expect(sent.slice(1)).toEqual(dry.statements);
    });
});

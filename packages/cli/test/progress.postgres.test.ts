import { Client } from 'pg';
import { main } from '../src/main';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { seqsyncOnTerminal } from './cli-run';

/**
 * The progress line on a terminal ("\r2/3 batches", no newline, so the next count overwrites it) is ended before
 * anything else is written: an error, a note or the report never starts on the progress line.
 */
describe('seqsync progress on a terminal (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('cli_progress');
    // Three tables behind their data; with --batch-size 1 each is a batch of its own, locked in name order.
    await db.sql('CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE b (id serial PRIMARY KEY); CREATE TABLE c (id serial PRIMARY KEY); '
      + 'INSERT INTO a VALUES (3); INSERT INTO b VALUES (5); INSERT INTO c VALUES (7);');
  });
  afterEach(() => db.drop());

  async function runInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env: {}, stderrIsTty: true,
    });
    return { code, stdout, stderr };
  }

  it('a lock timeout in batch 2 of 3: exactly "\\r1/3 batches", a newline, then the error line; batch 1 stays committed', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE b IN ROW EXCLUSIVE MODE');
      const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid')).rows;
      const result = await runInProcess(['realign', '--url', db.url, '--batch-size', '1', '--lock-timeout', '300']);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: '\r1/3 batches\nseqsync: lock timeout after 300 ms waiting for table "public"."b" '
          + `(RowExclusiveLock held by pid ${pid}); nothing in this batch was changed (1 earlier batch was committed; re-run to finish)\n`,
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect([await nextValue(db, 'a_id_seq'), await nextValue(db, 'b_id_seq'), await nextValue(db, 'c_id_seq')]).toEqual([4n, 1n, 1n]);
  });

  it('a run that finishes ends the progress line after the last batch, then prints the report', async () => {
    const result = await runInProcess(['check', '--url', db.url, '--batch-size', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('\r1/3 batches\r2/3 batches\r3/3 batches\n');
    expect(result.stdout.split('\n')[0])
      .toBe('3 of 3 sequences are behind their data; the next insert into these tables can fail with a duplicate key:');
  });

  it('--quiet prints no progress, even on a terminal', async () => {
    expect(await runInProcess(['realign', '--url', db.url, '--batch-size', '1', '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('the built binary on a real pseudo-terminal: the counts, then the report on a line of its own', () => {
    const result = seqsyncOnTerminal(['realign', '--url', db.url, '--batch-size', '1']);
    expect(result.code).toBe(0);
    const start = '\r1/3 batches\r2/3 batches\r3/3 batches\r\nMoved 3 of 3 sequences in 3 transactions.\r\n\r\n';
    const end = '\r\n\r\nMoved 3 of 3 sequences in 3 transactions.\r\n';
    expect([result.output.slice(0, start.length), result.output.slice(-end.length)]).toEqual([start, end]);
  });
});

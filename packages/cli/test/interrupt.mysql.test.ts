import type { ChildProcess } from 'node:child_process';
import { createConnection, type Connection } from 'mysql2/promise';
import { autoIncrementOf, createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';
import { exitedEarly, startSeqsync, waitUntil, type Run } from './cli-run';

/**
 * SIGINT / SIGTERM while the built `seqsync` waits behind another session's lock, on real MariaDB: the waiting
 * statement is stopped with KILL QUERY from a second connection (not left holding its batch's locks until
 * innodb_lock_wait_timeout), the batch rolls back, one line says so and the exit code is the shell's for the signal.
 */
describe('seqsync interrupted while waiting on MariaDB', () => {
  let db: MysqlTestDatabase;
  const sessions: Connection[] = [];
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createMysqlDatabase('interrupt');
    // Both counters behind their data, so realign has something to write; alpha is read (and locked) first.
    await db.sql(`CREATE SEQUENCE alpha_seq NOCACHE; CREATE TABLE alpha (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR alpha_seq);
      INSERT INTO alpha VALUES (1), (2), (3);
      CREATE TABLE beta (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO beta VALUES (50); DELETE FROM beta; INSERT INTO beta VALUES (7);`);
  });
  afterEach(async () => {
    // A run the test failed to interrupt must not go on to realign behind the next test's back.
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(sessions.splice(0).map((connection) => connection.end().catch(() => undefined)));
  });
  afterAll(() => db.drop());

  async function session(): Promise<Connection> {
    const connection = await createConnection({ uri: db.url, multipleStatements: true });
    sessions.push(connection);
    return connection;
  }

  /**
   * The processlist entry of this database's session whose statement matches `statement` and has been running for
   * half a second: one that waits for a lock (metadata or row: InnoDB's own list of lock waits lags behind), since
   * without one these statements take milliseconds.
   */
  async function waiting(statement: RegExp): Promise<number | null> {
    const rows = await db.sql<{ id: number; info: string | null }>(
      `SELECT ID AS id, INFO AS info FROM information_schema.PROCESSLIST
        WHERE DB = ? AND COMMAND = 'Query' AND TIME_MS >= 500 AND ID <> CONNECTION_ID()`, [db.name]);
    return rows.find((row) => statement.test(row.info ?? ''))?.id ?? null;
  }

  /** Whether a session is still connected, or still has an InnoDB transaction (with its locks). */
  async function sessionLeft(id: number): Promise<boolean> {
    const [row] = await db.sql<{ count: number }>(
      `SELECT (SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?)
        + (SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ?) AS count`, [id, id]);
    return Number(row.count) > 0;
  }

  async function nextValueOfAlpha(): Promise<string> {
    const [row] = await db.sql<{ next: string }>('SELECT CAST(next_not_cached_value AS CHAR) AS next FROM alpha_seq');
    return row.next;
  }

  /**
   * Starts `seqsync args` behind `hold` (run in another session's open transaction), waits until its statement
   * waits, starts `writer` in a third session and waits until that waits behind seqsync, then sends `signal`.
   */
  async function interruptWhileWaiting(args: string[], hold: string, writer: string, signal: NodeJS.Signals) {
    const holder = await session();
    await holder.query(`START TRANSACTION; ${hold}`);
    const run = startSeqsync([...args, '--url', db.url, '--lock-timeout', '60000']);
    children.push(run.child);
    let seqsyncId: number | null = null;
    const seqsyncWaits = async () => (seqsyncId = await waiting(/ AS ref, /)) !== null;
    await Promise.race([waitUntil('seqsync waits for a lock', seqsyncWaits), exitedEarly(run.done)]);
    const writing = await session();
    const written = writing.query(writer).then(() => Date.now());
    await waitUntil('the writer waits behind seqsync', async () => (await waiting(/^(INSERT|ALTER)/)) !== null);
    const signalled = Date.now();
    run.child.kill(signal);
    const result = await run.done;
    // The holder still holds its lock: the writer was blocked by seqsync's own lock, which KILL QUERY let go.
    const writerWaitedMs = (await written) - signalled;
    // The session closes as seqsync exits; the server may take a moment to notice the closed socket, not 60 s.
    await waitUntil('seqsync\'s session is gone', async () => !(await sessionLeft(seqsyncId!)), 5_000);
    await holder.query('ROLLBACK; UNLOCK TABLES');
    return { result, writerWaitedMs };
  }

  function expectInterrupted(result: Run, code: number, line: string): void {
    expect(result).toEqual({ code, stdout: '', stderr: `${line}\n` });
  }

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)(
    'realign behind a row lock: %s stops the wait with KILL QUERY, rolls the batch back, lets the blocked writer on; exit %d',
    async (signal, code) => {
      const { result, writerWaitedMs } = await interruptWhileWaiting(['realign'],
        'SELECT id FROM beta WHERE id = 7 FOR UPDATE', 'INSERT INTO alpha VALUES (10)', signal);
      expectInterrupted(result, code,
        `seqsync: interrupted by ${signal} in batch 1 of 1, which was stopped and rolled back; nothing was changed`);
      // Without the cancel the writer waits until seqsync's 60 s lock wait timeout.
      expect(writerWaitedMs).toBeLessThan(10_000);
      expect(await nextValueOfAlpha()).toBe('1');
      expect(await autoIncrementOf(db, 'beta')).toBe(51n);
      await db.sql('DELETE FROM alpha WHERE id = 10');
    });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)(
    'check behind LOCK TABLES … WRITE: %s stops the read, so a migration waiting behind its metadata lock goes on; exit %d',
    async (signal, code) => {
      const { result, writerWaitedMs } = await interruptWhileWaiting(['check'],
        'LOCK TABLES beta WRITE', 'ALTER TABLE alpha COMMENT = \'migrated\'', signal);
      expectInterrupted(result, code,
        `seqsync: interrupted by ${signal} while reading batch 1 of 1 (the read was stopped); nothing was changed`);
      expect(writerWaitedMs).toBeLessThan(10_000);
      expect(await nextValueOfAlpha()).toBe('1');
      expect(await autoIncrementOf(db, 'beta')).toBe(51n);
    });

  it('SIGINT while a batch\'s writes are under way (its ALTER TABLE … AUTO_INCREMENT waits, after COMMIT) says some may have moved',
    async () => {
      const holder = await session();
      // An open transaction that read beta holds its metadata lock: reads and the locking read go on, the ALTER waits.
      await holder.query('START TRANSACTION; SELECT * FROM beta');
      const run = startSeqsync(['realign', '--reset', '--url', db.url, '--lock-timeout', '60000']);
      children.push(run.child);
      const alterWaits = async () => (await waiting(/^ALTER TABLE .*beta.* AUTO_INCREMENT/)) !== null;
      await Promise.race([waitUntil('seqsync\'s ALTER TABLE waits', alterWaits), exitedEarly(run.done)]);
      run.child.kill('SIGINT');
      expectInterrupted(await run.done, 130, 'seqsync: interrupted by SIGINT in batch 1 of 1 while its writes were under way; '
        + 'some of this batch\'s writes may have taken effect (MySQL/MariaDB do not roll back SETVAL, nor the ALTER statements '
        + 'that run after its COMMIT): run seqsync check');
      await holder.query('ROLLBACK');
      // What the line warns of: the sequence's SETVAL committed before the DDL, the AUTO_INCREMENT did not move.
      expect(await nextValueOfAlpha()).toBe('4');
      expect(await autoIncrementOf(db, 'beta')).toBe(51n);
      await db.sql('SELECT SETVAL(alpha_seq, 1, 0)');
    });
});

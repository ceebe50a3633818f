import { realign, type SeqsyncError } from '../src';
import { createConnection } from 'mysql2/promise';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

/**
 * MySQL and MariaDB run ALTER TABLE … AUTO_INCREMENT after the batch's COMMIT (DDL commits on its own), so a failure
 * there comes after writes no rollback undoes. The error must not say "nothing was changed": it says what may have
 * taken effect, and the writes that did are really there.
 */
describe('a failure in the write of a MariaDB batch', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('write_failure'); });
  afterEach(() => db.drop());

  it('a metadata lock holding the second ALTER TABLE: LOCK_TIMEOUT saying some writes may have taken effect — the first did', async () => {
    // After deletes AUTO_INCREMENT stands past the data; reset moves it back with ALTER TABLE, a and then b.
    await db.sql('CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY); CREATE TABLE b (id INT AUTO_INCREMENT PRIMARY KEY); '
      + 'INSERT INTO a VALUES (10), (100); INSERT INTO b VALUES (20), (200); DELETE FROM a WHERE id = 100; DELETE FROM b WHERE id = 200');
    const reader = await createConnection({ uri: db.url });
    try {
      // An open transaction that has read b holds its metadata lock: ALTER TABLE b waits for it (reads go on).
      await reader.query('START TRANSACTION');
      await reader.query('SELECT * FROM b');
      const error = await realign(db.url, { lockTimeoutMs: 1000, mode: 'reset' }).then(() => { throw new Error('expected a failure'); },
        (caught: unknown) => caught as SeqsyncError);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', committedBatches: 0 });
      expect(error.message).toMatch(new RegExp('; some of this batch\'s writes may have taken effect \\(MySQL/MariaDB do not roll '
        + 'back SETVAL, nor the ALTER statements that run after its COMMIT\\): run seqsync check$'));
      expect(error.message).not.toMatch(/nothing/);
      await reader.query('ROLLBACK');
    } finally {
      await reader.end();
    }
    // a's ALTER ran and committed on its own before b's waited: the next insert into a gets 11, b's still 201.
    await db.sql('INSERT INTO a () VALUES (); INSERT INTO b () VALUES ()');
    expect(await db.sql('SELECT MAX(id) AS id FROM a')).toEqual([{ id: 11 }]);
    expect(await db.sql('SELECT MAX(id) AS id FROM b')).toEqual([{ id: 201 }]);
  });
});

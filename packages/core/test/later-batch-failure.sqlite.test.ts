import Database from 'better-sqlite3';
import { realign, type SeqsyncError } from '../src';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../../test-support/sqlite-database';

/**
 * The runner reports a failed batch the same way on every database (PostgreSQL: lock-contention.postgres.test.ts,
 * MariaDB: later-batch-failure.mysql.test.ts): the batches that committed keep their changes and are counted.
 */
describe('a lock timeout in a later SQLite batch', () => {
  let file: SqliteTestFile;
  beforeEach(() => { file = createSqliteFile('later-batch'); });
  afterEach(() => file.remove());

  it('reports the one batch that committed; its counter moved, the later ones did not', async () => {
    file.db.exec(['a', 'b', 'c'].map((t) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY AUTOINCREMENT);
      INSERT INTO ${t} (id) VALUES (1), (10); UPDATE sqlite_sequence SET seq = 1 WHERE name = '${t}';`).join('\n'));
    const other = new Database(file.path);
    try {
      // Once the first batch has committed, another connection takes the database's write lock and keeps it.
      const onProgress = (done: number) => { if (done === 1) other.exec('BEGIN IMMEDIATE'); };
      const error = await realign(file.url, { batchSize: 1, lockTimeoutMs: 200, onProgress })
        .catch((caught: unknown) => caught as SeqsyncError);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', committedBatches: 1, message: expect.stringContaining('"main"."b"') });
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect([sqliteSequenceOf(file.db, 'a'), sqliteSequenceOf(file.db, 'b'), sqliteSequenceOf(file.db, 'c')]).toEqual([10n, 1n, 1n]);
    expect(Number(file.db.prepare('INSERT INTO a DEFAULT VALUES').run().lastInsertRowid)).toBe(11);
  });
});

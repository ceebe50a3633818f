import { check, realign, type SeqsyncError } from '../src';
import { createConnection } from 'mysql2/promise';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

async function nextId(db: MysqlTestDatabase, table: string): Promise<number> {
  const [row] = await db.sql<{ id: string }>(`INSERT INTO ${table} () VALUES () RETURNING CAST(id AS CHAR) AS id`);
  return Number(row.id);
}

/**
 * The runner reports a failed batch the same way on every database: how many earlier batches committed,
 * with those batches' changes kept and the failing one's not made (PostgreSQL: lock-contention.postgres.test.ts).
 */
describe('a lock timeout in a later MariaDB batch', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('later_batch'); });
  afterEach(() => db.drop());

  it('reports the two batches that committed; their sequences moved, the locked one did not', async () => {
    await db.sql(['a', 'b', 'c'].map((t) =>
      `CREATE SEQUENCE ${t}_seq NOCACHE; CREATE TABLE ${t} (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR ${t}_seq); `
      + `INSERT INTO ${t} VALUES (5);`).join(' '));
    const writer = await createConnection({ uri: db.url });
    try {
      // An insert past the data holds the next-key lock the third batch's FOR UPDATE needs.
      await writer.query('START TRANSACTION');
      await writer.query('INSERT INTO c VALUES (9)');
      const error = await realign(db.url, { batchSize: 1, lockTimeoutMs: 1000 }).catch((caught: unknown) => caught as SeqsyncError);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', committedBatches: 2, message: expect.stringContaining(`\`${db.name}\`.\`c\``) });
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
    expect(await nextId(db, 'a')).toBe(6);
    expect(await nextId(db, 'b')).toBe(6);
    expect((await check(db.url, { tables: ['c'] })).sequences[0]).toMatchObject({ sequence: 'c_seq', nextValueBefore: 1n, behind: true });
  });
});

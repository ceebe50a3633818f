import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { createPool, type Pool } from 'mysql2/promise';
import { checkSequences, realignSequences } from '@seqsync/drizzle';
import { createMysqlDatabase, insertedId, type MysqlTestDatabase } from '../../test-support/mysql-database';
import * as schema from './fixtures/mysql-schema';
import { posts } from './fixtures/sqlite-schema';

const { invoices, users } = schema;
const TRANSACTION_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\b/i;

/** realignSequences / checkSequences through drizzle-orm/mysql2, on real MariaDB. */
describe('realignSequences(db) on MariaDB through drizzle-orm/mysql2', () => {
  let database: MysqlTestDatabase;
  let pool: Pool;
  let db: MySql2Database<typeof schema>;

  beforeAll(async () => {
    database = await createMysqlDatabase('drizzle_mysql');
    pool = createPool({ uri: database.url, connectionLimit: 3 });
    db = drizzle(pool, { schema, mode: 'default', casing: 'snake_case' });
  });
  beforeEach(() => database.sql(schema.MYSQL_DDL));
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('a SEQUENCE behind a key, seeded with explicit ids: duplicate key before, exactly the next id after', async () => {
    await db.insert(invoices).values([1, 2, 3, 4, 5].map((id) => ({ id, amountCents: id })));
    await expect(db.insert(invoices).values({ amountCents: 6 })).rejects.toMatchObject({ cause: { code: 'ER_DUP_ENTRY', errno: 1062 } });

    const report = await realignSequences(db);

    expect(report.dialect).toBe('mariadb');
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([
      ['UserAccount', 'unchanged', 1n],
      ['invoice_seq', 'advanced', 6n],
      ['users', 'unchanged', 1n],
    ]);
    expect(report.schemaTables.map((t) => [t.table, t.columns.map((c) => `${c.column} ${c.strategy}`)])).toEqual([
      ['invoices', ['id sequence']], ['users', ['id autoincrement']], ['UserAccount', ['account_id autoincrement']],
    ]);
    expect(report.skipped.map((t) => t.table)).toEqual(['countries']);
    expect(await insertedId(database, 'invoices')).toBe(6n);
  });

  it('AUTO_INCREMENT after deletes: mode reset compacts it to exactly past the rows left', async () => {
    await db.insert(users).values([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
    await database.sql('DELETE FROM users WHERE id > 2');

    const check = await checkSequences(db, { mode: 'reset', tables: [users] });
    expect(check.sequences[0]).toMatchObject({ action: 'would_reset', nextValueBefore: 5n, nextValueAfter: 3n });
    const report = await realignSequences(db, { mode: 'reset', tables: [users] });
    expect(report.sequences[0]).toMatchObject({ action: 'reset', nextValueAfter: 3n });
    expect(await db.insert(users).values({ name: 'e' }).$returningId()).toEqual([{ id: 3 }]);
  });

  it('inside db.transaction: on its connection, sees its rows, commits with it; a reset needing DDL is refused', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(invoices).values([{ id: 40, amountCents: 1 }]);
      const report = await realignSequences(tx, { tables: [invoices] });
      expect(report.sequences[0]).toMatchObject({ sequence: 'invoice_seq', action: 'advanced', nextValueAfter: 41n });
      expect(report.statements.filter((s) => TRANSACTION_CONTROL.test(s))).toEqual([]);
      await tx.insert(invoices).values({ amountCents: 2 });
      expect(await tx.select().from(invoices)).toEqual([{ id: 40, amountCents: 1 }, { id: 41, amountCents: 2 }]);

      await tx.insert(users).values([{ name: 'a' }, { name: 'b' }]);
      await tx.delete(users);
      await expect(realignSequences(tx, { mode: 'reset', tables: [users] })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    });
    expect(await insertedId(database, 'invoices')).toBe(42n);
    expect(await insertedId(database, 'users')).toBe(3n);
  });

  it('inside db.transaction that rolls back: its rows go, but the SEQUENCE SETVAL moved stays moved (MariaDB does not roll '
    + 'SETVAL back; ahead of the data, which is safe)', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.insert(invoices).values([{ id: 40, amountCents: 1 }]);
      const report = await realignSequences(tx, { tables: [invoices] });
      expect(report.sequences[0]).toMatchObject({ sequence: 'invoice_seq', action: 'advanced', nextValueAfter: 41n });
      tx.rollback();
    })).rejects.toThrow('Rollback');

    expect(await database.sql('SELECT CAST(COUNT(*) AS CHAR) AS n FROM invoices')).toEqual([{ n: '0' }]);
    expect(await insertedId(database, 'invoices')).toBe(41n);
  });

  it('bad input changes nothing: a SQLite table object in tables, an unknown table name', async () => {
    await db.insert(invoices).values([{ id: 7 }]);

    await expect(realignSequences(db, { tables: [invoices, posts] })).rejects.toMatchObject({
      code: 'INVALID_OPTION', message: expect.stringContaining('table "posts" in tables is not a table object of the schema'),
    });
    await expect(realignSequences(db, { tables: [invoices, 'invoice'] })).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE', message: 'unknown table "invoice": no such table in the database',
    });
    expect(await insertedId(database, 'invoices')).toBe(1n);
  });
});

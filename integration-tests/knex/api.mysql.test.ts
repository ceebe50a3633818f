import knexFactory from 'knex';
import type { Knex } from 'knex';
import { checkSequences, realignSequences } from '@seqsync/knex';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../test-support/mysql-database';

/** realignSequences / checkSequences through knex's mysql2 client, on real MariaDB. */
describe('realignSequences(knex) on MariaDB through the mysql2 client', () => {
  let db: MysqlTestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createMysqlDatabase('knex_mysql');
    knex = knexFactory({ client: 'mysql2', connection: db.url, pool: { min: 0, max: 2 } });
  });
  beforeEach(() => db.sql(`DROP TABLE IF EXISTS invoices, users; DROP SEQUENCE IF EXISTS invoice_seq;
    CREATE SEQUENCE invoice_seq; `
    + `CREATE TABLE invoices (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR invoice_seq, amount INT NOT NULL DEFAULT 0);
    CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'someone');`));
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  async function insertInvoice(target: Knex | Knex.Transaction): Promise<number> {
    await target('invoices').insert({ amount: 1 });
    const [row] = await target('invoices').max({ id: 'id' });
    return Number((row as { id: number }).id);
  }

  it('a sequence default seeded with explicit ids: duplicate key, realign, the next insert gets exactly MAX+1', async () => {
    await knex('invoices').insert([1, 2, 3, 4, 5].map((id) => ({ id, amount: id })));
    await expect(knex('invoices').insert({ amount: 6 })).rejects.toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062 });

    const report = await realignSequences(knex);

    expect(report.dialect).toBe('mariadb');
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([
      ['invoice_seq', 'advanced', 6n],
      ['users', 'unchanged', 1n],
    ]);
    expect(await insertInvoice(knex)).toBe(6);
    expect((await knex.client.pool.numUsed())).toBe(0);
  });

  it('reset mode compacts AUTO_INCREMENT after deletes', async () => {
    await knex('users').insert([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
    await knex('users').where('id', '>', 2).del();
    const check = await checkSequences(knex, { mode: 'reset', tables: ['users'] });
    expect(check.sequences[0]).toMatchObject({ action: 'would_reset', nextValueBefore: 5n, nextValueAfter: 3n });
    await realignSequences(knex, { mode: 'reset', tables: ['users'] });
    expect(await knex('users').insert({ name: 'e' })).toEqual([3]);
  });

  it('inside a knex transaction: runs on the trx connection, sees its uncommitted rows, and commits with it', async () => {
    await knex.transaction(async (trx) => {
      await trx('invoices').insert([{ id: 40, amount: 1 }]);
      const report = await realignSequences(trx, { tables: ['invoices'] });
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 41n });
      expect(report.statements.filter((s) => /^(START TRANSACTION|COMMIT)/.test(s))).toEqual([]);
      expect(await insertInvoice(trx)).toBe(41);
    });
    expect(await insertInvoice(knex)).toBe(42);
  });
});

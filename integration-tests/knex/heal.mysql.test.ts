import knexFactory from 'knex';
import type { Knex } from 'knex';
import type { HealCause } from '@seqsync/knex';
import { healOnDuplicateKey } from '@seqsync/knex';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../test-support/mysql-database';

/** healOnDuplicateKey(knex) through knex's mysql2 client on MariaDB: a SEQUENCE-fed key, whose 1062 names only PRIMARY. */
describe('healOnDuplicateKey(knex) on MariaDB', () => {
  let db: MysqlTestDatabase;
  let knex: Knex;
  const causes: HealCause[] = [];

  beforeAll(async () => {
    db = await createMysqlDatabase('knex_heal');
    knex = healOnDuplicateKey(knexFactory({ client: 'mysql2', connection: db.url, pool: { min: 0, max: 2 } }), {
      onHeal: (_report, cause) => causes.push(cause),
    });
  });
  // invoices 1..3 imported with explicit ids: invoice_seq still hands out 1.
  beforeEach(async () => {
    causes.length = 0;
    await db.sql(`DROP TABLE IF EXISTS invoices; DROP SEQUENCE IF EXISTS invoice_seq; CREATE SEQUENCE invoice_seq;
      CREATE TABLE invoices (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR invoice_seq, code VARCHAR(20) UNIQUE);
      INSERT INTO invoices (id, code) VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
  });
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  const ids = async () => (await db.sql<{ id: string }>('SELECT CAST(id AS CHAR) AS id FROM invoices ORDER BY id'))
    .map((row) => Number(row.id));

  it('an insert without an id succeeds on the first call and its row gets exactly MAX+1, after one realign', async () => {
    await knex('invoices').insert({ code: 'new' });

    expect(await ids()).toEqual([1, 2, 3, 4]);
    expect(causes).toEqual([{ table: `${db.name}.invoices`, operation: 'insert into invoices' }]);
  });

  it('an explicit duplicate id and a duplicate code fail with error 1062, and nothing is realigned', async () => {
    await expect(knex('invoices').insert({ id: 2, code: 'x' })).rejects.toMatchObject({ errno: 1062 });
    await expect(knex('invoices').insert({ id: 50, code: 'a' })).rejects.toMatchObject({ errno: 1062 });

    expect(causes).toEqual([]);
    expect(await ids()).toEqual([1, 2, 3]);
  });
});

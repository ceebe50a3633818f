import { check, realign } from '../src';
import { createMysqlDatabase, insertedId, type MysqlTestDatabase } from '../../../test-support/mysql-database';

const warningOf = (db: MysqlTestDatabase, reach: number) => `sequence ${db.name}.s holds the key 500, above its MAXVALUE 100: `
  + `the sequence never hands that key out, so it is judged by the data it can reach (${reach})`;

/** A MariaDB SEQUENCE is judged by the keys it can reach: one above its MAXVALUE is a warning, never "behind". */
describe('MariaDB sequences with data above MAXVALUE', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('beyond_max'); });
  afterEach(() => db.drop());

  const setup = (top: number) => db.sql(`CREATE SEQUENCE s MAXVALUE 100 NOCACHE;
    CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
    INSERT INTO t (id) VALUES ${Array.from({ length: top }, (_, i) => `(${i + 1})`).join(', ')}, (500); SELECT SETVAL(s, 49);`);

  it('data {1..49, 500}, next 50: clear, with a warning; realign leaves it and the next insert gets 50', async () => {
    await setup(49);
    const checked = await check(db.url);
    expect(checked.sequences[0]).toMatchObject({ dataMax: 49n, nextValueBefore: 50n, behind: false, action: 'unchanged' });
    expect(checked.warnings).toEqual([warningOf(db, 49)]);
    const realigned = await realign(db.url);
    expect(realigned.sequences[0]).toMatchObject({ action: 'unchanged', nextValueAfter: 50n });
    expect(realigned.warnings).toEqual([warningOf(db, 49)]);
    expect(await insertedId(db, 't')).toBe(50n);
  });

  it('data {1..60, 500}, next 50: behind; realign moves it to 61, not past MAXVALUE', async () => {
    await setup(60);
    const checked = await check(db.url);
    expect(checked.sequences[0]).toMatchObject({ dataMax: 60n, nextValueBefore: 50n, behind: true, action: 'would_advance',
      nextValueAfter: 61n });
    expect(checked.warnings).toEqual([warningOf(db, 60)]);
    expect((await realign(db.url)).sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 61n });
    expect(await insertedId(db, 't')).toBe(61n);
  });
});

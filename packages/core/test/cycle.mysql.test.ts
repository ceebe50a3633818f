import { check, realign } from '../src';
import { createMysqlDatabase, insertedId, type MysqlTestDatabase } from '../../../test-support/mysql-database';

/**
 * A MariaDB CYCLE sequence past its bound hands out MINVALUE next (in its next round): that value, not the one past
 * the bound, decides "behind", with the default cache and without one, as on PostgreSQL (cycle.postgres.test.ts).
 */
describe('CYCLE sequences on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('cycle'); });
  afterEach(() => db.drop());

  it.each([['the default cache', ''], ['NOCACHE', ' NOCACHE']])(
    'with %s, at MAXVALUE 10 with data {1, 10}, the next value wraps to 1: behind, and realign cannot fix it below MAXVALUE',
    async (_label, cache) => {
      await db.sql(`CREATE SEQUENCE s MAXVALUE 10 CYCLE${cache}; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
        INSERT INTO t VALUES (1), (10); SELECT SETVAL(s, 10);`);
      const report = await check(db.url);
      expect(report.sequences).toEqual([expect.objectContaining({
        sequence: 's', dataMax: 10n, nextValueBefore: 1n, behind: true, action: 'skipped' })]);
      expect(report.sequences[0].reason).toMatch(/^exhausted: data max is 10, the next value 11 lies outside the usable range 1\.\.10/);
      const realigned = await realign(db.url);
      expect(realigned.sequences[0]).toMatchObject({ behind: true, action: 'skipped', nextValueAfter: 1n });
      expect(realigned.statements.some((sql) => sql.includes('SETVAL'))).toBe(false);
      // What the report says: the next insert wraps to 1 and collides.
      await expect(db.sql('INSERT INTO t () VALUES ()')).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    });

  it.each([['the default cache', ''], ['NOCACHE', ' NOCACHE']])(
    'with %s, at MAXVALUE 10 with data {1..5}, realign sets the next round to 6 and the next insert gets 6', async (_label, cache) => {
      await db.sql(`CREATE SEQUENCE s MAXVALUE 10 CYCLE${cache}; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
        INSERT INTO t VALUES (1), (2), (3), (4), (5); SELECT SETVAL(s, 10);`);
      expect((await check(db.url)).sequences[0]).toMatchObject({ dataMax: 5n, nextValueBefore: 1n, action: 'would_advance',
        nextValueAfter: 6n });
      const realigned = await realign(db.url);
      expect(realigned.sequences[0]).toMatchObject({ action: 'advanced', behind: true, nextValueAfter: 6n });
      // SETVAL in the round the sequence wraps into (cycle_count + 1): one in round 0 would be ignored.
      expect(realigned.statements.find((sql) => sql.includes('SETVAL'))).toContain(`SETVAL(\`${db.name}\`.\`s\`, 6, 0, 1)`);
      expect(await insertedId(db, 't')).toBe(6n);
      expect(await insertedId(db, 't')).toBe(7n);
    });

  it('a CYCLE sequence that wrapped once is moved within its round: data {1..8} after the wrap, next insert 9', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 10 CYCLE NOCACHE; CREATE TABLE t (id INT PRIMARY KEY, n INT);
      SELECT SETVAL(s, 10); SELECT NEXTVAL(s), NEXTVAL(s);
      INSERT INTO t VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0);
      ALTER TABLE t MODIFY id INT NOT NULL DEFAULT NEXT VALUE FOR s;`);
    expect((await check(db.url)).sequences[0]).toMatchObject({ dataMax: 8n, nextValueBefore: 3n, behind: true });
    expect((await realign(db.url)).sequences[0]).toMatchObject({ action: 'advanced', nextValueBefore: 3n, nextValueAfter: 9n });
    expect(await insertedId(db, 't')).toBe(9n);
  });
});

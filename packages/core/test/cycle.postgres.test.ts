import { check, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

/** A CYCLE sequence at its bound hands out MINVALUE next: that, not the value past the bound, decides "behind". */
describe('CYCLE sequences on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('cycle'); });
  afterEach(() => db.drop());

  it('at MAXVALUE 10 with data {1, 10}, the next value wraps to 1: behind, and realign cannot fix it below MAXVALUE', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 10 CYCLE;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s')); INSERT INTO t VALUES (1), (10); SELECT setval('s', 10);`);
    const report = await check(db.url);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 's', dataMax: 10n, nextValueBefore: 1n, behind: true, action: 'skipped' })]);
    const realigned = await realign(db.url);
    expect(realigned.sequences[0]).toMatchObject({ behind: true, action: 'skipped', nextValueAfter: 1n });
    // Left as it was: last_value 10, is_called (the test helper does not wrap, so it reads 11).
    expect(await nextValue(db, 's')).toBe(11n);
    // What the report says: the next insert wraps to 1 and collides.
    await expect(db.sql('INSERT INTO t DEFAULT VALUES')).rejects.toMatchObject({ code: '23505' });
  });

  it('a descending CYCLE sequence at MINVALUE wraps to MAXVALUE, which the data holds: behind', async () => {
    await db.sql(`CREATE SEQUENCE d INCREMENT -1 MINVALUE -10 MAXVALUE -1 START -1 CYCLE;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('d')); INSERT INTO t VALUES (-1), (-10); SELECT setval('d', -10);`);
    expect((await check(db.url)).sequences[0]).toMatchObject({ dataMin: -10n, nextValueBefore: -1n, behind: true, action: 'skipped' });
    await expect(db.sql('INSERT INTO t DEFAULT VALUES')).rejects.toMatchObject({ code: '23505' });
  });

  it('a CYCLE sequence with room before its bound is realigned like any other: data max 5 → next 6', async () => {
    await db.sql(`CREATE SEQUENCE s MAXVALUE 10 CYCLE;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s')); INSERT INTO t VALUES (1), (5);`);
    expect((await realign(db.url)).sequences[0])
      .toMatchObject({ nextValueBefore: 1n, behind: true, action: 'advanced', nextValueAfter: 6n });
    expect((await db.sql<{ id: number }>('INSERT INTO t DEFAULT VALUES RETURNING id'))[0].id).toBe(6);
  });
});

import { check, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

/**
 * `tables` naming a partition or an inheritance child brings in the sequence its rows take their keys from (the
 * parent's), realigned from the whole tree's data — as Pagila's payment_p2007_01 and payment.
 */
describe('a partition or inheritance child named in tables, on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('partition_scope'); });
  afterEach(() => db.drop());

  it("a partition resolves to its parent's sequence, realigned from every partition: MAX 77 elsewhere → next 78", async () => {
    await db.sql(`CREATE TABLE payment (payment_id serial, paid date NOT NULL, PRIMARY KEY (payment_id, paid)) PARTITION BY RANGE (paid);
      CREATE TABLE payment_p2007_01 PARTITION OF payment FOR VALUES FROM ('2007-01-01') TO ('2007-02-01');
      CREATE TABLE payment_p2007_02 PARTITION OF payment FOR VALUES FROM ('2007-02-01') TO ('2007-03-01');
      INSERT INTO payment VALUES (3, '2007-01-05'), (77, '2007-02-05');`);
    const checked = await check(db.url, { tables: ['payment_p2007_01'] });
    expect(checked.tablesWithoutSequence).toEqual([]);
    expect(checked.sequences).toEqual([expect.objectContaining({
      sequence: 'payment_payment_id_seq', uses: [{ schema: 'public', table: 'payment', column: 'payment_id', kind: 'owned' }],
      dataMax: 77n, behind: true })]);
    const realigned = await realign(db.url, { tables: ['public.payment_p2007_01'] });
    expect(realigned.sequences).toEqual([expect.objectContaining({ action: 'advanced', nextValueAfter: 78n })]);
    const [row] = await db.sql<{ payment_id: number }>("INSERT INTO payment_p2007_01 (paid) VALUES ('2007-01-09') RETURNING payment_id");
    expect(row.payment_id).toBe(78);
  });

  it("an inheritance child without a default of its own resolves to the parent's sequence: child MAX 50 → next 51", async () => {
    await db.sql(`CREATE TABLE payment (payment_id serial PRIMARY KEY);
      CREATE TABLE payment_p2007_01 () INHERITS (payment);
      ALTER TABLE ONLY payment_p2007_01 ALTER COLUMN payment_id DROP DEFAULT;
      INSERT INTO payment VALUES (4); INSERT INTO payment_p2007_01 VALUES (50);`);
    const report = await realign(db.url, { tables: ['payment_p2007_01'] });
    expect(report.tablesWithoutSequence).toEqual([]);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 'payment_payment_id_seq', dataMax: 50n, action: 'advanced', nextValueAfter: 51n })]);
    expect(await nextValue(db, 'payment_payment_id_seq')).toBe(51n);
  });

  it('a table that is neither fed by a sequence nor below a table that is stays listed as without one', async () => {
    await db.sql(`CREATE TABLE payment (payment_id serial PRIMARY KEY); CREATE TABLE notes (body text);
      CREATE TABLE notes_2007 () INHERITS (notes);`);
    const report = await check(db.url, { tables: ['notes_2007'] });
    expect(report.sequences).toEqual([]);
    expect(report.tablesWithoutSequence).toEqual(['public.notes_2007']);
  });
});

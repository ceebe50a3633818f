import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { Column, Entity, PrimaryGeneratedColumn, QueryFailedError } from 'typeorm';
import type { HealCause, Report } from '@seqsync/typeorm';
import { healAttemptOf, healOnDuplicateKey } from '@seqsync/typeorm';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import { expectDuplicateKey, openDataSource } from './typeorm-test-support';

/** A serial key beside a unique column. */
@Entity()
class Customer {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text', unique: true, nullable: true }) email!: string | null;
}

/** healOnDuplicateKey(dataSource): save() and insert() through the DataSource's manager and repositories, on PostgreSQL. */
describe('healOnDuplicateKey(dataSource) on PostgreSQL', () => {
  let db: TestDatabase;
  let healing: DataSource;
  let plain: DataSource;
  const heals: { report: Report; cause: HealCause }[] = [];
  const customers = () => healing.getRepository(Customer);

  beforeAll(async () => {
    db = await createTestDatabase('typeorm_heal');
    healing = healOnDuplicateKey(await openDataSource(db, { entities: [Customer] }), {
      onHeal: (report, cause) => heals.push({ report, cause }),
    });
    plain = await openDataSource(db, { entities: [Customer], synchronize: false });
  });
  afterAll(async () => {
    await healing?.destroy();
    await plain?.destroy();
    await db?.drop();
  });
  // Customers 1..30 imported with explicit ids: customer_id_seq still hands out 1.
  beforeEach(async () => {
    await db.sql(`TRUNCATE customer RESTART IDENTITY;
      INSERT INTO customer (id, email) SELECT i, 'user' || i || '@example.com' FROM generate_series(1, 30) AS i`);
    heals.length = 0;
  });

  it('save() without an id succeeds on the first call with exactly MAX+1; without the wrapper it fails with 23505', async () => {
    await expectDuplicateKey(plain.getRepository(Customer).save({ email: 'plain@example.com' }));

    expect((await customers().save({ email: 'new@example.com' })).id).toBe(31);
    expect(heals.map((h) => h.cause)).toEqual([{ table: 'public.customer', operation: 'save', model: 'Customer' }]);
    expect(heals[0].report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([['customer_id_seq', 'advanced', 31n]]);
  });

  it('insert() and manager.save(entity instance) are healed the same way', async () => {
    const inserted = await customers().insert([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    expect(inserted.identifiers).toEqual([{ id: 31 }, { id: 32 }]);
    await db.sql("SELECT pg_catalog.setval('customer_id_seq', 1)");
    const customer = Object.assign(new Customer(), { email: 'c@example.com' });
    expect((await healing.manager.save(customer)).id).toBe(33);
    expect(heals.map((h) => h.cause.operation)).toEqual(['insert', 'save']);
  });

  it('rows that give the key a value and a duplicate email fail with their own error, and nothing is realigned', async () => {
    // TypeORM leaves an `increment` key's value out of the INSERT, so the sequence handed out 1, which collided; the row
    // gave the key a value, though, and seqsync never second-guesses that: not healed.
    await expectDuplicateKey(customers().insert({ id: 5, email: 'five@example.com' }));
    expect(await nextValue(db, 'customer_id_seq')).toBe(2n);
    await db.sql("SELECT pg_catalog.setval('customer_id_seq', 30)");
    const error = await customers().save({ email: 'user1@example.com' }).then(() => null, (e: unknown) => e);

    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as { constraint?: string }).constraint).toMatch(/^UQ_/);
    expect(healAttemptOf(error)).toBeUndefined();
    expect(heals).toEqual([]);
    // The failed save took 31; nothing moved the sequence further.
    expect(await nextValue(db, 'customer_id_seq')).toBe(32n);
  });

  it('20 concurrent saves failing on one table all succeed after exactly one realign', async () => {
    const saved = await Promise.all(Array.from({ length: 20 }, (_, i) => customers().save({ email: `c${i}@example.com` })));

    expect(saved.map((c) => c.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
    expect(heals).toHaveLength(1);
    expect(await nextValue(db, 'customer_id_seq')).toBe(51n);
  });

  it('save(…, { transaction: false }) is not healed: its inserts commit one by one, and a retry would insert the first again', async () => {
    // Customer 1 deleted: the sequence's first value goes in, its second collides. Rows without values are inserted
    // one statement each, and without a transaction the first is committed when the second fails.
    await db.sql('DELETE FROM customer WHERE id = 1');
    const error = await customers().save([new Customer(), new Customer()], { transaction: false }).then(() => null, (e: unknown) => e);

    expect(error).toBeInstanceOf(QueryFailedError);
    expect(healAttemptOf(error)).toBeUndefined();
    expect(heals).toEqual([]);
    // Exactly one row went in, the one before the failure: 29 imported + 1.
    expect(await db.sql('SELECT count(*)::int AS n FROM customer')).toEqual([{ n: 30 }]);
  });

  it('inside dataSource.transaction() nothing is healed: the failure aborted it, and the original error stands', async () => {
    const error = await healing.transaction((manager) => manager.save(Customer, { email: 'tx@example.com' }))
      .then(() => null, (e: unknown) => e);

    expect(error).toBeInstanceOf(QueryFailedError);
    // TypeORM names the key PK_<hash>: the catalog, not the name, says it is the primary key.
    expect(error).toMatchObject({ code: '23505', constraint: expect.stringMatching(/^PK_/) });
    expect(healAttemptOf(error)).toBeUndefined();
    expect(heals).toEqual([]);
    expect(await nextValue(db, 'customer_id_seq')).toBe(2n);
  });
});

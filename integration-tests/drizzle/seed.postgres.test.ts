import { reset, seed } from 'drizzle-seed';
import { realignAfterSeed, realignSequences } from '@seqsync/drizzle';
import { expectDuplicateKey, nextValue, PG_DRIVERS, schema, type PgDriver, type PgHarness } from './support/pg-drivers';

const { auditEntries, events, invoices, tickets, userAccounts, users } = schema;

/** The key the next plain insert of each table gets. */
async function nextInsertedKeys(harness: PgHarness): Promise<string[]> {
  const { db } = harness;
  const rows = [
    (await db.insert(users).values({ name: 'Linus' }).returning())[0].id,
    (await db.insert(events).values({ kind: 'x' }).returning())[0].id,
    (await db.insert(auditEntries).values({ note: 'x' }).returning())[0].id,
    (await db.insert(userAccounts).values({ email: 'x@example.com' }).returning())[0].accountId,
    (await db.insert(tickets).values({ title: 'x' }).returning())[0].id,
    (await db.insert(invoices).values({ amountCents: 1 }).returning())[0].id,
  ];
  return rows.map(String);
}

describe.each<PgDriver>(PG_DRIVERS)('drizzle-seed through $name', (driver) => {
  let harness: PgHarness;

  beforeAll(async () => {
    harness = await driver.open('drizzle_seed');
  });
  beforeEach(() => harness.recreate());
  afterAll(() => harness.close());

  it('seed() inserts ids 1 to count and leaves every sequence at its start: the next plain insert fails with 23505', async () => {
    await seed(harness.db, schema, { count: 5 });

    expect(await harness.sql('SELECT count(*)::int AS n, max(id) AS max FROM users')).toEqual([{ n: 5, max: 5 }]);
    await expectDuplicateKey(harness.db.insert(users).values({ name: 'Linus' }), 'users_pkey');
    await expectDuplicateKey(harness.db.insert(userAccounts).values({ email: 'x@example.com' }), 'UserAccount_pkey');
    await expectDuplicateKey(harness.db.insert(tickets).values({ title: 'x' }), 'tickets_pkey');
  });

  it('realignAfterSeed around seed(): each next plain insert gets exactly the next id (tickets: the next of 1, 11, 21, …)', async () => {
    const { report } = await realignAfterSeed(harness.db, (db) => seed(db, schema, { count: 5 }));

    expect(report.sequences.map((s) => [s.sequence, s.action, s.dataMax, s.nextValueAfter])).toEqual([
      ['invoices_id_seq', 'advanced', 5n, 6n],
      ['UserAccount_account_id_seq', 'advanced', 5n, 6n],
      ['audit_entries_id_seq', 'advanced', 5n, 6n],
      ['events_id_seq', 'advanced', 5n, 6n],
      ['ticket_numbers', 'advanced', 5n, 11n],
      ['users_id_seq', 'advanced', 5n, 6n],
    ]);
    expect(await nextInsertedKeys(harness)).toEqual(['6', '6', '6', '6', '11', '6']);
  });

  it('around reset() and seed(): advance leaves a sequence ahead of fewer rows, mode reset brings it to exactly past them', async () => {
    await realignAfterSeed(harness.db, (db) => seed(db, { users }, { count: 8 }));
    expect(await nextValue(harness, '"public"."users_id_seq"')).toBe(9n);
    const reseed = async (db: typeof harness.db) => {
      await reset(db, { users });
      await seed(db, { users }, { count: 3 });
    };

    const advance = await realignAfterSeed(harness.db, reseed, { schema: { users } });
    expect(advance.report.sequences[0]).toMatchObject({ sequence: 'users_id_seq', action: 'unchanged', nextValueAfter: 9n });

    const onReport = jest.fn();
    const compact = await realignAfterSeed(harness.db, reseed, { schema: { users }, mode: 'reset', onReport });
    expect(compact.report.sequences[0]).toMatchObject({ sequence: 'users_id_seq', action: 'reset', nextValueAfter: 4n });
    expect(onReport).toHaveBeenCalledWith(compact.report);
    const [user] = await harness.db.insert(users).values({ name: 'Linus' }).returning();
    expect(user.id).toBe(4);
  });

  it('a failed seed is rethrown as it is, and nothing is realigned', async () => {
    await harness.db.insert(users).values([{ id: 1 }, { id: 2 }]);
    const failure = new Error('seed failed');

    await expect(realignAfterSeed(harness.db, async () => { throw failure; })).rejects.toBe(failure);
    expect(await nextValue(harness, '"public"."users_id_seq"')).toBe(1n);
    expect((await realignSequences(harness.db, { tables: [users] })).sequences[0].nextValueAfter).toBe(3n);
  });
});

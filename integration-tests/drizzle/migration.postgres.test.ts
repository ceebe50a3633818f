import { realignAfterMigration } from '@seqsync/drizzle';
import { expectDuplicateKey, PG_DRIVERS, pgMigrations, schema, type PgDriver, type PgHarness } from './support/pg-drivers';

const { invoices, tickets, userAccounts, users } = schema;
const migrationsFolder = pgMigrations;

/**
 * fixtures/pg-migrations is a real `drizzle-kit generate` folder: 0000 is the DDL drizzle-kit wrote for pg-schema.ts
 * (casing snake_case), 0001 a `drizzle-kit generate --custom` migration that ships reference rows with fixed ids.
 */
describe.each<PgDriver>(PG_DRIVERS)('drizzle\'s migrate() through $name', (driver) => {
  let harness: PgHarness;

  beforeAll(async () => {
    harness = await driver.open('drizzle_migration');
  });
  beforeEach(() => harness.clear());
  afterAll(() => harness.close());

  it('alone: the migration\'s fixed ids leave every sequence at its start, and the next plain insert fails with 23505', async () => {
    await harness.migrate(harness.db, { migrationsFolder });

    await expectDuplicateKey(harness.db.insert(users).values({ name: 'Linus' }), 'users_pkey');
    await expectDuplicateKey(harness.db.insert(tickets).values({ title: 'x' }), 'tickets_pkey');
  });

  it('realignAfterMigration: exactly the next id after the reference rows; drizzle\'s journal table left alone', async () => {
    const report = await realignAfterMigration(harness.db, (db) => harness.migrate(db, { migrationsFolder }));

    expect(report.sequences.map((s) => [`${s.schema}.${s.sequence}`, s.action, s.nextValueAfter])).toEqual([
      ['billing.invoices_id_seq', 'advanced', 102n],
      ['public.UserAccount_account_id_seq', 'advanced', 21n],
      ['public.audit_entries_id_seq', 'unchanged', 1n],
      ['public.events_id_seq', 'unchanged', 1n],
      ['public.ticket_numbers', 'advanced', 31n],
      ['public.users_id_seq', 'advanced', 4n],
    ]);
    expect((await harness.db.insert(users).values({ name: 'Linus' }).returning())[0].id).toBe(4);
    expect((await harness.db.insert(userAccounts).values({ email: 'x@example.com' }).returning())[0].accountId).toBe(21);
    expect((await harness.db.insert(invoices).values({ amountCents: 1 }).returning())[0].id).toBe(102);
    expect((await harness.db.insert(tickets).values({ title: 'x' }).returning())[0].id).toBe(31);
    expect(await harness.sql('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual([{ n: 2 }]);
  });

  it('run again with nothing pending: every sequence unchanged', async () => {
    await realignAfterMigration(harness.db, (db) => harness.migrate(db, { migrationsFolder }));
    const again = await realignAfterMigration(harness.db, (db) => harness.migrate(db, { migrationsFolder }));

    expect(again.sequences.map((s) => s.action)).toEqual(Array(6).fill('unchanged'));
  });

  it('a failing migrate() is rethrown as it is, before any realign', async () => {
    await expect(realignAfterMigration(harness.db, (db) => harness.migrate(db, { migrationsFolder: `${migrationsFolder}-missing` })))
      .rejects.toThrow(/Can't find meta\/_journal.json file/);
    expect(await harness.sql("SELECT to_regclass('public.users') AS users")).toEqual([{ users: null }]);
  });
});

import type { Knex } from 'knex';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import { connectKnex, connectionsInUse, expectDuplicateKey, fixtures, insertWithoutId } from './support/knex-test-support';

/**
 * The migration step, run by knex's real migrator on TypeScript migration files:
 *   20240101 create tables · 20240102 legacy rows with explicit ids · 20240103 realignSequencesMigration() ·
 *   20240104 realignAfterMigration(up) inserting more explicit ids.
 */
describe('knex migration step on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_migration');
    knex = connectKnex(db, { migrations: { directory: [fixtures.schema, fixtures.migrations], loadExtensions: ['.ts'] } });
  });
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('after a migration that inserts explicit ids, the next insert fails with 23505', async () => {
    await knex.migrate.up();
    await knex.migrate.up();
    expect(await knex.migrate.currentVersion()).toBe('20240102000000');

    // Each failed insert still consumed one value: the sequences now stand at 2, 2 and 2.
    await expectDuplicateKey(insertWithoutId(knex, 'users', { name: 'Linus' }), 'users_pkey');
    await expectDuplicateKey(insertWithoutId(knex, 'UserAccount', { email: 'linus@example.com' }), 'UserAccount_pkey');
    await expectDuplicateKey(knex('billing.invoices').insert({ amount: 1 }), 'invoices_pkey');
  });

  it('the realignSequencesMigration() migration gives the next insert exactly max(id) + 1 in every schema', async () => {
    await knex.migrate.up();
    expect(await knex.migrate.currentVersion()).toBe('20240103000000');

    expect(await insertWithoutId(knex, 'users', { name: 'Linus' })).toBe(4);
    expect(await insertWithoutId(knex, 'UserAccount', { email: 'linus@example.com' })).toBe(21);
    expect(await insertWithoutId(knex, 'billing.invoices', { amount: 1 })).toBe(103);
  });

  it('migrate.latest() runs the realignAfterMigration(up) migration: its explicit ids and the realignment land together', async () => {
    const [batch, log] = await knex.migrate.latest();
    expect({ batch, log }).toEqual({ batch: 4, log: ['20240104000000_import_more_users.ts'] });
    expect(await insertWithoutId(knex, 'users', { name: 'Margaret' })).toBe(52);
    expect(connectionsInUse(knex)).toBe(0);
  });

  it('rolling the realign migrations back is a no-op for sequences: nothing moves backwards', async () => {
    await knex.migrate.rollback(); // 20240104: its down deletes ids 50 and 51
    await knex.migrate.rollback(); // 20240103: realignSequencesMigration's down does nothing
    expect(await knex.migrate.currentVersion()).toBe('20240102000000');

    expect(await nextValue(db, '"public"."users_id_seq"')).toBe(53n);
    expect(await nextValue(db, '"public"."UserAccount_id_seq"')).toBe(22n);
    expect(await nextValue(db, '"billing"."invoices_id_seq"')).toBe(104n);
    expect(await insertWithoutId(knex, 'users', { name: 'Alan' })).toBe(53);
  });
});

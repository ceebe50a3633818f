import type { Knex } from 'knex';
import type { SequencesReport } from '@seqsync/knex';
import { realignAfterSeed } from '@seqsync/knex';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import { connectKnex, connectionsInUse, expectDuplicateKey, fixtures, insertWithoutId } from './support/knex-test-support';

/** The seed step, run by knex's real seeder: 01_users.ts, 02_accounts_and_invoices.ts, zz_realign_sequences.ts. */
describe('knex seed step on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_seed');
    knex = connectKnex(db, {
      migrations: { directory: fixtures.schema, loadExtensions: ['.ts'] },
      seeds: { directory: fixtures.seeds, loadExtensions: ['.ts'] },
    });
    await knex.migrate.latest();
  });
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('seeds with explicit ids and no realign step leave the next insert failing with 23505', async () => {
    const [log] = await knex.seed.run({ specific: '01_users.ts' });
    expect(log.map((file) => file.split('/').pop())).toEqual(['01_users.ts']);
    await expectDuplicateKey(insertWithoutId(knex, 'users', { name: 'Linus' }), 'users_pkey');
  });

  it('knex.seed.run() runs zz_realign_sequences.ts last, and the next insert gets exactly max(id) + 1 in every table', async () => {
    const [log] = await knex.seed.run();
    expect(log.map((file) => file.split('/').pop())).toEqual(['01_users.ts', '02_accounts_and_invoices.ts', 'zz_realign_sequences.ts']);

    expect(await insertWithoutId(knex, 'users', { name: 'Linus' })).toBe(61);
    expect(await insertWithoutId(knex, 'UserAccount', { email: 'linus@example.com' })).toBe(26);
    expect(await insertWithoutId(knex, 'billing.invoices', { amount: 1 })).toBe(151);
    expect(connectionsInUse(knex)).toBe(0);
  });

  it('realignAfterSeed({ mode: "reset" }) compacts after a smaller reseed, and hands the report to onReport', async () => {
    await knex('users').del();
    await knex('users').insert([{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }]);
    const reports: SequencesReport[] = [];

    await realignAfterSeed({ mode: 'reset', tables: ['users'], onReport: (report) => { reports.push(report); } })(knex);

    expect(reports.map((r) => r.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]))).toEqual([[['users_id_seq', 'reset', 3n]]]);
    expect(await insertWithoutId(knex, 'users', { name: 'Linus' })).toBe(3);
  });
});

import type { Knex } from 'knex';
import { checkSequences, realignSequences } from '@seqsync/knex';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import { connectKnex, insertIds, insertWithoutId, range, recreateTables } from './support/knex-test-support';

/**
 * A cutover through knex: the old database's URL as `from`, the new one as the knex instance — or the transaction a
 * migration runs in, which the realignment joins while the old database is only read.
 */
describe('realignSequences(knex, { from }) on PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase('knex_cutover_src'), createTestDatabase('knex_cutover_dst')]);
    knex = connectKnex(target);
  });
  beforeEach(async () => {
    await Promise.all([recreateTables(source), recreateTables(target)]);
    // The old database handed out users 1..10 and billing invoices 1..20, then deleted the top three of each.
    await source.sql(`INSERT INTO users SELECT FROM generate_series(1, 10); DELETE FROM users WHERE id > 7;
      INSERT INTO billing.invoices SELECT FROM generate_series(1, 20); DELETE FROM billing.invoices WHERE id > 17;`);
  });
  afterAll(async () => {
    await knex.destroy();
    await Promise.all([source.drop(), target.drop()]);
  });

  it('inside the transaction that copies the rows: the next ids are the old database\'s (11 and 21, not 8 and 18), '
    + 'and the old database is left exactly as it was', async () => {
    const before = await Promise.all([nextValue(source, 'users_id_seq'), nextValue(source, 'billing.invoices_id_seq')]);
    await knex.transaction(async (trx) => {
      await insertIds(trx, 'users', range(1, 7));
      await insertIds(trx, 'billing.invoices', range(1, 17));
      const report = await realignSequences(trx, { from: source.url, tables: ['users', 'billing.invoices'] });
      expect(report.sequences.map((s) => [`${s.schema}.${s.sequence}`, s.action, s.nextValueAfter, s.cutover?.decidedBy]).sort())
        .toEqual([['billing.invoices_id_seq', 'advanced', 21n, 'source'], ['public.users_id_seq', 'advanced', 11n, 'source']]);
      expect(report.cutover?.unmatchedTarget).toEqual([]);
    });
    expect(await insertWithoutId(knex, 'users', {})).toBe(11);
    expect(await insertWithoutId(knex, 'billing.invoices', {})).toBe(21);
    expect(await Promise.all([nextValue(source, 'users_id_seq'), nextValue(source, 'billing.invoices_id_seq')])).toEqual(before);
    expect(before).toEqual([11n, 21n]);
  });

  it('checkSequences with from and a margin: behind until realigned with the same margin, then clear', async () => {
    await insertIds(knex, 'users', range(1, 7));
    const options = { from: source.url, tables: ['users'], margin: 100 };
    expect((await checkSequences(knex, options)).sequences.map((s) => [s.behind, s.nextValueAfter])).toEqual([[true, 111n]]);
    await realignSequences(knex, options);
    expect((await checkSequences(knex, options)).sequences.map((s) => [s.behind, s.action])).toEqual([[false, 'unchanged']]);
    expect(await insertWithoutId(knex, 'users', {})).toBe(111);
  });
});

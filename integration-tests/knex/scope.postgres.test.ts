import type { Knex } from 'knex';
import { realignSequences } from '@seqsync/knex';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import { connectKnex, expectDuplicateKey, insertIds, insertWithoutId, range, recreateTables } from './support/knex-test-support';

/** Default scope: the schemas of the knex config's searchPath; explicit options replace it. */
describe('realignSequences scope from the knex searchPath on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;
  let appKnex: Knex;
  let userFirstKnex: Knex;
  let misspeltKnex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_scope');
    knex = connectKnex(db);
    appKnex = connectKnex(db, { searchPath: ['app'] });
    userFirstKnex = connectKnex(db, { searchPath: ['$user', 'app'] });
    misspeltKnex = connectKnex(db, { searchPath: 'ap' });
  });
  beforeEach(async () => {
    await recreateTables(db);
    await insertIds(knex, 'users', range(1, 3));
    await insertIds(knex, 'app.orders', range(1, 6));
  });
  afterAll(async () => {
    await Promise.all([knex, appKnex, userFirstKnex, misspeltKnex].map((instance) => instance.destroy()));
    await db.drop();
  });

  it('with searchPath ["app"], realigns the tables of schema app and leaves public alone', async () => {
    const report = await realignSequences(appKnex);

    expect(report.sequences.map((s) => `${s.schema}.${s.sequence}`)).toEqual(['app.orders_id_seq']);
    expect(await insertWithoutId(appKnex, 'orders', { note: 'unqualified, resolved through the searchPath' })).toBe(7);
    await expectDuplicateKey(insertWithoutId(knex, 'users', {}), 'users_pkey');
  });

  it('an explicit schemas option replaces the searchPath default', async () => {
    const report = await realignSequences(appKnex, { schemas: ['public'] });

    expect(report.sequences.every((s) => s.schema === 'public')).toBe(true);
    expect(await insertWithoutId(knex, 'users', {})).toBe(4);
    await expectDuplicateKey(insertWithoutId(knex, 'app.orders', {}), 'orders_pkey');
  });

  it('"$user" in the searchPath means the session user\'s schema, and is skipped while that schema does not exist', async () => {
    expect((await realignSequences(userFirstKnex)).sequences.map((s) => s.schema)).toEqual(['app']);

    const [{ user }] = await db.sql<{ user: string }>('SELECT current_user AS "user"');
    const userSchema = `"${user.replace(/"/g, '""')}"`;
    await db.sql(`CREATE SCHEMA ${userSchema}; CREATE TABLE ${userSchema}.notes (id serial PRIMARY KEY); `
      + `INSERT INTO ${userSchema}.notes VALUES (1), (2)`);
    try {
      const report = await realignSequences(userFirstKnex);
      expect(report.sequences.map((s) => [s.schema, s.sequence, s.nextValueAfter]).sort())
        .toEqual([[user, 'notes_id_seq', 3n], ['app', 'orders_id_seq', 7n]].sort());
    } finally {
      await db.sql(`DROP SCHEMA ${userSchema} CASCADE`);
    }
  });

  it('a searchPath naming a schema that does not exist fails with UNKNOWN_SCHEMA and changes nothing', async () => {
    await expect(realignSequences(misspeltKnex)).rejects.toMatchObject({ code: 'UNKNOWN_SCHEMA', message: 'unknown schema "ap"' });
    await expectDuplicateKey(insertWithoutId(knex, 'app.orders', {}), 'orders_pkey');
  });

  it('without a searchPath, every non-system schema is in scope', async () => {
    const report = await realignSequences(knex);
    expect(report.sequences.filter((s) => s.action === 'advanced').map((s) => `${s.schema}.${s.sequence}`).sort())
      .toEqual(['app.orders_id_seq', 'public.users_id_seq']);
  });
});

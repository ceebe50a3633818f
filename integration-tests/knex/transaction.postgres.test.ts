import type { Knex } from 'knex';
import { realignSequences } from '@seqsync/knex';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import {
  connectKnex,
  connectionsInUse,
  expectDuplicateKey,
  insertIds,
  insertWithoutId,
  range,
  recreateTables,
} from './support/knex-test-support';

/** realignSequences(trx): inside a transaction the caller owns, e.g. the one knex wraps a migration in. */
describe('realignSequences(trx) inside a knex transaction on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_trx');
    knex = connectKnex(db);
  });
  beforeEach(() => recreateTables(db));
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('runs on the trx connection without BEGIN/COMMIT, sees the trx\'s own rows, restores its lock_timeout, '
    + 'and holds on commit', async () => {
    let statements: readonly string[] = [];
    await knex.transaction(async (trx) => {
      await trx.raw("SET LOCAL lock_timeout = '1234ms'");
      await insertIds(trx, 'users', range(1, 3));

      statements = (await realignSequences(trx, { tables: ['users'] })).statements;

      expect((await trx.raw('SHOW lock_timeout')).rows).toEqual([{ lock_timeout: '1234ms' }]);
      // The rows are not committed yet: only a realignment inside this transaction can see them.
      expect(await insertWithoutId(trx, 'users', { name: 'inside' })).toBe(4);
    });

    expect(statements).not.toContain('BEGIN');
    expect(statements).not.toContain('COMMIT');
    expect(statements.some((sql) => sql.startsWith('LOCK TABLE'))).toBe(true);
    expect(statements.some((sql) => sql.startsWith('ALTER SEQUENCE "public"."users_id_seq" NO CYCLE'))).toBe(true);
    expect(await insertWithoutId(knex, 'users', { name: 'after commit' })).toBe(5);
    expect(connectionsInUse(knex)).toBe(0);
  });

  it('holds the table lock until the caller commits, so no other session can insert between realign and commit', async () => {
    await knex.transaction(async (trx) => {
      await insertIds(trx, 'users', range(1, 3));
      await realignSequences(trx, { tables: ['users'] });
      const [{ pid }] = (await trx.raw('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      const locks = await db.sql<{ mode: string }>(
        "SELECT mode FROM pg_locks WHERE pid = $1 AND relation = 'public.users'::regclass AND granted ORDER BY mode", [pid]);
      expect(locks.map((l) => l.mode)).toContain('ShareRowExclusiveLock');
    });
    const after = await db.sql("SELECT 1 FROM pg_locks WHERE relation = 'public.users'::regclass AND mode = 'ShareRowExclusiveLock'");
    expect(after).toEqual([]);
  });

  it('a rolled-back trx removes its own rows and undoes the realignment with them (the role owns the sequence): '
    + 'the sequence is back where it was before the trx', async () => {
    await insertIds(knex, 'users', range(1, 2));

    await expect(knex.transaction(async (trx) => {
      await insertIds(trx, 'users', [100, 101]);
      await realignSequences(trx, { tables: ['users'] });
      throw new Error('abort the import');
    })).rejects.toThrow('abort the import');

    expect((await knex('users').select('id').orderBy('id')).map((row: { id: number }) => row.id)).toEqual([1, 2]);
    // Back at 1, as the explicit ids 1 and 2 left it before the trx: that drift is there again, as it was.
    await expectDuplicateKey(insertWithoutId(knex, 'users', { name: 'after rollback' }), 'users_pkey');
    await realignSequences(knex, { tables: ['users'] });
    expect(await insertWithoutId(knex, 'users', { name: 'after realign' })).toBe(3);
  });

  it('without realigning inside the trx, the same import leaves the next insert failing with 23505 after commit', async () => {
    await knex.transaction(async (trx) => {
      await insertIds(trx, 'users', range(1, 3));
    });
    await expectDuplicateKey(insertWithoutId(knex, 'users', {}), 'users_pkey');
  });

  it('refuses a transaction that was already committed, with INVALID_OPTION, instead of running outside it', async () => {
    const trx = await knex.transaction();
    await trx.commit();
    await expect(realignSequences(trx)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('already committed or rolled back'),
    });
  });
});

import knexFactory from 'knex';
import type { Knex } from 'knex';
import { Pool } from 'pg';
import { checkSequences, realignSequences } from '@seqsync/knex';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import {
  connectKnex, connectionsInUse, expectDuplicateKey, insertIds, insertWithoutId, range, recreateTables,
} from './support/knex-test-support';

/** realignSequences / checkSequences on a plain knex instance (its own pool), on real PostgreSQL. */
describe('realignSequences(knex) on PostgreSQL', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('knex_api');
    knex = connectKnex(db);
  });
  beforeEach(() => recreateTables(db));
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('moves every behind sequence, in every schema and for case-sensitive and "?" names, to exactly max(id) + 1', async () => {
    await insertIds(knex, 'users', range(1, 3));
    await insertIds(knex, 'UserAccount', range(1, 5));
    await insertIds(knex, 'billing.invoices', range(1, 7));
    await insertIds(knex, 'app.orders', range(1, 2));
    // knex's query builder cannot address this table (its pg client turns every "?" into a placeholder): plain SQL.
    await db.sql('INSERT INTO "Why?Not" (id) SELECT generate_series(1, 4)');

    await expectDuplicateKey(insertWithoutId(knex, 'users', {}), 'users_pkey');
    await expectDuplicateKey(insertWithoutId(knex, 'UserAccount', {}), 'UserAccount_pkey');
    await expectDuplicateKey(insertWithoutId(knex, 'billing.invoices', {}), 'invoices_pkey');
    await expectDuplicateKey(db.sql('INSERT INTO "Why?Not" DEFAULT VALUES'), 'Why?Not_pkey');

    const report = await realignSequences(knex);

    expect(report.sequences.map((s) => [`${s.schema}.${s.sequence}`, s.action, s.nextValueAfter]).sort()).toEqual([
      ['app.orders_id_seq', 'advanced', 3n],
      ['billing.invoices_id_seq', 'advanced', 8n],
      ['public.UserAccount_id_seq', 'advanced', 6n],
      ['public.Why?Not_id_seq', 'advanced', 5n],
      ['public.users_id_seq', 'advanced', 4n],
    ]);
    expect(await insertWithoutId(knex, 'users', {})).toBe(4);
    expect(await insertWithoutId(knex, 'UserAccount', {})).toBe(6);
    expect(await insertWithoutId(knex, 'billing.invoices', {})).toBe(8);
    expect(await insertWithoutId(knex, 'app.orders', {})).toBe(3);
    expect(await db.sql('INSERT INTO "Why?Not" DEFAULT VALUES RETURNING id')).toEqual([{ id: 5 }]);
  });

  it('leases one pooled connection on which core owns BEGIN/COMMIT: 3 round trips, nothing left checked out', async () => {
    await insertIds(knex, 'users', range(1, 3));
    const report = await realignSequences(knex);
    expect(report.statements[0]).toBe('BEGIN');
    expect(report.statements[report.statements.length - 1]).toBe('COMMIT');
    expect({ roundTrips: report.roundTrips, batches: report.batches }).toEqual({ roundTrips: 3, batches: 1 });
    expect(connectionsInUse(knex)).toBe(0);
  });

  it('works the same when knex is given a native pg.Pool as its connectionPool', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const pooledKnex = knexFactory({ client: 'pg', connectionPool: pool } as Knex.Config);
    try {
      await insertIds(pooledKnex, 'users', range(1, 3));
      expect((await realignSequences(pooledKnex)).sequences.find((s) => s.sequence === 'users_id_seq')?.nextValueAfter).toBe(4n);
      expect(await insertWithoutId(pooledKnex, 'users', {})).toBe(4);
      expect(pool.idleCount).toBe(pool.totalCount);
    } finally {
      await pooledKnex.destroy();
      await pool.end();
    }
  });

  it('reads negative sequence positions right: core\'s "-?" regex reaches PostgreSQL untouched', async () => {
    await db.sql(`CREATE SEQUENCE ledger_id_seq MINVALUE -1000 START -100;
      CREATE TABLE ledger (id integer PRIMARY KEY DEFAULT nextval('ledger_id_seq'));
      ALTER SEQUENCE ledger_id_seq OWNED BY ledger.id`);
    await insertIds(knex, 'ledger', range(-100, -90));

    const [ledger] = (await checkSequences(knex, { tables: ['ledger'] })).sequences;
    expect({ before: ledger.nextValueBefore, dataMax: ledger.dataMax, behind: ledger.behind })
      .toEqual({ before: -100n, dataMax: -90n, behind: true });
    await realignSequences(knex, { tables: ['ledger'] });
    expect(await insertWithoutId(knex, 'ledger', {})).toBe(-89);
  });

  it('why not knex.raw: it rewrites the "?" of a regular expression into a placeholder and answers wrongly, silently', async () => {
    const sql = "SELECT substring('<last_value>-5</last_value>' FROM '<last_value>(-?[0-9]+)</last_value>') AS v";
    expect(knex.raw(sql).toSQL().toNative().sql).toContain('(-$1[0-9]+)');
    expect((await knex.raw(sql)).rows).toEqual([{ v: null }]);
    await expect(knex.raw('SELECT $1::int AS v', [5])).rejects.toThrow('Expected 1 bindings, saw 0');
  });

  it('checkSequences reports each behind sequence and writes nothing', async () => {
    await insertIds(knex, 'users', range(1, 3));
    await insertIds(knex, 'billing.invoices', range(1, 9));

    const report = await checkSequences(knex);

    expect(report.dryRun).toBe(true);
    expect(report.sequences.filter((s) => s.behind).map((s) => [s.schema, s.sequence, s.dataMax]).sort()).toEqual([
      ['billing', 'invoices_id_seq', 9n],
      ['public', 'users_id_seq', 3n],
    ]);
    expect(await nextValue(db, '"public"."users_id_seq"')).toBe(1n);
    expect(await nextValue(db, '"billing"."invoices_id_seq"')).toBe(1n);
  });

  it('tables: realigns only the named tables, names matched exactly (PascalCase, schema-qualified)', async () => {
    await insertIds(knex, 'users', range(1, 3));
    await insertIds(knex, 'UserAccount', range(1, 5));
    await insertIds(knex, 'billing.invoices', range(1, 7));

    const report = await realignSequences(knex, { tables: ['UserAccount', 'billing.invoices'] });

    expect(report.sequences.map((s) => s.sequence).sort()).toEqual(['UserAccount_id_seq', 'invoices_id_seq']);
    expect(await insertWithoutId(knex, 'UserAccount', {})).toBe(6);
    expect(await insertWithoutId(knex, 'billing.invoices', {})).toBe(8);
    await expectDuplicateKey(insertWithoutId(knex, 'users', {}), 'users_pkey');
    await expect(realignSequences(knex, { tables: ['useraccount'] })).rejects.toMatchObject({ code: 'UNKNOWN_TABLE' });
  });
});

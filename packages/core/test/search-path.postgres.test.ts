import { randomBytes } from 'node:crypto';
import { check, realign } from '../src';
import { callerTransaction, createTestDatabase, dropRole, nextValue, type TestDatabase } from '../../../test-support/test-database';

/**
 * A database in which the role `mallory` may create objects in `public`, and has: `plant` runs as that role, after a
 * log table is made that every planted function writes to. `planted()` lists what ran.
 */
async function withPlantedObjects(label: string, mallory: string, setup: string, plant: string) {
  const db = await createTestDatabase(label);
  await db.sql(`CREATE ROLE ${mallory};
    ${setup}
    GRANT USAGE, CREATE ON SCHEMA public TO ${mallory};
    SET ROLE ${mallory};
    CREATE TABLE public.mallory_log (what text);
    GRANT INSERT ON public.mallory_log TO PUBLIC;
    ${plant}
    RESET ROLE;`);
  const planted = async () => (await db.sql<{ what: string }>('SELECT what FROM public.mallory_log')).map((r) => r.what);
  return { db, planted };
}

/**
 * CVE-2018-1058 against seqsync: a role that may create objects in `public` plants an aggregate `max` for a domain
 * the key column uses and an operator `+(numeric, bigint)`, both better matches than pg_catalog's. Every statement
 * seqsync sends must reach pg_catalog's instead, so the planted code never runs as the superuser calling seqsync
 * and can neither make check misread the data nor make realign write a wrong value.
 */
describe('objects planted on the search path by another role', () => {
  let db: TestDatabase;
  let planted: () => Promise<string[]>;
  const mallory = `seqsync_mallory_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ({ db, planted } = await withPlantedObjects('search_path', mallory, `
      CREATE DOMAIN public.item_id AS integer;
      CREATE SEQUENCE public.items_seq;
      CREATE TABLE public.items (id public.item_id PRIMARY KEY DEFAULT pg_catalog.nextval('public.items_seq'));
      INSERT INTO public.items SELECT g FROM pg_catalog.generate_series(1, 50) g;
      CREATE TABLE public.other (id serial PRIMARY KEY);`, `
      CREATE FUNCTION public.evil_step(integer, public.item_id) RETURNS integer LANGUAGE sql
        AS $$ INSERT INTO public.mallory_log VALUES ('max'); SELECT 1 $$;
      CREATE AGGREGATE public.max(public.item_id) (SFUNC = public.evil_step, STYPE = integer);
      CREATE FUNCTION public.evil_plus(numeric, bigint) RETURNS numeric LANGUAGE sql
        AS $$ INSERT INTO public.mallory_log VALUES ('+'); SELECT 1::numeric $$;
      CREATE OPERATOR public.+ (LEFTARG = numeric, RIGHTARG = bigint, FUNCTION = public.evil_plus);
      CREATE FUNCTION public.unnest(text[]) RETURNS SETOF text LANGUAGE sql
        AS $$ INSERT INTO public.mallory_log VALUES ('unnest'); SELECT 'items'::text $$;
      CREATE FUNCTION public.cardinality(text[]) RETURNS integer LANGUAGE sql
        AS $$ INSERT INTO public.mallory_log VALUES ('cardinality'); SELECT 0 $$;`));
    // The traps are live: the same SQL without schema names runs the planted code and gets its answers.
    expect(await db.sql('SELECT max(id) AS m FROM public.items')).toEqual([{ m: 1 }]);
    expect(await db.sql('SELECT (2::numeric + 3::bigint)::int AS s')).toEqual([{ s: 1 }]);
    expect(await db.sql("SELECT x FROM unnest(ARRAY['other']::text[]) AS x")).toEqual([{ x: 'items' }]);
    expect(await db.sql("SELECT cardinality(ARRAY['a']::text[]) AS n")).toEqual([{ n: 0 }]);
    expect([...new Set(await planted())]).toEqual(['max', '+', 'unnest', 'cardinality']);
    await db.sql('DELETE FROM public.mallory_log');
  });
  beforeEach(() => db.sql("SELECT pg_catalog.setval('public.items_seq', 50)"));
  afterEach(async () => expect(await planted()).toEqual([]));
  afterAll(async () => {
    await db.drop();
    await dropRole(mallory);
  });

  it('check reads the real MAX of a domain-typed key: 50, and the sequence at 51 is clear', async () => {
    const report = await check(db.url, { tables: ['items'] });
    expect(report.sequences).toEqual([
      expect.objectContaining({ sequence: 'items_seq', dataMax: 50n, nextValueBefore: 51n, behind: false }),
    ]);
  });

  it('naming tables and exclusions, which the catalog query unnests, finds exactly the tables named', async () => {
    const report = await check(db.url, { tables: ['other'], exclude: ['items'] });
    expect(report.sequences).toEqual([expect.objectContaining({ sequence: 'other_id_seq', dataMax: null, nextValueBefore: 1n })]);
    const items = await check(db.url, { tables: ['public.items'], exclude: ['other'] });
    expect(items.sequences).toEqual([expect.objectContaining({ sequence: 'items_seq', dataMax: 50n, behind: false })]);
  });

  it('realign with reset leaves a sequence that is exactly past the data where it is, at 51', async () => {
    const report = await realign(db.url, { mode: 'reset', tables: ['items'] });
    expect(report.sequences[0]).toMatchObject({ action: 'unchanged', dataMax: 50n, nextValueAfter: 51n });
    expect(await nextValue(db, 'public.items_seq')).toBe(51n);
  });

  it('realign advances a sequence left at 11 to exactly 51, through the advance guard\'s arithmetic', async () => {
    await db.sql("SELECT pg_catalog.setval('public.items_seq', 10)");
    const report = await realign(db.url, { tables: ['items'] });
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueBefore: 11n, nextValueAfter: 51n });
    const [row] = await db.sql<{ id: number }>('INSERT INTO public.items DEFAULT VALUES RETURNING id');
    expect(row.id).toBe(51);
    await db.sql('DELETE FROM public.items WHERE id = 51');
  });

  it('inside a caller\'s transaction, one statement at a time, the same; the caller\'s search_path is put back', async () => {
    await db.sql("SELECT pg_catalog.setval('public.items_seq', 10)");
    await db.client.query("BEGIN; SET LOCAL search_path = public, pg_catalog");
    try {
      const report = await realign(callerTransaction(db.client), { tables: ['public.items'] });
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', dataMax: 50n, nextValueAfter: 51n });
      expect(await db.sql('SHOW search_path')).toEqual([{ search_path: 'public, pg_catalog' }]);
      await db.client.query('COMMIT');
    } catch (error) {
      await db.client.query('ROLLBACK');
      throw error;
    }
    expect(await nextValue(db, 'public.items_seq')).toBe(51n);
  });

  it('a cutover with this database as the source, then as the target: its identity and source reads reach pg_catalog too', async () => {
    const other = await createTestDatabase('search_path_other');
    try {
      await other.sql(`CREATE TABLE public.items (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY);
        INSERT INTO public.items VALUES (1); SELECT pg_catalog.setval('public.items_id_seq', 79)`);
      // As the source: the other database's identity column goes to this one's next value, 51.
      const fromHere = await realign(other.url, { from: db.url, tables: ['items'] });
      expect(fromHere.sequences[0]).toMatchObject({ nextValueAfter: 80n, cutover: { sourceNextValue: 51n, decidedBy: 'current' } });
      // As the target: this sequence goes to the other's next value, 80, through the advance guard's arithmetic.
      const here = await realign(db.url, { from: other.url, tables: ['items'] });
      expect(here.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 80n, cutover: { decidedBy: 'source' } });
      expect(await nextValue(db, 'public.items_seq')).toBe(80n);
    } finally {
      await other.drop();
    }
  });
});

/** The catalog query's partition and inheritance branches compare oid with regclass: a planted `=` must not run there. */
describe('a comparison operator planted on the search path by another role', () => {
  let db: TestDatabase;
  let planted: () => Promise<string[]>;
  const mallory = `seqsync_mallory_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ({ db, planted } = await withPlantedObjects('search_path_op', mallory, `
      CREATE TABLE public.parted (id serial, PRIMARY KEY (id)) PARTITION BY RANGE (id);
      CREATE TABLE public.parted_low PARTITION OF public.parted FOR VALUES FROM (1) TO (100);
      CREATE TABLE public.parted_high PARTITION OF public.parted FOR VALUES FROM (100) TO (1000);
      INSERT INTO public.parted VALUES (7), (150);`, `
      CREATE FUNCTION public.evil_eq(oid, regclass) RETURNS boolean LANGUAGE sql
        AS $$ INSERT INTO public.mallory_log VALUES ('='); SELECT false $$;
      CREATE OPERATOR public.= (LEFTARG = oid, RIGHTARG = regclass, FUNCTION = public.evil_eq);`));
    expect(await db.sql("SELECT 1259::oid = 'pg_class'::regclass AS same")).toEqual([{ same: false }]);
    await db.sql('DELETE FROM public.mallory_log');
  });
  afterAll(async () => {
    await db.drop();
    await dropRole(mallory);
  });

  it('a partitioned table is read once, over its partitions: MAX 150, realigned to exactly 151', async () => {
    const report = await realign(db.url);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 'parted_id_seq', uses: [expect.objectContaining({ table: 'parted' })], dataMax: 150n, nextValueAfter: 151n })]);
    expect(await planted()).toEqual([]);
    const [row] = await db.sql<{ id: number }>('INSERT INTO public.parted DEFAULT VALUES RETURNING id');
    expect(row.id).toBe(151);
  });
});

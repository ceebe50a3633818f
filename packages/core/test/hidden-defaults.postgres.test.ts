import { check, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

const insertedId = async (db: TestDatabase, table: string): Promise<number> =>
  (await db.sql<{ id: number }>(`INSERT INTO ${table} DEFAULT VALUES RETURNING id`))[0].id;

/**
 * Defaults that record no dependency on their sequence: what the catalog still shows is traced and realigned
 * exactly, and what it cannot show is a warning naming the column, never "no sequence feeds".
 */
describe('defaults the dependencies do not show, on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('hidden_defaults'); });
  afterEach(() => db.drop());

  it("nextval('k.s'::text) is resolved from its schema-qualified name: MAX 9 → next 10", async () => {
    await db.sql(`CREATE SCHEMA k; CREATE SEQUENCE k.s;
      CREATE TABLE k.t (id int PRIMARY KEY DEFAULT nextval('k.s'::text)); INSERT INTO k.t VALUES (1), (9);`);
    const checked = await check(db.url, { tables: ['k.t'] });
    expect(checked.sequences).toEqual([expect.objectContaining({
      schema: 'k', sequence: 's', uses: [{ schema: 'k', table: 't', column: 'id', kind: 'default' }], behind: true })]);
    expect(checked.tablesWithoutSequence).toEqual([]);
    expect(checked.warnings).toEqual([]);
    expect((await realign(db.url)).sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 10n });
    expect(await insertedId(db, 'k.t')).toBe(10);
  });

  it('a quoted, mixed-case name in the text is resolved exactly: "Odd Schema"."Seq" → next 6', async () => {
    // the same letters in lower case, a decoy that case folding would pick
    await db.sql(`CREATE SCHEMA "Odd Schema"; CREATE SEQUENCE "Odd Schema"."Seq";
      CREATE SCHEMA "odd schema"; CREATE SEQUENCE "odd schema".seq;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('"Odd Schema"."Seq"'::text)); INSERT INTO t VALUES (5);`);
    expect((await realign(db.url)).sequences).toEqual([expect.objectContaining({
      schema: 'Odd Schema', sequence: 'Seq', action: 'advanced', nextValueAfter: 6n })]);
    expect(await insertedId(db, 't')).toBe(6);
    expect(await nextValue(db, '"odd schema".seq')).toBe(1n);
  });

  it("an unqualified nextval('s'::text), which the inserting session's search path resolves, is a warning naming the column",
    async () => {
      await db.sql(`CREATE SEQUENCE s; CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s'::text)); INSERT INTO t VALUES (3);`);
      const report = await check(db.url, { tables: ['t'] });
      expect(report.sequences).toEqual([]);
      expect(report.tablesWithoutSequence).toEqual([]);
      expect(report.warnings).toEqual(["the default of public.t.id calls nextval on a name resolved only when a row is inserted "
        + "(nextval(('s'::text)::regclass)): seqsync cannot tell which sequence that is, so none was checked for this column; "
        + "name the sequence with its schema, nextval('schema.sequence'), so the catalog records it"]);
    });

  it('a default calling a SQL function with a BEGIN ATOMIC body is traced through the body: MAX 20 → next 21', async () => {
    await db.sql(`CREATE SEQUENCE s;
      CREATE FUNCTION next_order_id() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT nextval('s'); END;
      CREATE TABLE orders (id int PRIMARY KEY DEFAULT next_order_id()); INSERT INTO orders VALUES (20);`);
    const report = await realign(db.url, { tables: ['orders'] });
    expect(report.sequences).toEqual([expect.objectContaining({ sequence: 's', action: 'advanced', nextValueAfter: 21n })]);
    expect(report.warnings).toEqual([]);
    expect(await insertedId(db, 'orders')).toBe(21);
  });

  it('a default calling a function whose body is a string (SQL or PL/pgSQL) is a warning naming the column and the function',
    async () => {
      await db.sql(`CREATE SEQUENCE s;
        CREATE FUNCTION next_id() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN nextval('s'); END $$;
        CREATE TABLE orders (id bigint PRIMARY KEY DEFAULT next_id(), ref uuid DEFAULT gen_random_uuid());
        INSERT INTO orders (id) VALUES (20);`);
      const report = await check(db.url, { tables: ['orders'] });
      expect(report.sequences).toEqual([]);
      expect(report.tablesWithoutSequence).toEqual([]);
      expect(report.warnings).toEqual(['the default of public.orders.id calls next_id(), whose body records no sequence: '
        + 'seqsync cannot tell whether it hands out keys from one, so none was checked for this column']);
    });

  it('a partitioned table whose default calls such a function is one warning, not one per partition', async () => {
    await db.sql(`CREATE FUNCTION next_id() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE TABLE events (id int DEFAULT next_id(), at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`);
    expect((await check(db.url)).warnings).toEqual(['the default of public.events.id calls next_id(), whose body records no '
      + 'sequence: seqsync cannot tell whether it hands out keys from one, so none was checked for this column']);
    expect((await check(db.url, { tables: ['events_2026'] })).warnings).toHaveLength(1);
  });

  it("a view's column default using a sequence is a warning; the sequence is still realigned from the tables it feeds", async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE items (id int PRIMARY KEY); CREATE VIEW v AS SELECT id FROM items;
      ALTER VIEW v ALTER COLUMN id SET DEFAULT nextval('s'); INSERT INTO v VALUES (5);
      CREATE TABLE other (id int PRIMARY KEY DEFAULT nextval('s')); INSERT INTO other VALUES (2);`);
    const report = await realign(db.url);
    expect(report.warnings).toEqual(['sequence public.s feeds the default of view public.v.id: seqsync does not read or lock '
      + "a view's rows, so public.s was not checked against the rows inserted through it"]);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 's', uses: [{ schema: 'public', table: 'other', column: 'id', kind: 'default' }], nextValueAfter: 3n })]);
    expect(await nextValue(db, 's')).toBe(3n);
  });

  it("a foreign table's column default using a sequence is a warning naming it, with --table too", async () => {
    await db.sql(`CREATE FOREIGN DATA WRAPPER nowhere; CREATE SERVER remote FOREIGN DATA WRAPPER nowhere;
      CREATE SEQUENCE s; CREATE FOREIGN TABLE remote_items (id int DEFAULT nextval('s')) SERVER remote;`);
    const report = await check(db.url, { tables: ['remote_items'] });
    expect(report.sequences).toEqual([]);
    expect(report.tablesWithoutSequence).toEqual([]);
    expect(report.warnings).toEqual(['sequence public.s feeds the default of foreign table public.remote_items.id: seqsync '
      + "does not read or lock a foreign table's rows, so public.s was not checked against the rows inserted through it"]);
  });
});

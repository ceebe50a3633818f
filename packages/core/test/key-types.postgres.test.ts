import { check, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

const insertedId = async (db: TestDatabase, table: string): Promise<string> =>
  (await db.sql<{ id: string }>(`INSERT INTO ${table} DEFAULT VALUES RETURNING id::text`))[0].id;

/** Keys that are integers by value but not by type name: nested domains, numeric; and a sequence also feeding text. */
describe('key column types on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('key_types'); });
  afterEach(() => db.drop());

  it("a sequence feeding an integer key and a text column ('C' || nextval) is realigned from the key; the text column is a warning",
    async () => {
      await db.sql(`CREATE SEQUENCE s;
        CREATE TABLE orders (id int PRIMARY KEY DEFAULT nextval('s'));
        CREATE TABLE codes (code text PRIMARY KEY DEFAULT 'C' || nextval('s'));
        INSERT INTO orders VALUES (1), (41); INSERT INTO codes VALUES ('C99');`);
      const warning = 'sequence public.s also feeds public.codes.code (text), whose values cannot be compared with it: '
        + 'judged by its integer columns only';
      const checked = await check(db.url);
      expect(checked.sequences).toEqual([expect.objectContaining({ sequence: 's', dataMax: 41n, nextValueBefore: 1n, behind: true })]);
      expect(checked.warnings).toEqual([warning]);
      const realigned = await realign(db.url);
      expect(realigned.sequences).toEqual([expect.objectContaining({ sequence: 's', action: 'advanced', nextValueAfter: 42n })]);
      expect(realigned.warnings).toEqual([warning]);
      expect(await insertedId(db, 'orders')).toBe('42');
    });

  it('a sequence feeding only a text column is still skipped, never realigned', async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE codes (code text PRIMARY KEY DEFAULT 'C' || nextval('s'));
      INSERT INTO codes VALUES ('C99');`);
    const report = await realign(db.url);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 's', action: 'skipped', behind: false,
      reason: 'column public.codes.code is text, not an integer type; its values cannot be compared with the sequence' })]);
    expect(await nextValue(db, 's')).toBe(1n);
  });

  it('a key typed as a domain over a domain over integer is read as integer: MAX 30 → next 31', async () => {
    await db.sql(`CREATE DOMAIN positive AS int CHECK (VALUE > 0); CREATE DOMAIN order_id AS positive;
      CREATE SEQUENCE s; CREATE TABLE orders (id order_id PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO orders VALUES (1), (30);`);
    expect((await realign(db.url)).sequences).toEqual([expect.objectContaining({
      sequence: 's', dataMax: 30n, action: 'advanced', nextValueAfter: 31n })]);
    expect(await insertedId(db, 'orders')).toBe('31');
  });

  it('numeric(12,0) keys, directly and through nested domains, are compared as integers: MAX 500 → next 501', async () => {
    await db.sql(`CREATE DOMAIN money_id AS numeric(12,0); CREATE DOMAIN invoice_id AS money_id;
      CREATE SEQUENCE plain_seq; CREATE TABLE plain (id numeric(12,0) PRIMARY KEY DEFAULT nextval('plain_seq'));
      ALTER SEQUENCE plain_seq OWNED BY plain.id;
      CREATE SEQUENCE wrapped_seq; CREATE TABLE wrapped (id invoice_id PRIMARY KEY DEFAULT nextval('wrapped_seq'));
      INSERT INTO plain VALUES (7), (500); INSERT INTO wrapped VALUES (3), (500);`);
    const report = await realign(db.url);
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([
      ['plain_seq', 'advanced', 501n], ['wrapped_seq', 'advanced', 501n]]);
    expect(await insertedId(db, 'plain')).toBe('501');
    expect(await insertedId(db, 'wrapped')).toBe('501');
  });

  it('plain numeric keys with fractions: MAX 10.4 → next 11; MAX 20.6 → next 21 (the integer at or below MAX, then passed); '
    + 'a key beyond int8 is a warning, not a failure', async () => {
    await db.sql(`CREATE SEQUENCE a; CREATE TABLE low (id numeric PRIMARY KEY DEFAULT nextval('a'));
      CREATE SEQUENCE b; CREATE TABLE high (id numeric PRIMARY KEY DEFAULT nextval('b'));
      INSERT INTO low VALUES (3), (10.4); INSERT INTO high VALUES (20.6);`);
    const report = await realign(db.url);
    expect(report.sequences.map((s) => [s.sequence, s.dataMax, s.nextValueAfter])).toEqual([['a', 10n, 11n], ['b', 20n, 21n]]);
    expect(await insertedId(db, 'low')).toBe('11');
    expect(await insertedId(db, 'high')).toBe('21');
    await db.sql('INSERT INTO high VALUES (100000000000000000000)');
    const beyond = await realign(db.url, { tables: ['high'] });
    expect(beyond.sequences.map((s) => [s.sequence, s.behind, s.nextValueAfter])).toEqual([['b', false, 22n]]);
    expect(beyond.warnings.filter((w) => w.includes('100000000000000000000'))).toHaveLength(1);
  });

  it('a numeric(5,0) key at 99999 has no next value that fits: skipped as exhausted, left as it is', async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE small (id numeric(5,0) PRIMARY KEY DEFAULT nextval('s'));
      INSERT INTO small VALUES (99999);`);
    const report = await realign(db.url);
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 's', behind: true, action: 'skipped',
      reason: 'exhausted: data max is 99999, the next value 100000 lies outside the usable range 1..99999' })]);
    expect(await nextValue(db, 's')).toBe(1n);
  });
});

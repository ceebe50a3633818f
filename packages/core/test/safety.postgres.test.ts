import { Client } from 'pg';
import { check, realign, SeqsyncError } from '../src';
import { createTestDatabase, nextValue, withDatabase, type TestDatabase } from '../../../test-support/test-database';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<SeqsyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SeqsyncError);
    return error as SeqsyncError;
  }
  throw new Error('expected the call to fail');
}

describe('safety on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('safety');
    await db.sql(`CREATE TABLE orders (id serial PRIMARY KEY); INSERT INTO orders VALUES (1), (2), (3);
      CREATE TABLE items (id serial PRIMARY KEY); INSERT INTO items VALUES (8);`);
  });
  afterEach(() => db.drop());

  it('a writer holding its lock makes realign time out naming the table, with nothing changed and no lock left', async () => {
    const writer = await connect(db.url);
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items VALUES (9)');
    const error = await rejection(realign(db.url, { lockTimeoutMs: 200 }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toMatch(/lock timeout after 200 ms waiting for table "public"\."items" \(RowExclusiveLock held by pid \d+\)/);
    await writer.query('ROLLBACK');
    await writer.end();
    expect(await nextValue(db, 'orders_id_seq')).toBe(1n);
    expect(await nextValue(db, 'items_id_seq')).toBe(1n);
    // Only this database: other suites run seqsync against their own databases at the same time.
    const held = await db.sql(`SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE a.application_name = 'seqsync' AND a.datname = current_database()`);
    expect(held).toEqual([]);
  });

  it('a role without UPDATE on a sequence can check but realign fails up front naming the privilege', async () => {
    const role = `${db.name}_reader`;
    await db.sql(`CREATE ROLE "${role}" LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}";
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO "${role}"; GRANT UPDATE ON items_id_seq TO "${role}";
      GRANT UPDATE ON orders, items TO "${role}"`);
    try {
      const url = new URL(db.url);
      url.username = role;
      const report = await check(url.href);
      expect(report.sequences.filter((s) => s.behind)).toHaveLength(2);
      const error = await rejection(realign(url.href));
      expect(error.code).toBe('PERMISSION_DENIED');
      expect(error.message).toBe('permission denied: missing UPDATE on sequence "public"."orders_id_seq". Nothing was changed.');
      expect(await nextValue(db, 'items_id_seq')).toBe(1n);
    } finally {
      await db.sql(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`);
    }
  });

  it('dry run returns the exact SQL realign then sends, its read under the locks included, and changes nothing', async () => {
    const dry = await realign(db.url, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.statements).toContain(
      'SELECT pg_catalog.setval(v.sequence, (CASE WHEN v.increment OPERATOR(pg_catalog.>) 0::pg_catalog.int8\n' +
      '    THEN GREATEST(v.next_value, pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric'
      + ' OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric)\n' +
      '    ELSE LEAST(v.next_value, pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric'
      + ' OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric) END)::pg_catalog.int8, false)\n' +
      'FROM (VALUES\n' +
      `  ('"public"."items_id_seq"'::pg_catalog.regclass, 9::pg_catalog.int8, 1::pg_catalog.int8),\n` +
      `  ('"public"."orders_id_seq"'::pg_catalog.regclass, 4::pg_catalog.int8, 1::pg_catalog.int8)\n` +
      ') AS v(sequence, next_value, increment)');
    expect(await nextValue(db, 'orders_id_seq')).toBe(1n);
    const dryReset = await realign(db.url, { dryRun: true, mode: 'reset' });
    expect(dryReset.statements).toContain('SELECT pg_catalog.setval(v.sequence, v.next_value, false)\nFROM (VALUES\n' +
      `  ('"public"."items_id_seq"'::pg_catalog.regclass, 9::pg_catalog.int8),\n` +
      `  ('"public"."orders_id_seq"'::pg_catalog.regclass, 4::pg_catalog.int8)\n) AS v(sequence, next_value)`);
    const real = await realign(db.url);
    expect(real.statements).toEqual(dry.statements);
    expect(await nextValue(db, 'orders_id_seq')).toBe(4n);
  });

  it('scopes by table, exclude and schema', async () => {
    await db.sql(`CREATE SCHEMA other; CREATE TABLE other.things (id serial PRIMARY KEY); INSERT INTO other.things VALUES (4);`);
    expect((await check(db.url, { tables: ['items'] })).sequences.map((s) => s.sequence)).toEqual(['items_id_seq']);
    expect((await check(db.url, { exclude: ['items', 'public.orders'] })).sequences.map((s) => s.sequence)).toEqual(['things_id_seq']);
    expect((await check(db.url, { schemas: ['other'] })).sequences.map((s) => s.sequence)).toEqual(['things_id_seq']);
    await realign(db.url, { schemas: ['other'] });
    expect(await nextValue(db, 'other.things_id_seq')).toBe(5n);
    expect(await nextValue(db, 'items_id_seq')).toBe(1n);
  });

  it('an unknown table or schema fails naming it, before anything changes', async () => {
    const table = await rejection(realign(db.url, { tables: ['items', 'nope'] }));
    expect(table.code).toBe('UNKNOWN_TABLE');
    expect(table.message).toBe('unknown table "nope": no such table in the database');
    const schema = await rejection(realign(db.url, { schemas: ['ghost'] }));
    expect(schema).toMatchObject({ code: 'UNKNOWN_SCHEMA', message: 'unknown schema "ghost"' });
    // A misspelt exclusion must not realign the table it was meant to protect.
    const excluded = await rejection(realign(db.url, { tables: ['nope'], exclude: ['Items', 'public.items'] }));
    expect(excluded).toMatchObject({
      code: 'UNKNOWN_TABLE',
      message: 'unknown table "nope"; unknown excluded table "Items": no such table in the database',
    });
    expect(await nextValue(db, 'items_id_seq')).toBe(1n);
  });

  it('names tables that exist but have no sequence', async () => {
    await db.sql(`CREATE TABLE plain (code text PRIMARY KEY)`);
    const report = await check(db.url, { tables: ['plain', 'items'] });
    expect(report.tablesWithoutSequence).toEqual(['public.plain']);
  });

  it('bad URLs, unreachable servers and missing databases fail with clear codes', async () => {
    expect(await rejection(realign('postgres://user:secret@[bad'))).toMatchObject({
      code: 'INVALID_URL', message: expect.not.stringContaining('secret') });
    expect((await rejection(realign('mssql://sa@127.0.0.1/x'))).code).toBe('UNSUPPORTED_DATABASE');
    expect((await rejection(realign('ftp://x'))).message).toMatch(/unsupported database "ftp:"/);
    expect((await rejection(realign('postgres://postgres@127.0.0.1:1/postgres'))).code).toBe('CONNECTION_FAILED');
    const missing = await rejection(realign(withDatabase(db.url, `${db.name}_missing`)));
    expect(missing.code).toBe('CONNECTION_FAILED');
    expect(missing.message).toMatch(/does not exist/);
  });

  it('rejects bad options before connecting', async () => {
    expect((await rejection(realign(db.url, { lockTimeoutMs: -1 }))).code).toBe('INVALID_OPTION');
    expect((await rejection(realign(db.url, { mode: 'backwards' as never }))).code).toBe('INVALID_OPTION');
  });
});

import { Client } from 'pg';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { expectOneLineFailure, seqsyncAsync } from './cli-run';

/**
 * issue 13 §3 and §6 through the CLI: keys the catalog ties to a sequence only indirectly are realigned with the
 * right exit code, what cannot be traced is a warning line, and objects out of reach are one error line, exit 2.
 */
describe('seqsync CLI on sequences the catalog ties only indirectly (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('cli_untraced'); });
  afterEach(() => db.drop());

  it("a sequence feeding an integer key and 'C' || nextval: check exits 1 with the warning, realign exits 0, next id 42", async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE orders (id int PRIMARY KEY DEFAULT nextval('s'));
      CREATE TABLE codes (code text PRIMARY KEY DEFAULT 'C' || nextval('s')); INSERT INTO orders VALUES (41);`);
    const warning = 'warning: sequence public.s also feeds public.codes.code (text), whose values cannot be compared with it: '
      + 'judged by its integer columns only';
    const checked = await seqsyncAsync(['check', '--url', db.url]);
    expect(checked.code).toBe(1);
    expect(checked.stdout.split('\n')).toContain(warning);
    const realigned = await seqsyncAsync(['realign', '--url', db.url]);
    expect(realigned.code).toBe(0);
    expect(realigned.stdout.split('\n')).toContain(warning);
    expect(await nextValue(db, 's')).toBe(42n);
  });

  it('--table naming a partition realigns the parent sequence from every partition: exit 1, then 0, next id 78', async () => {
    await db.sql(`CREATE TABLE payment (payment_id serial, paid date NOT NULL, PRIMARY KEY (payment_id, paid)) PARTITION BY RANGE (paid);
      CREATE TABLE payment_p2007_01 PARTITION OF payment FOR VALUES FROM ('2007-01-01') TO ('2007-02-01');
      CREATE TABLE payment_p2007_02 PARTITION OF payment FOR VALUES FROM ('2007-02-01') TO ('2007-03-01');
      INSERT INTO payment VALUES (3, '2007-01-05'), (77, '2007-02-05');`);
    const checked = await seqsyncAsync(['check', '--url', db.url, '--table', 'payment_p2007_01']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).not.toContain('no sequence feeds');
    expect((await seqsyncAsync(['realign', '--url', db.url, '--table', 'payment_p2007_01'])).code).toBe(0);
    const [row] = await db.sql<{ payment_id: number }>("INSERT INTO payment_p2007_01 (paid) VALUES ('2007-01-09') RETURNING payment_id");
    expect(row.payment_id).toBe(78);
  });

  it("--table t whose default is nextval('s'::text): the warning names the column, never \"no sequence feeds\"", async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('s'::text)); INSERT INTO t VALUES (3);`);
    const checked = await seqsyncAsync(['check', '--url', db.url, '--table', 't']);
    expect(checked.stdout).not.toContain('no sequence feeds');
    expect(checked.stdout.split('\n')).toContain('warning: the default of public.t.id calls nextval on a name resolved only when '
      + "a row is inserted (nextval(('s'::text)::regclass)): seqsync cannot tell which sequence that is, so none was checked "
      + "for this column; name the sequence with its schema, nextval('schema.sequence'), so the catalog records it");
    expect(checked.code).toBe(0);
  });

  it("a default using another session's temporary sequence: exit 2, one line naming it, nothing changed", async () => {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query(`CREATE TEMP SEQUENCE ts; CREATE TABLE public.t (id int PRIMARY KEY DEFAULT nextval('ts'));
        INSERT INTO t VALUES (5); CREATE TABLE public.fine (id serial PRIMARY KEY); INSERT INTO fine VALUES (9);`);
      const line = new RegExp(`^seqsync: sequence "pg_temp_\\d+"\\."ts", used by "public"\\."t"\\."id", `
        + 'is another session\'s temporary sequence, which no other session can read or set\\. Nothing was changed\\.$');
      expectOneLineFailure(await seqsyncAsync(['realign', '--url', db.url]), line);
      expectOneLineFailure(await seqsyncAsync(['check', '--url', db.url]), line);
      expect(await nextValue(db, 'fine_id_seq')).toBe(1n);
    } finally {
      await other.end();
    }
  });

  it('a sequence in a schema the role has no USAGE on: exit 2, one line naming schema and sequence, nothing changed', async () => {
    const role = `${db.name}_app`;
    await db.sql(`CREATE SCHEMA hidden; CREATE SEQUENCE hidden.s;
      CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('hidden.s')); INSERT INTO t VALUES (5);
      CREATE ROLE "${role}" LOGIN; GRANT SELECT, UPDATE ON t TO "${role}"; GRANT SELECT, UPDATE ON SEQUENCE hidden.s TO "${role}";`);
    try {
      const url = new URL(db.url);
      url.username = role;
      const line = 'seqsync: permission denied: missing USAGE on schema "hidden" (for sequence "hidden"."s"). Nothing was changed.';
      expectOneLineFailure(await seqsyncAsync(['realign', '--url', url.href]), line);
      expectOneLineFailure(await seqsyncAsync(['check', '--url', url.href, '--table', 't']), line);
      expect(await nextValue(db, 'hidden.s')).toBe(1n);
    } finally {
      await db.sql(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`);
    }
  });
});

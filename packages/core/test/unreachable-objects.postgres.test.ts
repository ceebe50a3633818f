import { Client } from 'pg';
import { check, realign, type SeqsyncError } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

const rejection = (promise: Promise<unknown>): Promise<SeqsyncError> =>
  promise.then(() => { throw new Error('expected the run to fail'); }, (error: SeqsyncError) => error);

/** Objects the run cannot reach fail it up front with one error naming them, before anything is read or changed. */
describe('sequences and tables seqsync cannot reach, on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('unreachable'); });
  afterEach(() => db.drop());

  it("a default using another session's temporary sequence fails check and realign naming it; nothing changes", async () => {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query(`CREATE TEMP SEQUENCE ts; CREATE TABLE public.t (id int PRIMARY KEY DEFAULT nextval('ts'));
        INSERT INTO t VALUES (5); CREATE TABLE public.fine (id serial PRIMARY KEY); INSERT INTO fine VALUES (9);`);
      const message = new RegExp(`^sequence "pg_temp_\\d+"\\."ts", used by "public"\\."t"\\."id", `
        + 'is another session\'s temporary sequence, which no other session can read or set\\. Nothing was changed\\.$');
      for (const run of [check(db.url), realign(db.url)]) {
        const error = await rejection(run);
        expect(error.code).toBe('PERMISSION_DENIED');
        expect(error.message).toMatch(message);
      }
      expect(await nextValue(db, 'fine_id_seq')).toBe(1n);
      expect((await other.query<{ id: string }>('SELECT nextval(\'ts\')::text AS id')).rows[0].id).toBe('1');
    } finally {
      await other.end();
    }
  });

  describe('a schema the role has no USAGE on', () => {
    let role: string;
    let url: string;
    beforeEach(async () => {
      role = `${db.name}_app`;
      const parsed = new URL(db.url);
      parsed.username = role;
      url = parsed.href;
    });
    afterEach(() => db.sql(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`));

    it('holding the sequence: check and realign fail up front naming the schema and the sequence; nothing changes', async () => {
      await db.sql(`CREATE SCHEMA hidden; CREATE SEQUENCE hidden.s;
        CREATE TABLE t (id int PRIMARY KEY DEFAULT nextval('hidden.s')); INSERT INTO t VALUES (5);
        CREATE ROLE "${role}" LOGIN; GRANT SELECT, UPDATE ON t TO "${role}"; GRANT SELECT, UPDATE ON SEQUENCE hidden.s TO "${role}";`);
      for (const run of [check(url), realign(url)]) {
        const error = await rejection(run);
        expect(error.code).toBe('PERMISSION_DENIED');
        expect(error.message).toBe('permission denied: missing USAGE on schema "hidden" (for sequence "hidden"."s"). Nothing was changed.');
      }
      expect(await nextValue(db, 'hidden.s')).toBe(1n);
    });

    it('holding the table: realign fails up front naming the schema and the table; nothing changes', async () => {
      await db.sql(`CREATE SCHEMA hidden; CREATE SEQUENCE s;
        CREATE TABLE hidden.t (id int PRIMARY KEY DEFAULT nextval('public.s')); INSERT INTO hidden.t VALUES (5);
        CREATE ROLE "${role}" LOGIN; GRANT SELECT, UPDATE ON hidden.t TO "${role}"; GRANT SELECT, UPDATE ON SEQUENCE s TO "${role}";`);
      const error = await rejection(realign(url));
      expect(error.code).toBe('PERMISSION_DENIED');
      expect(error.message).toBe('permission denied: missing USAGE on schema "hidden" (for table "hidden"."t"). Nothing was changed.');
      expect(await nextValue(db, 's')).toBe(1n);
    });
  });
});

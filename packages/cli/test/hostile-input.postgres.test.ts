import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { expectOneLineFailure, seqsync, seqsyncAsync, type Run } from './cli-run';

/**
 * The CLI given hostile or mistaken input: every failure exits 2 with exactly one line on stderr, nothing on
 * stdout, and no sequence moved. cli.postgres.test.ts covers one case of each kind; these widen them.
 */
describe('seqsync CLI with hostile input (PostgreSQL)', () => {
  let db: TestDatabase;
  /** Every sequence's stored state, to show a failed run moved none of them. */
  const snapshot = async (): Promise<string[]> =>
    (await db.sql<{ s: string }>('SELECT c.relname || \' \' || '
      + `query_to_xml(format('SELECT last_value, is_called FROM %s', c.oid::regclass), false, true, '')::text AS s
      FROM pg_class c WHERE c.relkind = 'S' ORDER BY 1`)).map((r) => r.s.replace(/\s+/g, ''));

  beforeAll(async () => {
    db = await createTestDatabase('cli_hostile');
    await db.sql(`CREATE TABLE "User" (id serial PRIMARY KEY); INSERT INTO "User" VALUES (1), (2), (3);
      CREATE TABLE canary (id int); INSERT INTO canary VALUES (1);
      CREATE TABLE "we""ird; DROP TABLE canary; --" (id serial PRIMARY KEY); INSERT INTO "we""ird; DROP TABLE canary; --" VALUES (41);`);
  });
  beforeEach(() => db.sql(`SELECT setval('"User_id_seq"', 1, false), setval('"we""ird; DROP TABLE canary; --_id_seq"', 1, false)`));
  afterAll(() => db.drop());

  const expectCleanFailure = async (result: Run, expected: string | RegExp, before: string[]): Promise<void> => {
    expectOneLineFailure(result, expected);
    expect(await snapshot()).toEqual(before);
  };

  it.each([
    ['not a url', 'seqsync: malformed database URL "not a url": expected e.g. postgres://user@host:5432/database'],
    [
      'postgres://u:pw@127.0.0.1:99999/x',
      'seqsync: malformed database URL "postgres://u:***@127.0.0.1:99999/x": expected e.g. postgres://user@host:5432/database',
    ],
    [
      'postgres://u:p w@[::1/x',
      'seqsync: malformed database URL "postgres://u:***@[::1/x": expected e.g. postgres://user@host:5432/database',
    ],
    ['http://127.0.0.1/x', /^seqsync: unsupported database "http:": expected a postgres:\/\/.* URL$/],
    ['postgresql://postgres@127.0.0.1:1/x', /^seqsync: cannot connect to PostgreSQL: .*ECONNREFUSED/],
    [
      'postgres://postgres@127.0.0.1:5432/no_such_db_\nsecond line',
      /^seqsync: cannot connect to PostgreSQL: database "no_such_db_second line" does not exist$/,
    ],
  ])('--url %j exits 2 with one line', async (url, expected) => {
    const before = await snapshot();
    await expectCleanFailure(seqsync(['realign', '--url', url]), expected, before);
  });

  it('a malformed URL whose password holds "/" or "@" is never echoed with the password', async () => {
    const result = seqsync(['check', '--url', 'postgres://admin:s3/cr@t@[::1/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('s3/cr');
    expect(result.stderr).not.toContain('cr@t');
  });

  it.each([
    [['realign', '--url', ''], 'seqsync: option --url needs a non-empty value'],
    [['realign', '--tables', 'User'], 'seqsync: unknown option --tables for "seqsync realign" (see seqsync realign --help)'],
    [['realign', '-t', 'User'], 'seqsync: unknown option -t for "seqsync realign" (see seqsync realign --help)'],
    [['realign', '--TABLE', 'User'], 'seqsync: unknown option --TABLE for "seqsync realign" (see seqsync realign --help)'],
    [['check', '--dry-run'], 'seqsync: unknown option --dry-run for "seqsync check" (see seqsync check --help)'],
    [['realign', '--dry-run=no'], 'seqsync: option --dry-run takes no value'],
    [['realign', '--lock-timeout', '0'], 'seqsync: option --lock-timeout needs a whole number of milliseconds ≥ 1, got "0"'],
    [['realign', '--lock-timeout', '-5'], 'seqsync: option --lock-timeout needs a whole number of milliseconds ≥ 1, got "-5"'],
    [['realign', '--lock-timeout', '1e3'], 'seqsync: option --lock-timeout needs a whole number of milliseconds ≥ 1, got "1e3"'],
    [
      ['realign', '--lock-timeout', '99999999999'],
      'seqsync: option --lock-timeout needs a whole number of milliseconds ≥ 1, got "99999999999"',
    ],
    [['realign', 'User'], 'seqsync: unexpected argument "User" for "seqsync realign" (see seqsync realign --help)'],
    [['realign', '--table'], 'seqsync: option --table needs a value'],
  ])('%j exits 2 with one line and changes nothing', async (args, expected) => {
    const before = await snapshot();
    await expectCleanFailure(seqsync(args, { DATABASE_URL: db.url }), expected, before);
  });

  it.each([
    [['--table', 'nope'], 'seqsync: unknown table "nope": no such table in the database'],
    [['--table', 'user'], 'seqsync: unknown table "user": no such table in the database'],
    [['--table', 'public.nope'], 'seqsync: unknown table "public.nope": no such table in the database'],
    [['--table', 'ghost.User'], 'seqsync: unknown table "ghost.User": no such table in the database'],
    [['--table', 'User', '--table', 'nope'], 'seqsync: unknown table "nope": no such table in the database'],
    [['--table', 'we"ird'], 'seqsync: unknown table "we\\"ird": no such table in the database'],
    [['--table', 'a\nb'], 'seqsync: unknown table "a\\nb": no such table in the database'],
    [['--table', '"User"x'], 'seqsync: invalid table name "\\"User\\"x": expected "." after a quoted name'],
    [['--table', '"unterminated'], 'seqsync: invalid table name "\\"unterminated": unterminated quote'],
    [['--table', 'a.b.c'], 'seqsync: invalid table name "a.b.c": use table or schema.table'],
    [['--table', '.User'], 'seqsync: invalid table name ".User": empty name part'],
    [['--schema', 'ghost'], 'seqsync: unknown schema "ghost"'],
  ])('realign %j exits 2 naming the table or schema, and changes nothing', async (args, expected) => {
    const before = await snapshot();
    await expectCleanFailure(seqsync(['realign', ...args], { DATABASE_URL: db.url }), expected, before);
  });

  it('a hostile table name passed as an argument is realigned exactly and nothing else runs', async () => {
    const result = seqsync(['realign', '--json', '--url', db.url, '--table', '"we""ird; DROP TABLE canary; --"']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sequences.map((s: { sequence: string; nextValueAfter: string }) => [s.sequence, s.nextValueAfter]))
      .toEqual([['we"ird; DROP TABLE canary; --_id_seq', '42']]);
    expect(await db.sql('SELECT id FROM canary')).toEqual([{ id: 1 }]);
    expect((await db.sql<{ id: number }>(`INSERT INTO "we""ird; DROP TABLE canary; --" DEFAULT VALUES RETURNING id`))[0].id).toBe(42);
  });

  it('a writer holding its lock: realign --lock-timeout exits 2 within the timeout, naming the table, with nothing changed', async () => {
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN; INSERT INTO "User" VALUES (4)');
      const before = await snapshot();
      const started = Date.now();
      const result = await seqsyncAsync(['realign', '--url', db.url, '--lock-timeout', '300']);
      expect(Date.now() - started).toBeLessThan(10_000);
      await expectCleanFailure(result, new RegExp('^seqsync: lock timeout after 300 ms waiting for table "public"\\."User" '
        + '\\(RowExclusiveLock held by pid \\d+\\); nothing in this batch was changed$'), before);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('a migration holding ACCESS EXCLUSIVE: check --lock-timeout exits 2 naming the table, instead of waiting for it', async () => {
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN; LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE');
      const before = await snapshot();
      const result = await seqsyncAsync(['check', '--url', db.url, '--lock-timeout', '300']);
      await expectCleanFailure(result, new RegExp('^seqsync: lock timeout after 300 ms waiting for table "public"\\."User" '
        + '\\(AccessExclusiveLock held by pid \\d+\\); nothing in this batch was changed$'), before);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('a misspelt --exclude exits 2 instead of realigning the table the user meant to protect', async () => {
    const before = await snapshot();
    await expectCleanFailure(seqsync(['realign', '--url', db.url, '--exclude', 'Usr']),
      'seqsync: unknown excluded table "Usr": no such table in the database', before);
  });
});

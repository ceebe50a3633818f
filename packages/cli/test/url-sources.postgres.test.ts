import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { expectOneLineFailure, seqsync } from './cli-run';

const BEHIND = '1 of 1 sequences are behind their data; the next insert into these tables can fail with a duplicate key:';

/**
 * The built binary finds its database the way prisma and psql users expect when no --url is given: DATABASE_URL,
 * then ./.env (said on stderr), then postgresql:// with libpq's PG* variables (said on stderr).
 */
describe('seqsync without --url (PostgreSQL)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli_url_sources');
    await db.sql('CREATE TABLE t (id serial PRIMARY KEY); INSERT INTO t VALUES (9);');
  });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'seqsync-cwd-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(() => db.drop());

  const dotenv = (text: string) => writeFileSync(join(dir, '.env'), text);

  it('reads DATABASE_URL from ./.env and says so in one line on stderr', () => {
    dotenv(`# written by the project's setup\nexport DATABASE_URL="${db.url}" # local\n`);
    const result = seqsync(['check'], {}, dir);
    expect(result.stderr).toBe('seqsync: DATABASE_URL from ./.env\n');
    expect(result.stdout.split('\n')[0]).toBe(BEHIND);
    expect(result.code).toBe(1);
  });

  it('with --json the note stays on stderr and stdout is the JSON alone; --quiet drops the note', () => {
    dotenv(`DATABASE_URL=${db.url}\n`);
    const json = seqsync(['check', '--json'], {}, dir);
    expect(json.stderr).toBe('seqsync: DATABASE_URL from ./.env\n');
    expect(JSON.parse(json.stdout).sequences.map((s: { sequence: string }) => s.sequence)).toEqual(['t_id_seq']);
    expect(seqsync(['check', '--quiet'], {}, dir)).toEqual({ code: 1, stdout: '', stderr: '' });
  });

  it('never reads ./.env when the URL was given: a broken one neither fails the run nor is named', () => {
    dotenv('DATABASE_URL="never closed\n');
    const typed = seqsync(['check', '--url', db.url], {}, dir);
    const exported = seqsync(['check'], { DATABASE_URL: db.url }, dir);
    for (const result of [typed, exported]) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
    }
  });

  it('a broken ./.env, when it is read, is one line naming the file and line, exit 2', () => {
    dotenv('A=1\nDATABASE_URL="never closed\n');
    expectOneLineFailure(seqsync(['check'], {}, dir), 'seqsync: ./.env line 2: the value of DATABASE_URL opens " and never closes it');
  });

  it('with neither URL nor DATABASE_URL, the PG* variables connect through postgresql://, said on stderr', () => {
    const url = new URL(db.url);
    const libpq: Record<string, string> = {
      PGHOST: url.hostname, PGPORT: url.port || '5432', PGUSER: decodeURIComponent(url.username), PGDATABASE: db.name,
    };
    if (url.password !== '') libpq.PGPASSWORD = decodeURIComponent(url.password);
    const result = seqsync(['check'], libpq, dir);
    expect(result.stderr).toBe('seqsync: connecting to postgresql:// with PGHOST, PGPORT, PGUSER, PGDATABASE from the environment\n');
    expect(result.stdout.split('\n')[0]).toBe(BEHIND);
    expect(result.code).toBe(1);
  });

  it('with none of them, the usage error names every way to give a database', () => {
    expectOneLineFailure(seqsync(['check'], { PGPASSWORD: 'unused' }, dir), 'seqsync: no database URL: pass --url or set DATABASE_URL '
      + '(in the environment or ./.env), or for PostgreSQL set PGHOST, PGPORT, PGUSER or PGDATABASE');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../src/args';
import { findDatabaseUrl } from '../src/database-url';

const NO_URL = 'no database URL: pass --url or set DATABASE_URL (in the environment or ./.env), '
  + 'or for PostgreSQL set PGHOST, PGPORT, PGUSER or PGDATABASE';

/** Where the URL comes from when none is typed: the environment, then ./.env, then libpq's variables. */
describe('findDatabaseUrl', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'seqsync-url-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const dotenv = (text: string) => writeFileSync(join(dir, '.env'), text);

  it('--url wins, and ./.env is not even read (a broken one is no error)', () => {
    dotenv('DATABASE_URL="never closed\n');
    expect(findDatabaseUrl('postgres://typed@h/db', { DATABASE_URL: 'postgres://env@h/db', PGHOST: 'h' }, dir))
      .toEqual({ url: 'postgres://typed@h/db' });
  });

  it('DATABASE_URL in the environment comes next, again without reading ./.env', () => {
    dotenv('DATABASE_URL="never closed\n');
    expect(findDatabaseUrl(undefined, { DATABASE_URL: 'postgres://env@h/db', PGHOST: 'h' }, dir)).toEqual({ url: 'postgres://env@h/db' });
  });

  it('then DATABASE_URL from ./.env, with the note saying so; it beats the PG* variables', () => {
    dotenv('# local\nexport DATABASE_URL="postgres://file@h/db"\n');
    expect(findDatabaseUrl(undefined, { DATABASE_URL: '', PGHOST: 'h' }, dir))
      .toEqual({ url: 'postgres://file@h/db', note: 'DATABASE_URL from ./.env' });
  });

  it('then postgresql:// when a libpq variable names the server, user or database, with a note naming them', () => {
    dotenv('OTHER=1\nDATABASE_URL=\n');
    expect(findDatabaseUrl(undefined, { PGDATABASE: 'app', PGHOST: '/var/run/postgresql', PGPASSWORD: 'secret', PGPORT: '' }, dir))
      .toEqual({ url: 'postgresql://', note: 'connecting to postgresql:// with PGHOST, PGDATABASE from the environment' });
  });

  it('PGSERVICE is refused rather than ignored: pg reads no pg_service.conf, so the defaults would be another server', () => {
    expect(() => findDatabaseUrl(undefined, { PGSERVICE: 'reporting', PGHOST: 'h' }, dir))
      .toThrow(new UsageError('PGSERVICE=reporting is set, but seqsync cannot read pg_service.conf: pass --url or set DATABASE_URL'));
    expect(findDatabaseUrl('postgres://u@h/db', { PGSERVICE: 'reporting' }, dir)).toEqual({ url: 'postgres://u@h/db' });
  });

  it('nothing at all (PGPASSWORD alone names no server): the usage error names every source', () => {
    expect(() => findDatabaseUrl(undefined, { PGPASSWORD: 'secret', DATABASE_URL: '' }, dir))
      .toThrow(new UsageError(NO_URL));
  });

  it('a ./.env holding ${...} in DATABASE_URL is refused rather than used literally', () => {
    dotenv('DB_HOST=db\nDATABASE_URL=postgres://app@${DB_HOST}/app\n');
    expect(() => findDatabaseUrl(undefined, {}, dir)).toThrow(new UsageError('./.env line 2: DATABASE_URL holds ${...}, '
      + 'which seqsync does not expand: write the URL out, or set DATABASE_URL in the environment'));
  });

  it('a ./.env that exists but cannot be read is an error, not a silent fallback', () => {
    mkdirSync(join(dir, '.env'));
    expect(() => findDatabaseUrl(undefined, {}, dir))
      .toThrow(new UsageError('cannot read ./.env: EISDIR: illegal operation on a directory, read'));
  });

  it('a ./.env with an unclosed quote is an error naming its line', () => {
    dotenv('A=1\nDATABASE_URL="postgres://u@h/db\n');
    expect(() => findDatabaseUrl(undefined, {}, dir))
      .toThrow(new UsageError('./.env line 2: the value of DATABASE_URL opens " and never closes it'));
  });

});

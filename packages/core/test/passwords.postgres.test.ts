import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startSslServer, type SslServer } from '../../../test-support/ssl-server';
import { CHECK_EACH_URL, installCoreFromSource, runNode, type InstalledCore } from './support/installed-core';

/** A password with the characters URLs and the password file escape. */
const PASSWORD = 'p@ss:w/rd%';
const ESCAPED_FOR_FILE = 'p@ss\\:w/rd%';

/**
 * Password authentication (scram-sha-256) on the connection seqsync negotiated and handed to pg, on a private server with
 * TLS on: role `app` must give its password, in plain text or over TLS.
 */
describe('passwords on a connection seqsync opened', () => {
  let tls: SslServer;
  let project: InstalledCore;
  let base: string;
  beforeAll(async () => {
    tls = await startSslServer();
    base = `127.0.0.1:${tls.server.port}/postgres`;
    const hba = join(tls.server.dataDir, 'pg_hba.conf');
    writeFileSync(hba, `host all app 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    const admin = new Client({ connectionString: tls.url('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'; SELECT pg_catalog.pg_reload_conf()`);
    } finally {
      await admin.end();
    }
    // The postmaster reloads pg_hba.conf on its own time: until then app logs in without a password.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Client({ connectionString: `postgres://app:wrong@${base}` });
      const refused = await probe.connect().then(() => false, () => true);
      await probe.end().catch(() => undefined);
      if (refused) break;
      if (Date.now() > deadline) throw new Error('pg_hba.conf was not reloaded within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    project = await installCoreFromSource('passwords');
    project.linkRealPg();
    project.write('modes.js', CHECK_EACH_URL);
  });
  afterAll(async () => {
    project?.remove();
    await tls?.destroy();
  });

  /** Writes a password file of these lines, mode 0600 unless told. */
  function passwordFile(lines: readonly string[], mode = 0o600): string {
    const file = project.write(`pgpass-${Math.random().toString(36).slice(2)}`, `${lines.join('\n')}\n`);
    chmodSync(file, mode);
    return file;
  }

  it('from the URL, PGPASSWORD or the password file: logs in over TLS (prefer, require) and in plain text (disable), '
    + 'printing nothing', async () => {
    const urls = (credentials: string) => ['', '?sslmode=require', '?sslmode=disable']
      .map((query) => `postgres://${credentials}@${base}${query}`);
    const sources: [string[], Record<string, string>][] = [
      [urls(`app:${encodeURIComponent(PASSWORD)}`), {}],
      [urls('app'), { PGPASSWORD: PASSWORD }],
      [urls('app'), { PGPASSFILE: passwordFile([`127.0.0.1:${tls.server.port}:postgres:app:${ESCAPED_FOR_FILE}`]) }],
    ];
    for (const [list, env] of sources) {
      const { code, stdout, stderr } = await runNode(project.dir, ['modes.js', JSON.stringify(list)], { PGSSLMODE: '', ...env });
      expect({ env: Object.keys(env), code, stdout, stderr }).toEqual({ env: Object.keys(env), code: 0,
        stdout: 'connected\nconnected\nconnected\n', stderr: '' });
    }
  });

  it('the password file as libpq reads it: the first line that matches, * for anything, \\: for a colon; without one, a line '
    + 'that says where seqsync looked (a file others may read is ignored), printing nothing', async () => {
    const port = tls.server.port;
    const lines = ['# app on another port, in another database, then the one', `127.0.0.1:${port + 1}:*:app:wrong`,
      `127.0.0.1:${port}:other:app:wrong`, `127.0.0.1:*:postgres:app:${ESCAPED_FOR_FILE}`, '*:*:*:*:wrong'];
    const readable = passwordFile(lines, 0o644);
    const elsewhere = passwordFile([`127.0.0.1:${port}:postgres:someone:${ESCAPED_FOR_FILE}`]);
    const run = (file: string, urls: readonly string[]) => runNode(project.dir, ['modes.js', JSON.stringify(urls)],
      { PGSSLMODE: '', PGPASSFILE: file });
    const prefix = `CONNECTION_FAILED: cannot connect to PostgreSQL at ${base.replace('/postgres', '')}: the server asks for a password `
      + 'and none was given: not in the URL, not in PGPASSWORD, and ';
    const url = `postgres://app@${base}`;
    expect(await run(passwordFile(lines), [url, `${url}?sslmode=disable`]))
      .toEqual({ code: 0, stdout: 'connected\nconnected\n', stderr: '' });
    expect(await run(readable, [url])).toEqual({ code: 0, stderr: '',
      stdout: `${prefix}${readable} is ignored, as libpq does: group or others may read it (chmod 0600 it)\n` });
    expect(await run(elsewhere, [url])).toEqual({ code: 0, stderr: '',
      stdout: `${prefix}no line of ${elsewhere} is for 127.0.0.1:${port}:postgres:app\n` });
    expect(await run(join(project.dir, 'none'), [url])).toEqual({ code: 0, stderr: '',
      stdout: `${prefix}there is no password file ${join(project.dir, 'none')}\n` });
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { check } from '../src';
import { mysqlServerUrl, withMysqlDatabase } from '../../../test-support/mysql-database';

/*
 * Review of cutover (from): MySQL/MariaDB's same-database test compares @@hostname:@@port:@@datadir. Those are
 * configuration, not identity: two servers in containers or Kubernetes pods (mysql-0 in the old cluster and in the
 * new one) share host name, port 3306 and /var/lib/mysql/. Here a second real MariaDB runs in network and mount
 * namespaces of its own (so it too listens on 3306 with /var/lib/mysql/ as its data directory, on another disk
 * directory), reached through its Unix socket. Needs root, unshare(1) and mariadbd, as this machine has.
 */

const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((path) => existsSync(path));
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((path) => existsSync(path));

interface TwinServer {
  readonly socket: string;
  stop(): Promise<void>;
}

/** A MariaDB whose @@hostname, @@port and @@datadir read exactly as the test server's, with a data directory of its own. */
async function startTwin(port: number, datadir: string): Promise<TwinServer> {
  if (MARIADBD === undefined || INSTALL_DB === undefined) throw new Error('mariadbd and mariadb-install-db are needed');
  const dir = mkdtempSync(join(tmpdir(), 'seqsync-twin-'));
  const data = join(dir, 'data');
  const install = spawnSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal'],
    { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const socket = join(dir, 'sock');
  const script = join(dir, 'run.sh');
  writeFileSync(script, ['#!/bin/sh', 'set -e', 'ip link set lo up', `mount --bind ${data} ${datadir}`,
    `exec ${MARIADBD} --no-defaults --datadir=${datadir} --port=${port} --bind-address=127.0.0.1 --socket=${socket} `
    + `--user=root --pid-file=${join(dir, 'pid')} --log-error=${join(dir, 'error.log')}`, ''].join('\n'), { mode: 0o755 });
  const child: ChildProcess = spawn('unshare', ['--net', '--mount', '--propagation', 'private', script], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const probe = await createConnection({ socketPath: socket, user: 'root' });
      await probe.end();
      return { socket, stop };
    } catch (error) {
      if (exited || Date.now() > deadline) {
        await stop();
        throw new Error(`the second MariaDB did not start: ${String(error)}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

describe('cutover review: two MariaDB servers with the same host name, port and data directory are two servers', () => {
  const name = `seqsync_rv_twin_${process.pid}`;
  let main: Connection;
  let twin: TwinServer;
  let other: Connection;
  beforeAll(async () => {
    main = await createConnection({ uri: mysqlServerUrl(), multipleStatements: true });
    const [[settings]] = await main.query('SELECT @@port AS port, @@datadir AS datadir') as unknown as
      [[{ port: number; datadir: string }]];
    twin = await startTwin(settings.port, settings.datadir);
    other = await createConnection({ socketPath: twin.socket, user: 'root', multipleStatements: true });
    for (const connection of [main, other]) {
      await connection.query(`CREATE DATABASE ${name}; USE ${name}; CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY)`);
    }
    await other.query('INSERT INTO users VALUES (500)');
  });
  afterAll(async () => {
    await main.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await Promise.all([main.end(), other?.end()]);
    await twin?.stop();
  });

  it('they read alike (@@hostname, @@port, @@datadir), yet a cutover from the second into the first is not refused as '
    + '"the target database itself": its users continue at 501', async () => {
    const [[a]] = await main.query('SELECT @@hostname AS h, @@port AS p, @@datadir AS d') as unknown as [[object]];
    const [[b]] = await other.query('SELECT @@hostname AS h, @@port AS p, @@datadir AS d') as unknown as [[object]];
    expect(b).toEqual(a);

    const report = await check(withMysqlDatabase(mysqlServerUrl(), name), { from: other });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter, s.behind])).toEqual([['users', 501n, true]]);
  });
});

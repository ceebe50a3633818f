import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { serverUrl } from './test-database';

/** Where the Debian package (`apt-get install -y pgbouncer`, as .ci/run does) puts the binary. */
const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path));
const STARTUP_WAIT_MS = 10_000;

/**
 * A PgBouncer of one suite's own, in front of the test server (SEQSYNC_PG_URL, 127.0.0.1:5432 by default): config,
 * Unix socket and log in a fresh temporary directory, TCP on a free port of 127.0.0.1, trust authentication for the
 * server URL's user. `defaultPoolSize` 1 makes every client of the pool share one server connection, so session
 * state one of them leaves behind is what the next one sees.
 */
export class PgBouncer {
  private constructor(private readonly child: ChildProcess, readonly dir: string, readonly port: number,
    private readonly user: string) {}

  static async start(poolMode: 'statement' | 'transaction', defaultPoolSize = 1): Promise<PgBouncer> {
    if (PGBOUNCER === undefined) {
      throw new Error('pgbouncer is not installed: apt-get install -y pgbouncer (.ci/run installs it)');
    }
    const server = new URL(serverUrl());
    const user = decodeURIComponent(server.username) || 'postgres';
    const dir = mkdtempSync(join(tmpdir(), 'seqsync-pgbouncer-'));
    const port = await freePort();
    writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`);
    writeFileSync(join(dir, 'pgbouncer.ini'), [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${poolMode}`,
      `default_pool_size = ${defaultPoolSize}`,
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      // node-postgres may send these at startup; PgBouncer refuses a client whose parameters it does not know.
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'));
    // PgBouncer refuses to run as root: then it runs as the `postgres` user (the package's postgresql-common makes
    // it), which must own the directory.
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const child = spawn(PGBOUNCER, [join(dir, 'pgbouncer.ini')], { ...owner, stdio: 'ignore' });
    const bouncer = new PgBouncer(child, dir, port, user);
    let exited = false;
    child.once('exit', () => { exited = true; });
    const deadline = Date.now() + STARTUP_WAIT_MS;
    while (Date.now() < deadline && !exited) {
      if (await accepts(port)) return bouncer;
      await new Promise((done) => setTimeout(done, 50));
    }
    const log = existsSync(join(dir, 'pgbouncer.log')) ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8') : '';
    await bouncer.stop();
    throw new Error(`PgBouncer (${poolMode}) on port ${port} did not start within ${STARTUP_WAIT_MS} ms:\n${log}`);
  }

  /** A postgres:// URL of `database` through this PgBouncer. */
  url(database: string): string {
    return `postgres://${encodeURIComponent(this.user)}@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
      // SIGTERM is PgBouncer's immediate shutdown (SIGINT would wait for its clients to leave).
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((done) => { timer = setTimeout(done, 5_000); })]);
      clearTimeout(timer);
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, PgBouncer needs a `postgres` user to run as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

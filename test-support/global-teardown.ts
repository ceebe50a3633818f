import { removeCliBuild } from './cli-build';
import type { EmbeddedServer } from './embedded-server';

export default async function globalTeardown(): Promise<void> {
  if (process.env.SEQSYNC_CLI_BIN !== undefined) removeCliBuild(process.env.SEQSYNC_CLI_BIN);
  const server = (globalThis as { __seqsyncEmbedded?: EmbeddedServer }).__seqsyncEmbedded;
  if (server) await server.destroy();
}

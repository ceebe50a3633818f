import type { EmbeddedServer } from './embedded-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __seqsyncEmbedded?: EmbeddedServer }).__seqsyncEmbedded;
  if (server) await server.destroy();
}

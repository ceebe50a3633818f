export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __seqsyncEmbedded?: { stop(): Promise<void> } }).__seqsyncEmbedded;
  if (server) await server.stop();
}

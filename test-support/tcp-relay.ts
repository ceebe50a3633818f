import { createServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';

/** A TCP relay in front of a real server that can go silent, as a server behind a broken network does. */
export interface TcpRelay {
  /** The target URL with its host and port replaced by the relay's. */
  readonly url: string;
  /**
   * From now on nothing passes in either direction, on open connections and new ones alike; new connections are
   * still accepted (a black hole, not a refusal), so a client waits until its own timeout.
   */
  freeze(): void;
  close(): Promise<void>;
}

export async function startTcpRelay(target: string): Promise<TcpRelay> {
  const upstream = new URL(target);
  let frozen = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('error', () => undefined);
    client.on('close', () => open.delete(client));
    if (frozen) return;
    const backend = connectTcp(Number(upstream.port || 5432), upstream.hostname);
    open.add(backend);
    backend.on('error', () => undefined);
    backend.on('close', () => { open.delete(backend); if (!frozen) client.destroy(); });
    client.on('close', () => { if (!frozen) backend.destroy(); });
    client.on('data', (chunk) => { if (!frozen) backend.write(chunk); });
    backend.on('data', (chunk) => { if (!frozen) client.write(chunk); });
  });
  return { ...await listenInFrontOf(target, server, open), freeze: () => { frozen = true; } };
}

/**
 * Puts `server`, a relay to `target`, on a free port of 127.0.0.1: `url` is `target` with its host and port replaced
 * by the relay's; `close` stops it and ends the connections in `open` (the set the relay keeps up to date).
 */
export async function listenInFrontOf(
  target: string,
  server: Server,
  open: ReadonlySet<Socket>,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.href,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

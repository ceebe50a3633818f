import { createServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';

/**
 * Round trips counted where they cost: on the wire, between a Prisma client's pool and PostgreSQL. The server ends
 * every exchange a client waits for with one ReadyForQuery message ('Z'), however many statements it carried; the
 * first one on each connection ends its startup and is not counted. Prisma's own BEGIN and COMMIT of an interactive
 * transaction count too, which a report's `roundTrips` (what seqsync sent) cannot see.
 */
export interface WireCounter {
  /** The target URL with its host and port replaced by the relay's. */
  readonly url: string;
  /** Exchanges so far on every connection, startups left out. */
  count(): number;
  close(): Promise<void>;
}

/** PostgreSQL's SSLRequest code, in the 8-byte packet a TLS-capable client may send before its startup. */
const SSL_REQUEST_CODE = 80877103;

export async function startWireCounter(target: string): Promise<WireCounter> {
  const upstream = new URL(target);
  let exchanges = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const backend = connectTcp(Number(upstream.port || 5432), upstream.hostname);
    let started = false;
    // A client may open with an SSLRequest, answered with one bare byte (`N` here: the test server has no TLS).
    let sslAnswers = 0;
    let pending: Buffer = Buffer.alloc(0);
    for (const socket of [client, backend]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        backend.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (!started && chunk.length >= 8 && chunk.readInt32BE(0) === 8 && chunk.readInt32BE(4) === SSL_REQUEST_CODE) sslAnswers += 1;
      backend.write(chunk);
    });
    backend.on('data', (chunk: Buffer) => {
      // Messages are a type byte and an int32 length (which counts itself); a chunk may end inside one.
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      for (; sslAnswers > 0 && offset < pending.length; sslAnswers -= 1) offset += 1;
      while (pending.length - offset >= 5 && pending.length - offset >= 1 + pending.readInt32BE(offset + 1)) {
        if (pending[offset] === 0x5a) {
          if (started) exchanges += 1;
          started = true;
        }
        offset += 1 + pending.readInt32BE(offset + 1);
      }
      pending = pending.subarray(offset);
      // Counted before the client sees it, so a promise that resolved has been counted.
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.href,
    count: () => exchanges,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

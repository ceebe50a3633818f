// A TCP proxy between a client and PostgreSQL that delays every chunk by a fixed time in each direction and
// counts round trips: a ReadyForQuery message ('Z') ends each exchange in which the client waits for the server
// (one per simple query or per extended-protocol Sync, whatever the number of statements inside it).
import { createConnection, createServer } from 'node:net';

/**
 * Starts the proxy on a free port. `delayMs` per direction (0 = forward at once). `takeCounts()` returns the
 * round trips of every connection closed since the last call, each without the one that ends the startup.
 */
export function startProxy(upstreamPort, delayMs) {
  const finished = [];
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const counter = readyForQueryCounter();
    forward(client, upstream, delayMs, counter.watchClient);
    forward(upstream, client, delayMs, counter.feed);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      finished.push(Math.max(0, counter.count() - 1));
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      delayMs,
      takeCounts: () => finished.splice(0),
      close: () => new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
    }));
  });
}

/** Forwards data after `delayMs`, in order: a chunk never overtakes the one before it. */
function forward(from, to, delayMs, observe) {
  let lastDue = 0;
  from.on('data', (chunk) => {
    observe(chunk);
    if (delayMs === 0) {
      to.write(chunk);
      return;
    }
    const due = Math.max(performance.now() + delayMs, lastDue);
    lastDue = due;
    setTimeout(() => { if (!to.destroyed) to.write(chunk); }, due - performance.now());
  });
}

/**
 * Splits the server's byte stream into protocol messages (type byte + int32 length) and counts 'Z'. A client that
 * asks for encryption first (an SSLRequest or GSSENCRequest: length 8 and a magic code, as the CLI's pg settings
 * send) gets a single byte back ('N' from the bench's server), which has no length: it is skipped.
 */
function readyForQueryCounter() {
  let pending = Buffer.alloc(0);
  let count = 0;
  let singleBytes = 0;
  return {
    count: () => count,
    watchClient(chunk) {
      if (chunk.length >= 8 && chunk.readInt32BE(0) === 8 && [80877103, 80877104].includes(chunk.readInt32BE(4))) singleBytes += 1;
    },
    feed(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      for (; singleBytes > 0 && pending.length - offset > 0; singleBytes -= 1) offset += 1;
      while (pending.length - offset >= 5) {
        const length = pending.readInt32BE(offset + 1);
        if (pending.length - offset < 1 + length) break;
        if (pending[offset] === 0x5a) count += 1;
        offset += 1 + length;
      }
      pending = pending.subarray(offset);
    },
  };
}

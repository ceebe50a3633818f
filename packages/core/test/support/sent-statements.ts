import { createServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import type { Queryable } from '../../src';

/**
 * What a run sends, seen below seqsync: every text handed to the driver, in order, one entry per query call (a
 * script is one entry, its statements joined by ';\n' as seqsync joins them).
 */
export interface Recorded {
  readonly queryable: Queryable;
  readonly sent: string[];
}

/**
 * `inner` (a real driver's Queryable) as it is, recording each query's text. With `callerTransaction` it is a
 * transaction the caller already opened, as an ORM hands one over: seqsync then sends no BEGIN or COMMIT of its own.
 */
export function recording(inner: Queryable, options: { callerTransaction?: boolean } = {}): Recorded {
  const sent: string[] = [];
  const self: Queryable = {
    dialect: inner.dialect,
    serverVersion: inner.serverVersion,
    multiStatement: inner.multiStatement,
    query: (sql, params) => {
      sent.push(sql);
      return inner.query(sql, params);
    },
    ...(options.callerTransaction === true ? { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(self) } : {}),
  };
  return { queryable: self, sent };
}

/** PostgreSQL's SSLRequest code, in the 8-byte packet a TLS-capable client may send before its startup. */
const SSL_REQUEST_CODE = 80877103;

/** A TCP relay in front of PostgreSQL that records the SQL of every Query and Parse message clients send. */
export interface QueryRecorder {
  /** The target URL with its host and port replaced by the relay's. */
  readonly url: string;
  /** The texts sent since the last call, in order, and forgets them. */
  take(): string[];
  close(): Promise<void>;
}

export async function startQueryRecorder(target: string): Promise<QueryRecorder> {
  const upstream = new URL(target);
  const texts: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const backend = connectTcp(Number(upstream.port || 5432), upstream.hostname);
    for (const socket of [client, backend]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        backend.destroy();
      });
    }
    // Before the startup message, packets carry no type byte (an SSLRequest, answered `N` by a server without TLS).
    let started = false;
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      backend.write(chunk);
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          started = pending.readInt32BE(4) !== SSL_REQUEST_CODE;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5 || pending.length < 1 + pending.readInt32BE(1)) break;
        const type = String.fromCharCode(pending[0]);
        const body = pending.subarray(5, 1 + pending.readInt32BE(1));
        // Query: the text; Parse: a statement name, then the text.
        if (type === 'Q') texts.push(body.toString('utf8', 0, body.indexOf(0)));
        if (type === 'P') {
          const from = body.indexOf(0) + 1;
          texts.push(body.toString('utf8', from, body.indexOf(0, from)));
        }
        pending = pending.subarray(1 + pending.readInt32BE(1));
      }
    });
    backend.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.href,
    take: () => texts.splice(0),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

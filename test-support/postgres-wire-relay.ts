import { createServer, connect as connectTcp, type Socket } from 'node:net';
import { listenInFrontOf } from './tcp-relay';

/**
 * A TCP relay in front of PostgreSQL that reads the wire protocol as it passes, to see what a run costs and sends
 * below every driver and ORM: the round trips it waits for and the SQL it hands the server.
 */
export interface PostgresWireRelay {
  /** The target URL with its host and port replaced by the relay's. */
  readonly url: string;
  /**
   * Exchanges finished so far on every connection: the server ends each one a client waits for with one
   * ReadyForQuery, however many statements it carried. The first on each connection ends its startup and is left out.
   */
  exchanges(): number;
  /**
   * Round trips so far on every connection, startup left out: each time a client sends again after an answer came.
   * The same as exchanges for node-postgres; postgres.js also waits, before its ReadyForQuery, for the server to
   * describe a statement with parameters before it sends their values.
   */
  waits(): number;
  /** The SQL of every Query and Parse message clients sent since the last call, in order, and forgets it. */
  takeSent(): string[];
  close(): Promise<void>;
}

/** The codes of the untyped 8-byte packets a client may send before its startup; the server answers each with one byte. */
const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;

export async function startPostgresWireRelay(target: string): Promise<PostgresWireRelay> {
  const upstream = new URL(target);
  let exchanges = 0;
  let waits = 0;
  const sent: string[] = [];
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
    let fromClient: Buffer = Buffer.alloc(0);
    let fromServer: Buffer = Buffer.alloc(0);
    let clientStarted = false;
    let serverStarted = false;
    // Whether the server said anything since the client last sent: the client's next send then ends a wait.
    let answered = false;
    // One bare byte (`N`: no TLS here) per encryption request, ahead of the server's first typed message.
    let answersOwed = 0;
    // After an `S` or `G` answer the rest is TLS or GSSAPI: nothing more to read on this connection.
    let encrypted = false;
    // Each side is read before it is forwarded: a request is known before its answer can arrive, and a promise that
    // resolved on the client has been counted.
    client.on('data', (chunk: Buffer) => {
      // A Terminate (X) alone, as a client closes, waits for nothing.
      if (answered && serverStarted && chunk[0] !== 0x58) waits += 1;
      answered = false;
      if (!encrypted) {
        fromClient = fromClient.length === 0 ? chunk : Buffer.concat([fromClient, chunk]);
        let offset = 0;
        // Before the startup message, packets are an int32 length (which counts itself) and an int32 code, no type byte.
        while (!clientStarted && fromClient.length - offset >= 8 && fromClient.length - offset >= fromClient.readInt32BE(offset)) {
          const code = fromClient.readInt32BE(offset + 4);
          if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) answersOwed += 1;
          else clientStarted = true;
          offset += fromClient.readInt32BE(offset);
        }
        if (clientStarted) offset = eachMessage(fromClient, offset, (type, body) => {
          // Query: the text; Parse: a statement name, then the text.
          if (type === 'Q') sent.push(body.toString('utf8', 0, body.indexOf(0)));
          if (type === 'P') {
            const textStart = body.indexOf(0) + 1;
            sent.push(body.toString('utf8', textStart, body.indexOf(0, textStart)));
          }
        });
        fromClient = fromClient.subarray(offset);
      }
      backend.write(chunk);
    });
    backend.on('data', (chunk: Buffer) => {
      answered = true;
      if (!encrypted) {
        fromServer = fromServer.length === 0 ? chunk : Buffer.concat([fromServer, chunk]);
        let offset = 0;
        for (; answersOwed > 0 && offset < fromServer.length && !encrypted; answersOwed -= 1, offset += 1) {
          encrypted = fromServer[offset] === 0x53 || fromServer[offset] === 0x47;
        }
        if (!encrypted) offset = eachMessage(fromServer, offset, (type) => {
          if (type !== 'Z') return;
          if (serverStarted) exchanges += 1;
          serverStarted = true;
        });
        fromServer = fromServer.subarray(offset);
      }
      client.write(chunk);
    });
  });
  return { ...await listenInFrontOf(target, server, open), exchanges: () => exchanges, waits: () => waits, takeSent: () => sent.splice(0) };
}

/**
 * Calls `onMessage` for each whole message of `buffer` from `offset` on — a type byte, then an int32 length that
 * counts itself but not the type — and returns where the first unfinished one starts: a chunk may end inside a message.
 */
function eachMessage(buffer: Buffer, offset: number, onMessage: (type: string, body: Buffer) => void): number {
  while (buffer.length - offset >= 5 && buffer.length - offset >= 1 + buffer.readInt32BE(offset + 1)) {
    const end = offset + 1 + buffer.readInt32BE(offset + 1);
    onMessage(String.fromCharCode(buffer[offset]), buffer.subarray(offset + 5, end));
    offset = end;
  }
  return offset;
}

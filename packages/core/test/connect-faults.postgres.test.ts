import { createServer, Socket as NetSocket, type AddressInfo, type Server, type Socket } from 'node:net';
import { parseUrl, type SeqsyncError } from '../src';
import { connectPostgres } from '../src/dialects/postgres/postgres-connect';

/** What a fake server does with each connection's first bytes (the SSLRequest, or a startup packet). */
type Behaviour = (socket: Socket, first: Buffer) => void;

interface FakeServer {
  readonly url: (parameters: string) => string;
  readonly label: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** This process' sockets to the server that are still open: each would keep the process alive. */
  readonly openSockets: () => number;
}

/** A PostgreSQL ErrorResponse, as the postmaster sends one (FATAL, SQLSTATE 53300). */
function errorResponse(message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C53300\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

const isSslRequest = (bytes: Buffer) => bytes.length === 8 && bytes.readInt32BE(4) === 80877103;

describe('connecting to a server that misbehaves before PostgreSQL\'s protocol starts', () => {
  const servers: Server[] = [];
  const open = new Set<Socket>();
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** allowHalfOpen: a server that goes on holding the connection after the client's FIN, as a hostile one may. */
  async function fakeServer(behaviour: Behaviour): Promise<FakeServer> {
    let accepted = 0;
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      accepted += 1;
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
      socket.once('data', (first: Buffer) => behaviour(socket, first));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: (parameters) => `postgres://postgres@127.0.0.1:${port}/postgres${parameters === '' ? '' : `?${parameters}`}`,
      label: `127.0.0.1:${port}`,
      connections: () => accepted,
      // A destroyed socket has no remote port any more.
      openSockets: () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles()
        .filter((handle) => handle instanceof NetSocket && handle.remotePort === port && !open.has(handle)).length,
    };
  }

  /** The connect's outcome and how long it took; a connect still pending after `boundMs` is an outcome too. */
  async function attempt(url: string, boundMs = 15_000): Promise<{ code?: string; message: string; ms: number }> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      connectPostgres(parseUrl(url)).then(async (opened) => {
        await opened.close();
        return { message: 'connected' };
      }, (error: SeqsyncError) => ({ code: error.code, message: error.message })),
      new Promise<{ message: string }>((resolve) => {
        timer = setTimeout(() => resolve({ message: `still pending after ${boundMs} ms` }), boundMs);
      }),
    ]);
    clearTimeout(timer);
    return { ...outcome, ms: Date.now() - started };
  }

  it('silence (no answer to the SSLRequest, or to the startup after a slow "no"): CONNECTION_FAILED naming the address '
    + 'within the one 10 s connect timeout, whatever the sslmode, with nothing left open', async () => {
    const blackHole = await fakeServer(() => undefined);
    const slowNo = await fakeServer((socket, first) => {
      if (isSslRequest(first)) setTimeout(() => socket.write('N'), 6_000);
    });
    const outcomes = await Promise.all([
      attempt(blackHole.url('')), attempt(blackHole.url('sslmode=require')), attempt(blackHole.url('sslmode=disable')),
      attempt(slowNo.url('sslmode=prefer')),
    ]);
    for (const [index, outcome] of outcomes.entries()) {
      const label = index < 3 ? blackHole.label : slowNo.label;
      expect({ code: outcome.code, message: outcome.message }).toEqual({ code: 'CONNECTION_FAILED',
        message: `cannot connect to PostgreSQL at ${label}: timeout expired (the server did not complete the connection within 10 s)` });
      expect(outcome.ms).toBeGreaterThanOrEqual(9_900);
      expect(outcome.ms).toBeLessThan(11_000);
    }
    expect([blackHole.openSockets(), slowNo.openSockets()]).toEqual([0, 0]);
    // One connection each: a silent server is never dialled again, with or without TLS.
    expect([blackHole.connections(), slowNo.connections()]).toEqual([3, 1]);
  }, 30_000);

  it('an answer to the SSLRequest that is not PostgreSQL\'s, or a close: one line at once, and prefer does not go on in '
    + 'plain text (libpq neither)', async () => {
    const garbage = await fakeServer((socket) => { socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'); });
    const closing = await fakeServer((socket) => { socket.destroy(); });
    for (const mode of ['prefer', 'require']) {
      expect(await attempt(garbage.url(`sslmode=${mode}`))).toMatchObject({ code: 'CONNECTION_FAILED',
        message: `cannot connect to PostgreSQL at ${garbage.label}: the server did not answer the SSLRequest as PostgreSQL does` });
      expect(await attempt(closing.url(`sslmode=${mode}`))).toMatchObject({ code: 'CONNECTION_FAILED',
        message: `cannot connect to PostgreSQL at ${closing.label}: the server closed the connection during the SSLRequest` });
    }
    // Per connect, one connection and the wire probe's, which asks what answers there (MySQL would be named).
    expect([garbage.connections(), closing.connections()]).toEqual([2 * 2, 2 * 2]);
    expect([garbage.openSockets(), closing.openSockets()]).toEqual([0, 0]);
  });

  it('an error response to the SSLRequest (a server that could not start a backend): libpq\'s words, not the unauthenticated '
    + 'text, and no second attempt in plain text', async () => {
    const failing = await fakeServer((socket) => { socket.end(errorResponse('could not fork new process for connection')); });
    for (const mode of ['prefer', 'require', 'verify-full']) {
      const outcome = await attempt(failing.url(`sslmode=${mode}`));
      expect({ code: outcome.code, message: outcome.message }).toEqual({ code: 'CONNECTION_FAILED',
        message: `cannot connect to PostgreSQL at ${failing.label}: the server sent an error response during SSL exchange `
          + '(PostgreSQL does when it cannot start a process for the connection)' });
      expect(outcome.ms).toBeLessThan(1_000);
    }
    expect(failing.connections()).toBe(3);
  });

  it('a server that refuses the startup and keeps the connection open: the refusal at once, nothing left open', async () => {
    const refusing = await fakeServer((socket, first) => {
      const refuse = () => socket.write(errorResponse('sorry, too many clients already'));
      if (!isSslRequest(first)) return refuse();
      socket.write('N');
      socket.once('data', refuse);
    });
    for (const mode of ['prefer', 'disable']) {
      const outcome = await attempt(refusing.url(`sslmode=${mode}`));
      expect({ code: outcome.code, message: outcome.message }).toEqual({ code: 'CONNECTION_FAILED',
        message: 'cannot connect to PostgreSQL: sorry, too many clients already' });
      expect(outcome.ms).toBeLessThan(1_000);
    }
    expect(refusing.openSockets()).toBe(0);
  });
});

import { createServer, type Server, type Socket } from 'node:net';
import { probeWireProtocol, tcpAddressOf } from '../src/dialects/wire-probe';
import { freePort } from '../../../test-support/free-port';

/**
 * What the probe says of servers that are neither PostgreSQL nor MySQL/MariaDB; the real ones are asked in
 * wrong-server.mysql.test.ts. Anything else is null, so the driver's own error stands.
 */
describe('probeWireProtocol', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    server = undefined;
  });

  async function listen(onConnection: (socket: Socket) => void): Promise<number> {
    server = createServer((socket) => { sockets.push(socket); onConnection(socket); });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return (server!.address() as { port: number }).port;
  }

  it('a server that greets first with something else (an SSH banner) is neither', async () => {
    const port = await listen((socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n'));
    expect(await probeWireProtocol('127.0.0.1', port)).toBeNull();
  });

  it('a server that answers the SSLRequest with more than one byte is neither', async () => {
    const port = await listen((socket) => socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    expect(await probeWireProtocol('127.0.0.1', port)).toBeNull();
  });

  it('a server that never says anything is neither, once the timeout has passed', async () => {
    const port = await listen(() => undefined);
    const started = Date.now();
    expect(await probeWireProtocol('127.0.0.1', port, 600)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('nothing listening is neither', async () => {
    expect(await probeWireProtocol('127.0.0.1', await freePort())).toBeNull();
  });
});

describe('tcpAddressOf', () => {
  it.each([
    ['postgres://u@db.example:6432/app', 5432, { host: 'db.example', port: 6432, label: 'db.example:6432' }],
    ['mysql://u@127.0.0.1/app', 3306, { host: '127.0.0.1', port: 3306, label: '127.0.0.1:3306' }],
    ['postgres://u@[::1]/app', 5432, { host: '::1', port: 5432, label: '[::1]:5432' }],
    ['postgres:///app?host=/var/run/postgresql', 5432, null],
    ['postgres://u@localhost/app?host=/tmp', 5432, null],
    ['mysql://u@localhost/app?socketPath=/run/mysqld/mysqld.sock', 3306, null],
  ])('%s (default port %d) → %j', (url, defaultPort, expected) => {
    expect(tcpAddressOf(new URL(url), defaultPort)).toEqual(expected);
  });
});

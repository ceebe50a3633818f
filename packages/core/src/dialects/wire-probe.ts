import { connect } from 'node:net';

/** The wire protocols seqsync's URLs speak; a URL of one scheme pointed at a server of the other fails obscurely. */
export type WireProtocol = 'postgres' | 'mysql';

/** How long the probe listens for a greeting before speaking itself: a MySQL/MariaDB server greets at once. */
const LISTEN_FIRST_MS = 250;

/**
 * PostgreSQL's SSLRequest (length 8, code 80877103). The server, and PgBouncer, answer it with one byte, `S` or
 * `N`, before any authentication. Closing after `N` leaves nothing in PostgreSQL's log; after `S` (a server with
 * TLS on) it logs one "could not accept SSL connection" line. A startup packet would log a FATAL instead.
 */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Which protocol the server at `host:port` speaks, asked on a connection of its own, in at most `timeoutMs`;
 * null when nothing answers or something else does. Called only after a connect went wrong, to say what the URL
 * really points at. MySQL and MariaDB speak first: a handshake packet (a 3-byte length, sequence number 0,
 * protocol version 10) or an error packet (0xff). PostgreSQL waits for the client, so after a moment of silence
 * the probe sends an SSLRequest, which nothing else answers with a lone `S` or `N`.
 */
export function probeWireProtocol(host: string, port: number, timeoutMs = 2_000): Promise<WireProtocol | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let sentSslRequest = false;
    const finish = (protocol: WireProtocol | null) => {
      clearTimeout(listening);
      clearTimeout(deadline);
      socket.destroy();
      resolve(protocol);
    };
    const listening = setTimeout(() => {
      sentSslRequest = true;
      socket.write(SSL_REQUEST);
    }, LISTEN_FIRST_MS);
    const deadline = setTimeout(() => finish(null), timeoutMs);
    socket.once('error', () => finish(null));
    socket.once('close', () => finish(null));
    socket.once('data', (bytes: Buffer) => {
      if (bytes.length >= 5 && bytes[3] === 0 && (bytes[4] === 0x0a || bytes[4] === 0xff)) finish('mysql');
      else if (sentSslRequest && bytes.length === 1 && (bytes[0] === 0x53 || bytes[0] === 0x4e)) finish('postgres');
      else finish(null);
    });
  });
}

/** Where a URL's driver dials, as messages name it (`127.0.0.1:3306`); null for a socket file or a host left to the driver. */
export interface TcpAddress { readonly host: string; readonly port: number; readonly label: string }

export function tcpAddressOf(url: URL, defaultPort: number): TcpAddress | null {
  if (url.hostname === '' || url.searchParams.has('host') || url.searchParams.has('socketPath')) return null;
  const port = url.port === '' ? defaultPort : Number(url.port);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, label: `${url.hostname}:${port}` };
}

import type { TlsSettings } from './libpq-ssl';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * PostgreSQL's SSLRequest: length 8, code 80877103. The server answers with one byte, `S` or `N`, or with an
 * ErrorResponse when it cannot start a backend for the connection.
 */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Why a TLS attempt ended before PostgreSQL's protocol began, for postgres-errors.ts to say: the server answered the
 * SSLRequest with `N` (`refused`), with an ErrorResponse (`error-reply`: a postmaster that could not start a backend),
 * with something that is not PostgreSQL's answer or a close (`bad-reply`), not within the connect timeout (`timeout`),
 * or the TLS handshake failed (`handshake`; `cause` is node:tls' error, whose `code` says why, e.g.
 * DEPTH_ZERO_SELF_SIGNED_CERT). Only `handshake` lets `prefer` try again in plain text, as libpq's fe-connect.c does.
 */
export class TlsNegotiationError extends Error {
  constructor(readonly reason: 'refused' | 'error-reply' | 'bad-reply' | 'timeout' | 'handshake', message: string,
    /** What the handshake verified against. */
    readonly settings: TlsSettings, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'TlsNegotiationError';
  }
}

/** A connection whose TLS negotiation is over: pg is handed it and starts up on it, in TLS or (after `N`) in plain text. */
export interface NegotiatedSocket {
  readonly socket: Socket;
  readonly encrypted: boolean;
}

/**
 * Dials host:port and negotiates TLS as libpq does, on the one connection: an SSLRequest, then on `S` the handshake.
 * On `N` a `prefer` connection (`plainOnRefusal`) goes on in plain text on the same socket, as libpq's does, rather
 * than on a second connection: a fresh one costs the server a new backend process (3 ms on loopback). seqsync does this
 * rather than pg's own `ssl` option because pg treats `N` as an error and cannot verify the chain without the host.
 * The whole negotiation is bounded by `timeoutMs`.
 */
export function negotiateTls(host: string, port: number, tls: TlsSettings, options: { direct: boolean; plainOnRefusal: boolean;
  timeoutMs: number; }): Promise<NegotiatedSocket> {
  return new Promise((resolve, reject) => {
    const raw = connectTcp({ host, port });
    let current: Socket = raw;
    const fail = (error: Error) => {
      clearTimeout(timer);
      current.destroy();
      raw.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TlsNegotiationError('timeout', 'timeout expired', tls)), options.timeoutMs);
    const succeed = (socket: Socket, encrypted: boolean) => {
      clearTimeout(timer);
      // pg listens for errors on the socket it is handed only once it starts; until then one must not crash the process.
      for (const each of new Set([raw, socket])) {
        each.removeAllListeners('error');
        each.removeListener('close', closed);
        each.on('error', () => undefined);
      }
      resolve({ socket: adopted(socket), encrypted });
    };
    const handshake = () => {
      // From here node:tls reports a connection that goes away, as a handshake error.
      raw.removeListener('close', closed);
      // SNI never names an IP address (RFC 6066); node:tls then checks an IP host against the certificate's IP names.
      const secure = connectTls({ ...tls.options, socket: raw, host, ...(isIP(host) === 0 ? { servername: host } : {}),
        ...(options.direct ? { ALPNProtocols: ['postgresql'] } : {}) });
      current = secure;
      secure.once('secureConnect', () => succeed(secure, true));
      secure.on('error', (error) => fail(new TlsNegotiationError('handshake', error.message, tls, { cause: error })));
    };
    const closed = () => fail(new TlsNegotiationError('bad-reply', 'the server closed the connection during the SSLRequest', tls));
    raw.on('error', fail);
    raw.once('close', closed);
    raw.once('connect', () => {
      if (options.direct) return handshake();
      // Nothing follows the one-byte answer until the client speaks again, so nothing is lost between listeners.
      raw.once('data', (reply: Buffer) => {
        if (reply.length === 1 && reply[0] === 0x53) return handshake();
        if (reply.length === 1 && reply[0] === 0x4e) {
          if (options.plainOnRefusal) return succeed(raw, false);
          return fail(new TlsNegotiationError('refused', 'the server does not support SSL', tls));
        }
        // Its text is not passed on: nothing has authenticated the server yet (libpq discards it too, CVE-2024-10977).
        if (reply[0] === 0x45) {
          return fail(new TlsNegotiationError('error-reply', 'the server sent an error response during SSL exchange', tls));
        }
        fail(new TlsNegotiationError('bad-reply', 'the server did not answer the SSLRequest as PostgreSQL does', tls));
      });
      raw.write(SSL_REQUEST);
    });
  });
}

/**
 * pg dials the stream it is given itself (`stream.connect(port, host)`) and starts up on its 'connect' event; this one
 * is connected already, so its `connect` only announces that, once pg is listening.
 */
function adopted(socket: Socket): Socket {
  socket.connect = (() => {
    process.nextTick(() => socket.emit('connect'));
    return socket;
  }) as Socket['connect'];
  return socket;
}

import type { OpenDatabase } from '../../dialect';
import type { Socket } from 'node:net';
import type { Encryption, SslPlan } from './libpq-ssl';
import type { PostgresTarget } from './postgres-url';
import { connect as openSocket } from 'node:net';
import { SeqsyncError } from '../../errors';
import { loadOptionalDriver } from '../../optional-driver';
import { isConnectTimeout, translatePostgresConnectFailures, type ConnectFailure } from './postgres-errors';
import { fromPgClient } from './pg-adapter';
import { sslPlan } from './libpq-ssl';
import { negotiateTls, TlsNegotiationError } from './postgres-tls';
import { postgresTarget } from './postgres-url';

interface PgModule {
  Client: new (config: {
    connectionString: string; connectionTimeoutMillis?: number; application_name?: string; ssl?: false; sslnegotiation?: 'postgres';
    stream?: Socket;
  }) => PgClient;
}
interface PgClient {
  connect(): Promise<void>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: object[] }>;
  /** Where the client connected (a directory for a Unix socket), and the backend's key from BackendKeyData. */
  readonly host: string;
  readonly port: number;
  readonly processID: number | null;
  readonly secretKey: number | null;
  /** node-postgres' socket; destroying it fails the query in flight at once. */
  readonly connection?: { readonly stream?: { destroy(): void } };
  /** The password pg found (URL, PGPASSWORD), or null; a function is asked when the server wants one (pg 8.0 on). */
  password?: string | null | (() => Promise<string>);
}

/**
 * One budget for the whole connect, TLS negotiation, start-up and libpq's second attempt alike, as libpq's
 * connect_timeout is one per address: a server that is slow at each step still fails at this bound.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/** Nothing answered at the address: a second attempt, with or without TLS, would meet the same silence. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * Opens one `pg` connection for a postgres:// URL, resolved as libpq resolves it (postgres-url.ts) and with TLS
 * negotiated as libpq's sslmode says (libpq-ssl.ts); `pg` is an optional peer dependency loaded on demand.
 */
export async function connectPostgres(url: URL): Promise<OpenDatabase> {
  const target = postgresTarget(url);
  const plan = sslPlan(target.parameters, target.socket);
  const pg = await loadOptionalDriver('pg', 'PostgreSQL',
    (loaded) => (typeof (loaded as Partial<PgModule> | undefined)?.Client === 'function' ? loaded as PgModule : undefined));
  const failures: ConnectFailure[] = [];
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (const encryption of plan.attempts) {
    const attempt = { encryption, plainAfterRefusal: false };
    try {
      const client = await open(pg, target, plan, attempt, deadline);
      return {
        queryable: fromPgClient(client),
        close: () => client.end().catch(() => undefined),
        cancel: (timeoutMs) => sendCancelRequest(client, timeoutMs),
        destroy: () => client.connection?.stream?.destroy(),
      };
    } catch (error) {
      failures.push({ encryption, error });
      if (!triesAgain(plan, attempt, error)) break;
    }
  }
  throw await translatePostgresConnectFailures(failures, url, target, plan, CONNECT_TIMEOUT_MS);
}

async function open(pg: PgModule, target: PostgresTarget, plan: SslPlan,
  attempt: { encryption: Encryption; plainAfterRefusal: boolean }, deadline: number): Promise<PgClient> {
  // pg takes 0 as no timeout at all.
  const remaining = () => Math.max(1, deadline - Date.now());
  let stream: Socket | undefined;
  if (attempt.encryption === 'tls') {
    const negotiated = await negotiateTls(target.host, target.port, plan.tls(),
      { direct: plan.direct, plainOnRefusal: plan.mode === 'prefer', timeoutMs: remaining() });
    stream = negotiated.socket;
    attempt.plainAfterRefusal = !negotiated.encrypted;
  }
  let client: PgClient | undefined;
  try {
    // pg is told no TLS: on a negotiated stream it is already there (or, after the server's "no", not to be). And
    // `postgres` negotiation, or pg would read PGSSLNEGOTIATION=direct itself and refuse a client without its own TLS.
    client = new pg.Client({
      connectionString: target.connectionString, ssl: false, sslnegotiation: 'postgres', connectionTimeoutMillis: remaining(),
      application_name: 'seqsync', ...(stream === undefined ? {} : { stream }),
    });
    // A server-side termination arrives as an 'error' event; without a listener it would crash the process.
    // The query in flight rejects on its own, which is where seqsync reports it.
    client.on('error', () => undefined);
    // pg would read the password file itself, printing a DeprecationWarning (pg 8.2x); a rejection fails the connect.
    if (client.password === null) client.password = () => askedPassword(target);
    await client.connect();
    return client;
  } catch (error) {
    // Destroyed, not ended: end() waits for the server to close its side, which one that refused the start-up and
    // holds the connection open never does; and a stream pg never took (its constructor threw) is seqsync's to close.
    client?.connection?.stream?.destroy();
    stream?.destroy();
    throw error;
  }
}

/** libpq's "no password supplied", in words that say where seqsync looked; its second attempt would not find one either. */
async function askedPassword(target: PostgresTarget): Promise<string> {
  const found = target.passwordFromFile();
  if ('password' in found) return found.password;
  throw new SeqsyncError('CONNECTION_FAILED', `cannot connect to PostgreSQL at ${target.label}: the server asks for a password `
    + `and none was given: not in the URL, not in PGPASSWORD, and ${found.missing}`);
}

/**
 * libpq's second attempts. `prefer` tries again without TLS when the TLS one failed after the server's "yes": a failed
 * handshake (a certificate that does not verify included; libpq 15 and 17 go on in plain text then too), or a server
 * that refused the session over TLS (pg_hba.conf's `hostnossl`). `allow` tries again with TLS when the server refused
 * the plain session (`hostssl`). Never after silence, which the one connect timeout has used up.
 */
function triesAgain(plan: SslPlan, attempt: { encryption: Encryption; plainAfterRefusal: boolean }, error: unknown): boolean {
  if (error instanceof SeqsyncError || isConnectTimeout(error)) return false;
  // An error response, a reply that is no PostgreSQL's, or a close, to the SSLRequest: libpq gives up there, in any mode.
  if (error instanceof TlsNegotiationError && error.reason !== 'handshake') return false;
  const { code, severity } = (error ?? {}) as { code?: string; severity?: string };
  if (UNREACHABLE.has(code ?? '')) return false;
  if (plan.mode === 'prefer') return attempt.encryption === 'tls' && !attempt.plainAfterRefusal;
  return plan.mode === 'allow' && attempt.encryption === 'plain' && severity !== undefined;
}

/** The protocol's CancelRequest code, 1234 in the high 16 bits and 5678 in the low. */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * PostgreSQL's own way to stop a statement: a fresh connection to the server that sends only the backend's process
 * id and secret key (the BackendKeyData of the session's start). It needs no login, no privilege and no free
 * connection slot, so it works as any role, even on a server at max_connections. The server acts on it and closes
 * the socket without an answer: that close is the acknowledgement. It is sent without TLS, which the server accepts
 * for cancel requests whatever pg_hba.conf demands of sessions.
 */
function sendCancelRequest(client: PgClient, timeoutMs: number): Promise<Error | null> {
  const { processID, secretKey } = client;
  if (processID === null || secretKey === null) return Promise.resolve(new Error('the server sent no cancel key'));
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket = client.host.startsWith('/')
      ? openSocket(`${client.host}/.s.PGSQL.${client.port}`)
      : openSocket(client.port, client.host);
    let sent = false;
    const finish = (outcome: Error | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${client.host}:${client.port} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => { sent = true; socket.end(packet); });
    socket.once('error', (error) => finish(sent ? null : error));
    socket.once('close', () => finish(sent ? null : new Error('the server closed the connection')));
  });
}

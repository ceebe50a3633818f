import type { OpenDatabase } from '../../dialect';
import type { Socket } from 'node:net';
import type { Encryption, SslPlan } from './libpq-ssl';
import type { PostgresTarget } from './postgres-url';
import { connect as openSocket } from 'node:net';
import { SeqsyncError } from '../../errors';
import { loadOptionalDriver } from '../../optional-driver';
import { translatePostgresConnectFailures, type ConnectFailure } from './postgres-errors';
import { fromPgClient } from './pg-adapter';
import { sslPlan } from './libpq-ssl';
import { negotiateTls } from './postgres-tls';
import { postgresTarget } from './postgres-url';

interface PgModule {
  Client: new (config: {
    connectionString: string; connectionTimeoutMillis?: number; application_name?: string; ssl?: false; stream?: Socket;
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
}

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
  for (const encryption of plan.attempts) {
    const attempt = { encryption, plainAfterRefusal: false };
    try {
      const client = await open(pg, target, plan, attempt);
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
  throw await translatePostgresConnectFailures(failures, url, target, plan);
}

async function open(pg: PgModule, target: PostgresTarget, plan: SslPlan,
  attempt: { encryption: Encryption; plainAfterRefusal: boolean }): Promise<PgClient> {
  let stream: Socket | undefined;
  if (attempt.encryption === 'tls') {
    const negotiated = await negotiateTls(target.host, target.port, plan.tls(),
      { direct: plan.direct, plainOnRefusal: plan.mode === 'prefer', timeoutMs: CONNECT_TIMEOUT_MS });
    stream = negotiated.socket;
    attempt.plainAfterRefusal = !negotiated.encrypted;
  }
  // pg is told no TLS: on a negotiated stream it is already there (or, after the server's "no", not to be).
  const client = new pg.Client({
    connectionString: target.connectionString, ssl: false, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'seqsync',
    ...(stream === undefined ? {} : { stream }),
  });
  // A server-side termination arrives as an 'error' event; without a listener it would crash the process.
  // The query in flight rejects on its own, which is where seqsync reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/**
 * libpq's second attempts. `prefer` tries again without TLS when the TLS one failed other than by the server's "no"
 * (on which it already went on in plain text): a failed handshake, or a server that refused the session over TLS
 * (pg_hba.conf's `hostnossl`). `allow` tries again with TLS when the server refused the plain session (`hostssl`).
 */
function triesAgain(plan: SslPlan, attempt: { encryption: Encryption; plainAfterRefusal: boolean }, error: unknown): boolean {
  if (error instanceof SeqsyncError) return false;
  const { code, message, severity } = (error ?? {}) as { code?: string; message?: string; severity?: string };
  if (UNREACHABLE.has(code ?? '') || (severity === undefined && /timeout/i.test(message ?? ''))) return false;
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

import type { OpenDatabase } from '../../dialect';
import { connect as openSocket } from 'node:net';
import { loadOptionalDriver } from '../../optional-driver';
import { translatePostgresConnectError } from './postgres-errors';
import { fromPgClient } from './pg-adapter';

interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number; application_name?: string }) => PgClient;
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

/** Opens one `pg` connection for a postgres:// URL; `pg` is an optional peer dependency loaded on demand. */
export async function connectPostgres(url: URL): Promise<OpenDatabase> {
  const pg = await loadOptionalDriver('pg', 'PostgreSQL',
    (loaded) => (typeof (loaded as Partial<PgModule> | undefined)?.Client === 'function' ? loaded as PgModule : undefined));
  const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 10_000, application_name: 'seqsync' });
  // A server-side termination arrives as an 'error' event; without a listener it would crash the process.
  // The query in flight rejects on its own, which is where seqsync reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw await translatePostgresConnectError(error, url);
  }
  return {
    queryable: fromPgClient(client),
    close: () => client.end().catch(() => undefined),
    cancel: (timeoutMs) => sendCancelRequest(client, timeoutMs),
    destroy: () => client.connection?.stream?.destroy(),
  };
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

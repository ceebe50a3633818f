import type { DuplicateKey } from '../../dialect';
import { SeqsyncError } from '../../errors';
import { probeWireProtocol, tcpAddressOf } from '../wire-probe';

interface DriverError { code?: string; errno?: number; message?: string; sqlMessage?: string }

/** Server error numbers (ER_*) and socket codes, by what they mean to seqsync. */
const PERMISSION = new Set([1044, 1045, 1142, 1143, 1227, 1370]);
const CONNECTION = new Set([1045, 1049, 1040, 1129, 1130, 2002, 2003, 2005, 2013]);
/** HANDSHAKE_NO_SSL_SUPPORT: TLS was asked for (`ssl-mode=REQUIRED`) and the server's greeting offers none. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'HANDSHAKE_NO_SSL_SUPPORT',
]);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);

/** How long a server may take to greet before seqsync asks what listens: MySQL and MariaDB greet at once. */
const GREETING_PATIENCE_MS = 1_000;

/**
 * Waits for a new connection's handshake. PostgreSQL waits for the client to speak first, so a mysql:// URL
 * pointed at it would wait out the whole connect timeout for a greeting that never comes. When none has come
 * within GREETING_PATIENCE_MS, a probe asks what listens at the URL's address, and a PostgreSQL answer fails the
 * connect at once, naming the address; any other answer leaves the handshake to the driver's own timeout. A MySQL
 * server slower than that to greet (a slow reverse DNS lookup) counts the probe as one aborted connection.
 */
export async function awaitHandshake(handshake: Promise<void>, url: URL): Promise<void> {
  const address = tcpAddressOf(url, 3306);
  if (address === null) return handshake;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const answeredLikePostgres = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      void probeWireProtocol(address.host, address.port).then((protocol) => {
        if (protocol === 'postgres' && !settled) {
          reject(new SeqsyncError('INVALID_URL',
            `the server at ${address.label} answered like PostgreSQL, not MySQL/MariaDB: use a postgres:// URL`));
        }
      });
    }, GREETING_PATIENCE_MS);
  });
  try {
    await Promise.race([handshake, answeredLikePostgres]);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/** The one place a MySQL/MariaDB or socket error becomes a SeqsyncError with a code. */
export function translateMysqlError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError {
  // Raised inside a batch; the runner adds the batch count.
  if (error instanceof SeqsyncError) return error;
  const driverError = (error ?? {}) as DriverError;
  const code = driverError.code ?? '';
  // mysql2 sets `errno`; an error built with core's driverError() carries the number as its `code`.
  const errno = driverError.errno ?? (/^[0-9]+$/.test(code) ? Number(code) : 0);
  const message = driverError.sqlMessage ?? driverError.message ?? String(error);
  const committedBatches = context.committedBatches ?? 0;
  if (context.phase === 'connect' && (CONNECTION.has(errno) || CONNECTION_CODES.has(code))) {
    return new SeqsyncError('CONNECTION_FAILED', `cannot connect to MySQL/MariaDB: ${message || code}`, { cause: error });
  }
  if (PERMISSION.has(errno)) {
    return new SeqsyncError('PERMISSION_DENIED', `permission denied: ${message}`, { cause: error, committedBatches });
  }
  if (errno === 1205) return new SeqsyncError('LOCK_TIMEOUT', message, { cause: error, committedBatches });
  if (LOST_CODES.has(code) || /connection.*(closed|lost)|closed state/i.test(message)) {
    return new SeqsyncError('CONNECTION_LOST', `connection to MySQL/MariaDB lost: ${message}`, { cause: error, committedBatches });
  }
  return new SeqsyncError('QUERY_FAILED', `MySQL/MariaDB ${code ? `error ${code}` : 'error'}: ${message}`,
    { cause: error, committedBatches });
}

/**
 * ER_DUP_ENTRY (1062) and the key it names: `Duplicate entry '7' for key 'PRIMARY'` (MariaDB, MySQL before 8.0.19),
 * `… for key 'users.PRIMARY'` (MySQL 8.0.19 on, which prefixes the table). The server puts the key's name only in the
 * message (no error field carries it), and the primary key is always named PRIMARY, a name no other index may take.
 * The table is not named: the caller (an ORM) knows which table it inserted into.
 */
export function mysqlDuplicateKey(error: object): DuplicateKey | null {
  const driverError = error as DriverError;
  const code = driverError.code ?? '';
  const errno = driverError.errno ?? (/^[0-9]+$/.test(code) ? Number(code) : 0);
  if (errno !== 1062 && code !== 'ER_DUP_ENTRY') return null;
  const message = driverError.sqlMessage ?? driverError.message ?? '';
  const key = /for key '(.*)'$/s.exec(message)?.[1];
  if (key === undefined) return null;
  return { constraint: key === 'PRIMARY' || key.endsWith('.PRIMARY') ? 'PRIMARY' : key, schema: null, table: null };
}

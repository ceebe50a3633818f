import { SeqsyncError } from '../../errors';
import { probeWireProtocol, tcpAddressOf } from '../wire-probe';

interface DriverError { code?: string; message?: string; severity?: string }

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03',
]);
/**
 * The server ended the session: shutdown or pg_terminate_backend (57P01–57P05), idle-in-transaction and
 * transaction timeouts (25P03, 25P04), or the socket went away.
 */
const LOST_CODES = new Set(['57P01', '57P02', '57P04', '57P05', '25P03', '25P04', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);
/** Nothing listens at the address, or there is no such host: no server to ask what it is. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * PgBouncer's answer (08P01, and it closes the connection) when a pool in statement mode sees a transaction stay
 * open past one statement: the server connection is dropped with it, so the transaction is rolled back.
 */
const STATEMENT_POOLING = /transaction blocks not allowed in statement pooling mode/i;

/**
 * A failed connect, translated. When no PostgreSQL error came back (pg then reports a stray message such as
 * "unexpected copyData message"), asks what listens at the URL's address, so a postgres:// URL pointed at a
 * MySQL/MariaDB port says so instead.
 */
export async function translatePostgresConnectError(error: unknown, url: URL): Promise<SeqsyncError> {
  const driverError = (error ?? {}) as DriverError;
  const address = tcpAddressOf(url, 5432);
  // An ErrorResponse (it has a severity) means PostgreSQL or PgBouncer answered.
  if (address !== null && driverError.severity === undefined && !UNREACHABLE_CODES.has(driverError.code ?? '')
    && await probeWireProtocol(address.host, address.port) === 'mysql') {
    return new SeqsyncError('INVALID_URL',
      `the server at ${address.label} answered like MySQL/MariaDB, not PostgreSQL: use a mysql:// URL`, { cause: error });
  }
  return translatePostgresError(error, { phase: 'connect' });
}

/**
 * The one place a PostgreSQL or socket error becomes a SeqsyncError with a code.
 *
 * `committedBatches` is set only while applying: the message then also says what became of the batch that
 * failed, since that is what a caller deciding whether to re-run needs to know.
 */
export function translatePostgresError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError {
  const committedBatches = context.committedBatches ?? 0;
  // Raised inside a batch (a vanished sequence); the runner adds the batch count.
  if (error instanceof SeqsyncError) return error;
  const driverError = (error ?? {}) as DriverError;
  const code = driverError.code ?? '';
  const message = driverError.message ?? String(error);
  const applying = context.committedBatches !== undefined;
  const rolledBack = applying ? '; the failing batch was rolled back, nothing in it was changed' : '';
  const options = { cause: error, committedBatches };
  if (code === '42501') return new SeqsyncError('PERMISSION_DENIED', `permission denied: ${message}${rolledBack}`, options);
  if (code === '55P03') return new SeqsyncError('LOCK_TIMEOUT', `${message}${rolledBack}`, options);
  if (code === '40P01') {
    return new SeqsyncError('DEADLOCK',
      `${message}: a transaction of another session needed a table seqsync had locked${rolledBack}; run realign again`, options);
  }
  if (code === '08P01' && STATEMENT_POOLING.test(message)) {
    return new SeqsyncError('UNSUPPORTED_DATABASE',
      `PgBouncer in statement pooling mode refused seqsync's transaction (${message}): realign locks, reads and writes each `
      + `batch in one transaction; use a direct PostgreSQL URL or a PgBouncer pool with pool_mode = transaction${rolledBack}`, options);
  }
  if (code === '57014') {
    return /statement timeout/i.test(message)
      ? new SeqsyncError('STATEMENT_TIMEOUT',
        `${message} (statement_timeout is shorter than this run needs; raise it for the session or role)${rolledBack}`, options)
      : new SeqsyncError('QUERY_CANCELED', `${message}${rolledBack}`, options);
  }
  if (context.phase === 'connect' && (CONNECTION_CODES.has(code) || /connect|terminat|timeout/i.test(message))) {
    return new SeqsyncError('CONNECTION_FAILED', `cannot connect to PostgreSQL: ${message || code}`, { cause: error });
  }
  if (LOST_CODES.has(code)
    || /Connection terminated|terminating connection|connection .*(closed|ended)|Client has encountered a connection error/i
      .test(message)) {
    // A batch is one transaction: if the connection died while its COMMIT was in flight it committed whole or
    // not at all, and only the server knows which. Either way a re-run converges.
    const inFlight = applying
      ? '; the batch in flight was rolled back (or, if the connection dropped during its COMMIT, committed whole): '
        + 'run realign again to converge'
      : '';
    return new SeqsyncError('CONNECTION_LOST', `connection to PostgreSQL lost: ${message}${inFlight}`, options);
  }
  return new SeqsyncError('QUERY_FAILED', `PostgreSQL ${code ? `error ${code}` : 'error'}: ${message}${rolledBack}`, options);
}

import { SeqsyncError } from '../../errors';

interface DriverError { code?: string; message?: string }

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03',
]);
/**
 * The server ended the session: shutdown or pg_terminate_backend (57P01–57P05), idle-in-transaction and
 * transaction timeouts (25P03, 25P04), or the socket went away.
 */
const LOST_CODES = new Set(['57P01', '57P02', '57P04', '57P05', '25P03', '25P04', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);

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

import { SeqsyncError } from '../../errors';

interface DriverError { code?: string; errno?: number; message?: string; sqlMessage?: string }

/** Server error numbers (ER_*) and socket codes, by what they mean to seqsync. */
const PERMISSION = new Set([1044, 1045, 1142, 1143, 1227, 1370]);
const CONNECTION = new Set([1045, 1049, 1040, 1129, 1130, 2002, 2003, 2005, 2013]);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);

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

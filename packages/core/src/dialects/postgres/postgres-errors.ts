import { SeqsyncError } from '../../errors';

interface DriverError { code?: string; message?: string }

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03']);
const LOST_CODES = new Set(['57P01', '57P02', '57P05', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);

/** The one place a PostgreSQL or socket error becomes a SeqsyncError with a code. */
export function translatePostgresError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError {
  if (error instanceof SeqsyncError) return error;
  const driverError = (error ?? {}) as DriverError;
  const code = driverError.code ?? '';
  const message = driverError.message ?? String(error);
  const committedBatches = context.committedBatches ?? 0;
  if (code === '42501') return new SeqsyncError('PERMISSION_DENIED', `permission denied: ${message}`, { cause: error, committedBatches });
  if (code === '55P03') return new SeqsyncError('LOCK_TIMEOUT', message, { cause: error, committedBatches });
  if (context.phase === 'connect' && (CONNECTION_CODES.has(code) || /connect|terminat|timeout/i.test(message))) {
    return new SeqsyncError('CONNECTION_FAILED', `cannot connect to PostgreSQL: ${message || code}`, { cause: error });
  }
  if (LOST_CODES.has(code) || /Connection terminated|connection .*(closed|ended)|Client has encountered a connection error/i.test(message)) {
    return new SeqsyncError('CONNECTION_LOST', `connection to PostgreSQL lost: ${message}`, { cause: error, committedBatches });
  }
  return new SeqsyncError('QUERY_FAILED', `PostgreSQL ${code ? `error ${code}` : 'error'}: ${message}`, { cause: error, committedBatches });
}

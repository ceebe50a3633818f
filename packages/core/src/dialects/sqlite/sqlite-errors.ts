import { SeqsyncError } from '../../errors';

/** The one place a SQLite error becomes a SeqsyncError with a code. */
export function translateSqliteError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError {
  // Raised inside a batch; the runner adds the batch count.
  if (error instanceof SeqsyncError) return error;
  const driverError = (error ?? {}) as { code?: string; message?: string };
  const code = driverError.code ?? '';
  const message = driverError.message ?? String(error);
  const committedBatches = context.committedBatches ?? 0;
  if (context.phase === 'connect' || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB') {
    return new SeqsyncError('CONNECTION_FAILED', `cannot open SQLite database: ${message}`, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new SeqsyncError('LOCK_TIMEOUT', message, { cause: error, committedBatches });
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new SeqsyncError('PERMISSION_DENIED', `permission denied: ${message}`, { cause: error, committedBatches });
  }
  return new SeqsyncError('QUERY_FAILED', `SQLite ${code ? `error ${code}` : 'error'}: ${message}`, { cause: error, committedBatches });
}

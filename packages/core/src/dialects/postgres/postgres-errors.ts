import type { Encryption, SslPlan } from './libpq-ssl';
import type { PostgresTarget } from './postgres-url';
import type { DuplicateKey } from '../../dialect';
import { SeqsyncError } from '../../errors';
import { probeWireProtocol, tcpAddressOf } from '../wire-probe';
import { TlsNegotiationError } from './postgres-tls';

interface DriverError { code?: string; message?: string; severity?: string; hint?: string }

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03',
]);
/**
 * The server ended the session: shutdown or pg_terminate_backend (57P01–57P05), idle-in-transaction and
 * transaction timeouts (25P03, 25P04), or the socket went away. postgres.js reports a query whose connection closed
 * under it with codes of its own (its message, `write CONNECTION_CLOSED host:port`, names no SQLSTATE).
 */
const LOST_CODES = new Set(['57P01', '57P02', '57P04', '57P05', '25P03', '25P04', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE',
  'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED']);
/** Nothing listens at the address, or there is no such host: no server to ask what it is. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * PgBouncer's answer (08P01, and it closes the connection) when a pool in statement mode sees a transaction stay
 * open past one statement: the server connection is dropped with it, so the transaction is rolled back.
 */
const STATEMENT_POOLING = /transaction blocks not allowed in statement pooling mode/i;

/** One failed connection attempt, with TLS asked for or not. */
export interface ConnectFailure {
  readonly encryption: Encryption;
  readonly error: unknown;
}

/**
 * A connect that failed in every attempt its sslmode allows (postgres-connect.ts), as one line. When two attempts each
 * met a real refusal (`allow`: no plain session, no TLS; `prefer`: a TLS session refused, then a plain one), both are
 * named, as libpq does.
 */
export async function translatePostgresConnectFailures(failures: readonly ConnectFailure[], url: URL, target: PostgresTarget,
  plan: SslPlan, timeoutMs: number): Promise<SeqsyncError> {
  const [first, second] = failures;
  const last = failures[failures.length - 1];
  if (last.error instanceof SeqsyncError) return last.error;
  const describe = (error: unknown) => (isConnectTimeout(error)
    ? `timeout expired (the server did not complete the connection within ${timeoutMs / 1000} s)`
    : describeTlsFailure(error, target, plan));
  if (second === undefined) {
    const reason = describe(first.error);
    if (reason === null) return translatePostgresConnectError(first.error, url);
    // An SSLRequest answered by no PostgreSQL: what answers there, when it is MySQL/MariaDB, is the better news.
    const probed = first.error instanceof TlsNegotiationError && first.error.reason === 'bad-reply'
      ? await translatePostgresConnectError(first.error, url) : null;
    return probed?.code === 'INVALID_URL' ? probed
      : new SeqsyncError('CONNECTION_FAILED', `cannot connect to PostgreSQL at ${target.label}: ${reason}`, { cause: first.error });
  }
  const reason = (failure: ConnectFailure) => `${failure.encryption === 'tls' ? 'with' : 'without'} SSL, `
    + (describe(failure.error) ?? withHint((failure.error ?? {}) as DriverError));
  return new SeqsyncError('CONNECTION_FAILED', `cannot connect to PostgreSQL at ${target.label} (${plan.source}): `
    + `${reason(first)}; then ${reason(second)}`, { cause: second.error });
}

/**
 * The connect timeout ran out: seqsync's own during the TLS negotiation, or pg's during the start-up (`timeout
 * expired`, an error of the socket, so without the severity a server's error has). Silence for that long is no
 * MySQL/MariaDB either, which greets at once: there is nothing for the wire probe to learn.
 */
export function isConnectTimeout(error: unknown): boolean {
  if (error instanceof TlsNegotiationError) return error.reason === 'timeout';
  const { message, severity } = (error ?? {}) as DriverError;
  return severity === undefined && /timeout/i.test(message ?? '');
}

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
  const message = withHint(driverError, String(error));
  const applying = context.committedBatches !== undefined;
  const rolledBack = applying ? '; the failing batch was rolled back, nothing in it was changed' : '';
  const options = { cause: error, committedBatches };
  if (code === '42501') return new SeqsyncError('PERMISSION_DENIED', `permission denied: ${message}${rolledBack}`, options);
  if (code === '55P03') return new SeqsyncError('LOCK_TIMEOUT', `${message}${rolledBack}`, options);
  if (code === '40P01') {
    // Without the server's hint ("See server log for query details."): this message says what happened, and the remedy.
    return new SeqsyncError('DEADLOCK', `${driverError.message ?? String(error)}: a transaction of another session needed a table `
      + `seqsync had locked${rolledBack}; run realign again`, options);
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
  // A FATAL while connecting is the server refusing the session (too many clients, a bad startup setting).
  if (context.phase === 'connect'
    && (CONNECTION_CODES.has(code) || driverError.severity === 'FATAL' || /connect|terminat|timeout/i.test(message))) {
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

/** A unique violation as node-postgres (`constraint`, `schema`, `table`) and postgres.js (`constraint_name`, …) report it. */
interface UniqueViolation {
  code?: unknown;
  constraint?: unknown;
  schema?: unknown;
  table?: unknown;
  constraint_name?: unknown;
  schema_name?: unknown;
  table_name?: unknown;
}

/**
 * SQLSTATE 23505 with the constraint the server named in its error fields — the fields, not the message text, which
 * is translated with lc_messages. Null for any other error, and for a 23505 that names no constraint.
 */
export function postgresDuplicateKey(error: object): DuplicateKey | null {
  const fields = error as UniqueViolation;
  if (fields.code !== '23505') return null;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
  const constraint = text(fields.constraint) ?? text(fields.constraint_name);
  if (constraint === null) return null;
  return {
    constraint,
    schema: text(fields.schema) ?? text(fields.schema_name),
    table: text(fields.table) ?? text(fields.table_name),
  };
}

/**
 * The server's message with its HINT, on one line: the hint is often the remedy ("You might need to increase
 * max_locks_per_transaction.").
 */
function withHint(error: DriverError, fallback = ''): string {
  const message = error.message ?? fallback;
  const hint = error.hint?.replace(/\s*\n\s*/g, ' ').trim();
  return hint && !POINTS_AT_SERVER_LOG.test(hint) ? `${message} (hint: ${hint})` : message;
}

/**
 * A deadlock's hint sends the reader to the server log, which the user of seqsync may not see and whose details
 * seqsync's own message already gives (which session, which lock): it is left out rather than shown as a remedy.
 */
const POINTS_AT_SERVER_LOG = /^See server log for query details\.?$/i;

/** What node:tls calls a certificate it could not verify, in words. */
const UNVERIFIED: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server\'s certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server\'s certificate chain ends in a self-signed root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server\'s certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server\'s certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'the server\'s certificate is signed by an unknown authority',
};
const INVALID: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'the server\'s certificate has expired',
  CERT_NOT_YET_VALID: 'the server\'s certificate is not valid yet',
};

/**
 * Why TLS failed, with what to change, or null for any other error. A certificate that cannot be verified names what
 * it was verified against; one for another host says which names it holds.
 */
function describeTlsFailure(error: unknown, target: PostgresTarget, plan: SslPlan): string | null {
  if (!(error instanceof TlsNegotiationError)) return null;
  if (error.reason === 'refused') {
    return plan.mode === 'allow' ? 'the server does not support SSL' : `the server does not support SSL, but ${plan.source} requires it`;
  }
  if (error.reason === 'bad-reply' || error.reason === 'timeout') return error.message;
  if (error.reason === 'error-reply') return `${error.message} (PostgreSQL does when it cannot start a process for the connection)`;
  const cause = (error.cause ?? {}) as { code?: string; message?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } };
  const code = cause.code ?? '';
  const { root } = error.settings;
  if (UNVERIFIED[code] !== undefined) {
    const against = root === 'system' ? 'any root certificate Node trusts' : `the root certificate in ${root}`;
    const strict = plan.mode === 'verify-ca' || plan.mode === 'verify-full';
    return `${UNVERIFIED[code]}, not signed by ${against}, which ${plan.source} verifies it against`
      + (strict ? ': give the server\'s root certificate as sslrootcert=/path/to/root.crt, '
        + 'or use sslmode=require to encrypt without verifying'
        : ' when it has a root certificate, as libpq does: give the server\'s own as sslrootcert=/path/to/root.crt, '
          + 'or use sslmode=no-verify to encrypt without verifying');
  }
  if (INVALID[code] !== undefined) return `${INVALID[code]} (${cause.message ?? code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = cause.cert?.subjectaltname ?? (cause.cert?.subject?.CN === undefined ? 'no name' : `CN=${cause.cert.subject.CN}`);
    return `the server's certificate is not for ${target.host} (it is for ${names}), and ${plan.source} checks the host name: `
      + 'connect by a name the certificate holds, or use sslmode=verify-ca to verify the certificate but not the host name';
  }
  return `the TLS handshake failed: ${cause.message ?? error.message}`;
}

import type { OpenDatabase } from '../../dialect';
import type { Mysql2ConnectionLike } from './mysql2-adapter';
import { SeqsyncError } from '../../errors';
import { loadOptionalDriver } from '../../optional-driver';
import { awaitHandshake, translateMysqlError } from './mysql-errors';
import { fromMysql2Connection } from './mysql2-adapter';
import { sqlInteger } from './mysql-sql';

interface Mysql2Module {
  createConnection(config: { uri: string; multipleStatements: boolean; connectTimeout: number; ssl?: TlsOptions }): Mysql2Connection;
}
/** The part of node:tls' options mysql2's `ssl` takes that seqsync sets. */
interface TlsOptions { rejectUnauthorized: boolean; checkServerIdentity?: () => undefined }
interface Mysql2Connection extends Mysql2ConnectionLike {
  /** The server's id for this session, which KILL QUERY names. */
  readonly threadId: number | null;
  connect(callback: (error: Error | null) => void): void;
  end(callback: (error?: Error | null) => void): void;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/**
 * Opens one mysql2 connection for a mysql:// or mariadb:// URL; mysql2 is an optional peer dependency loaded
 * on demand. `multipleStatements` is turned on for this private connection only, so each batch's lock-and-read
 * and write-and-commit travel as one script each.
 */
export async function connectMysql(url: URL): Promise<OpenDatabase> {
  const mysql2 = await loadOptionalDriver('mysql2', 'MySQL/MariaDB',
    (loaded) => (typeof (loaded as Partial<Mysql2Module> | undefined)?.createConnection === 'function'
      ? loaded as Mysql2Module
      : undefined));
  const uri = new URL(url.href.replace(/^mariadb:/, 'mysql:'));
  const ssl = sslOption(uri);
  const connection = configured(() => mysql2.createConnection({ uri: uri.href, multipleStatements: true, connectTimeout: 10_000, ...ssl }));
  // A server-side disconnect arrives as an 'error' event; the query in flight rejects on its own.
  connection.on('error', () => undefined);
  const close = () => new Promise<void>((resolve) => connection.end(() => resolve()));
  try {
    await awaitHandshake(new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve()))), url);
  } catch (error) {
    // A connection that never opened cannot be ended politely (end() would wait for ever).
    connection.destroy();
    throw translateMysqlError(error, { phase: 'connect' });
  }
  return {
    queryable: fromMysql2Connection(connection),
    close,
    cancel: (timeoutMs) => killQuery(mysql2, uri, ssl, connection.threadId, timeoutMs),
    destroy: () => connection.destroy(),
  };
}

/**
 * MySQL's and MariaDB's way to stop a statement: KILL QUERY from a second session of the same user (no privilege is
 * needed to kill one's own). The session survives with its transaction open; the runner rolls it back. The second
 * connection is opened for this alone and given `timeoutMs`, connecting included.
 */
function killQuery(mysql2: Mysql2Module, uri: URL, ssl: { ssl?: TlsOptions }, threadId: number | null,
  timeoutMs: number): Promise<Error | null> {
  if (threadId === null) return Promise.resolve(new Error('the server sent no connection id'));
  const killer = mysql2.createConnection({ uri: uri.href, multipleStatements: false, connectTimeout: timeoutMs, ...ssl });
  killer.on('error', () => undefined);
  return new Promise((resolve) => {
    const finish = (outcome: Error | null) => {
      clearTimeout(timer);
      killer.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    killer.query({ sql: `KILL QUERY ${sqlInteger(threadId)}` }, (error) => finish(error));
  });
}

/**
 * The mysql client's `ssl-mode` (and libpq's `sslmode`, as written on postgres:// URLs), which mysql2 does not know:
 * given it, mysql2 prints a warning and connects in plain text, REQUIRED or not. Read here and taken off the URI.
 * PREFERRED is plain text, as with no setting: mysql2 cannot fall back from TLS. mysql2's own `?ssl=` is left to it.
 *
 * @throws SeqsyncError `INVALID_URL` naming a value that is none of these.
 */
function sslOption(uri: URL): { ssl?: TlsOptions } {
  const name = ['ssl-mode', 'sslmode'].find((candidate) => uri.searchParams.has(candidate));
  if (name === undefined) return {};
  const value = uri.searchParams.get(name)!;
  for (const spelling of ['ssl-mode', 'sslmode']) uri.searchParams.delete(spelling);
  const mode = SSL_MODES.get(value.toUpperCase().replace(/-/g, '_'));
  if (mode === undefined) {
    throw new SeqsyncError('INVALID_URL', `invalid ${name} ${JSON.stringify(value)} in the URL: expected DISABLED, PREFERRED, `
      + 'REQUIRED, VERIFY_CA or VERIFY_IDENTITY');
  }
  return mode === null ? {} : { ssl: mode };
}

/** By MySQL's name and libpq's; null: plain text. VERIFY_CA checks the certificate's chain, not the name it is for. */
const SSL_MODES: ReadonlyMap<string, TlsOptions | null> = new Map([
  ['DISABLED', null], ['DISABLE', null], ['PREFERRED', null], ['PREFER', null],
  ['REQUIRED', { rejectUnauthorized: false }], ['REQUIRE', { rejectUnauthorized: false }],
  ['VERIFY_CA', { rejectUnauthorized: true, checkServerIdentity: () => undefined }],
  ['VERIFY_IDENTITY', { rejectUnauthorized: true }], ['VERIFY_FULL', { rejectUnauthorized: true }],
]);

/** mysql2 checks a URI's settings as it builds the connection, and throws a plain TypeError for one it cannot use. */
function configured<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    throw new SeqsyncError('INVALID_URL', `invalid MySQL/MariaDB connection setting in the URL: ${(error as Error).message}`,
      { cause: error });
  }
}

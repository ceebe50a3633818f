import type { OpenDatabase } from '../../dialect';
import type { Mysql2ConnectionLike } from './mysql2-adapter';
import { loadOptionalDriver } from '../../optional-driver';
import { awaitHandshake, translateMysqlError } from './mysql-errors';
import { fromMysql2Connection } from './mysql2-adapter';
import { sqlInteger } from './mysql-sql';

interface Mysql2Module {
  createConnection(config: { uri: string; multipleStatements: boolean; connectTimeout: number }): Mysql2Connection;
}
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
  const connection = mysql2.createConnection({ uri: uri.href, multipleStatements: true, connectTimeout: 10_000 });
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
    cancel: (timeoutMs) => killQuery(mysql2, uri, connection.threadId, timeoutMs),
    destroy: () => connection.destroy(),
  };
}

/**
 * MySQL's and MariaDB's way to stop a statement: KILL QUERY from a second session of the same user (no privilege is
 * needed to kill one's own). The session survives with its transaction open; the runner rolls it back. The second
 * connection is opened for this alone and given `timeoutMs`, connecting included.
 */
function killQuery(mysql2: Mysql2Module, uri: URL, threadId: number | null, timeoutMs: number): Promise<Error | null> {
  if (threadId === null) return Promise.resolve(new Error('the server sent no connection id'));
  const killer = mysql2.createConnection({ uri: uri.href, multipleStatements: false, connectTimeout: timeoutMs });
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

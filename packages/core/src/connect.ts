import type { Dialect, OpenDatabase } from './dialect';
import type { Queryable } from './types';
import { SeqsyncError } from './errors';
import { adaptDriverObject, dialectNameForUrl, dialectOf, loadDialect } from './dialects';

/**
 * What `realign` / `check` accept: a connection URL, a `pg` Client or Pool, a PGlite instance, a mysql2
 * Connection or Pool (callback or promise API), a better-sqlite3 Database, or any Queryable.
 */
export type Database = string | Queryable | object;

export interface ResolvedDatabase extends OpenDatabase {
  readonly dialect: Dialect;
}

const EXPECTED = 'expected a connection URL, a pg Client/Pool, a PGlite instance, a mysql2 Connection/Pool, '
  + 'a better-sqlite3 Database or a Queryable';

/** Opens a URL (seqsync closes it afterwards) or adapts a connection the caller owns (left open). */
export async function resolveDatabase(db: Database): Promise<ResolvedDatabase> {
  if (typeof db === 'string') {
    const url = parseUrl(db);
    const opened = await (await loadDialect(dialectNameForUrl(url))).connect(url);
    try {
      // The connection knows which server it reached (a mysql:// URL may lead to MariaDB).
      return { ...opened, dialect: await dialectOf(opened.queryable) };
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  if (db === null || typeof db !== 'object') throw new SeqsyncError('INVALID_OPTION', EXPECTED);
  const queryable = await adaptDriverObject(db);
  if (queryable === null) throw new SeqsyncError('INVALID_OPTION', EXPECTED);
  return { queryable, dialect: await dialectOf(queryable), close: async () => undefined };
}

/**
 * Parses a URL, and names it in errors with any password hidden. `file:` URLs are read as `sqlite:` ones:
 * WHATWG parsing resolves `file:./dev.db` against the root, while the non-special `sqlite:` scheme keeps
 * a relative path as written (Prisma's `file:./dev.db` means relative to the working directory).
 */
export function parseUrl(text: string): URL {
  const source = /^file:(?!\/\/)/i.test(text) ? `sqlite:${text.slice('file:'.length)}` : text;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new SeqsyncError('INVALID_URL',
      `malformed database URL ${JSON.stringify(redactUrl(text))}: expected e.g. postgres://user@host:5432/database`);
  }
  return url;
}

/** Hides everything between `user:` and the last `@`: a password may itself hold `/` or `@`. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:).*@/, '$1***@');
}

/** Wraps a Queryable so every query (one round trip each) is counted, including on leased connections. */
export function countRoundTrips(db: Queryable, counter: { count: number }): Queryable {
  const wrap = (inner: Queryable): Queryable => ({
    dialect: inner.dialect,
    serverVersion: inner.serverVersion,
    multiStatement: inner.multiStatement,
    query: (sql, params) => {
      counter.count += 1;
      return inner.query(sql, params);
    },
    connection: inner.connection && (<T>(fn: (c: Queryable) => Promise<T>) => inner.connection!((c) => fn(wrap(c)))),
    transaction: inner.transaction && (<T>(fn: (t: Queryable) => Promise<T>) => inner.transaction!((t) => fn(wrap(t)))),
  });
  return wrap(db);
}

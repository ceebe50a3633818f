import type { Dialect, OpenDatabase } from './dialect';
import type { Options, Queryable } from './types';
import { SeqsyncError } from './errors';
import { adaptDriverObject, dialectNameForUrl, dialectOf, loadDialect, parseUnusualUrl, urlSchemaOf } from './dialects';

/**
 * What `realign` / `check` accept: a connection URL, a `pg` Client or Pool, a PGlite instance, a postgres.js `sql`
 * (the pool, a reserved connection or a transaction's `tx`), a mysql2 Connection or Pool (callback or promise API), a
 * better-sqlite3 Database, or any Queryable.
 */
export type Database = string | Queryable | object;

export interface ResolvedDatabase extends OpenDatabase {
  readonly dialect: Dialect;
}

const EXPECTED = 'expected a connection URL, a pg Client/Pool, a PGlite instance or transaction, a postgres.js sql (pool, reserved '
  + 'connection or transaction), a mysql2 Connection/Pool, a better-sqlite3 Database or a Queryable';

/**
 * Opens a URL (seqsync closes it afterwards) or adapts a connection the caller owns (left open), and finds its
 * dialect. `wrap` sees the connection before anything is asked of it, so even the question which server it
 * reached (a mysql:// URL may lead to MariaDB) is counted as the round trip it is.
 */
export async function resolveDatabase(db: Database, wrap: (queryable: Queryable) => Queryable = (q) => q): Promise<ResolvedDatabase> {
  let opened: OpenDatabase;
  if (typeof db === 'string') {
    const url = parseUrl(db);
    opened = await (await loadDialect(dialectNameForUrl(url))).connect(url);
  } else {
    // A postgres.js `sql` is a function (a tagged template) with the driver's methods on it.
    if (db === null || (typeof db !== 'object' && typeof db !== 'function')) throw new SeqsyncError('INVALID_OPTION', EXPECTED);
    const adapted = await adaptDriverObject(db);
    if (adapted === null) throw new SeqsyncError('INVALID_OPTION', EXPECTED);
    opened = { queryable: adapted, close: async () => undefined };
  }
  const queryable = wrap(opened.queryable);
  try {
    return { ...opened, queryable, dialect: await dialectOf(queryable) };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/**
 * Parses a URL, and names it in errors with any password hidden. `file:` URLs are read as `sqlite:` ones:
 * WHATWG parsing resolves `file:./dev.db` against the root, while the non-special `sqlite:` scheme keeps
 * a relative path as written (Prisma's `file:./dev.db` means relative to the working directory). libpq's
 * `postgres://user@/db?host=/var/run/postgresql`, which WHATWG refuses (credentials without a host), is read as libpq
 * reads it (see the dialects' parseUnusualUrl).
 */
export function parseUrl(text: string): URL {
  const source = /^file:(?!\/\/)/i.test(text) ? `sqlite:${text.slice('file:'.length)}` : text;
  let url: URL | null;
  try {
    url = new URL(source);
  } catch {
    url = parseUnusualUrl(source);
  }
  if (url === null) {
    throw new SeqsyncError('INVALID_URL',
      `malformed database URL ${JSON.stringify(redactUrl(text))}: expected e.g. postgres://user@host:5432/database`);
  }
  return url;
}

/**
 * Hides everything between `user:` and the last `@` (a password may itself hold `/` or `@`), and the value of a
 * `password` query parameter.
 */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:).*@/, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * The options a run takes from its URL: the schema it names (a postgres:// URL's `?schema=`: Prisma's DATABASE_URL
 * names the one schema its client uses) scopes a run given no `schemas` to that schema. Given both, they must agree:
 * a run never silently widens, or narrows, what the caller asked for.
 *
 * @throws SeqsyncError `INVALID_OPTION` naming both when `schemas` is not that one schema; `INVALID_URL` for a bad `?schema=`.
 */
export function withUrlScope(db: Database, options: Options): Options {
  if (typeof db !== 'string') return options;
  let url: URL;
  try {
    url = parseUrl(db);
  } catch {
    // The URL's own fault is reported where it is opened, after the options were checked, as before.
    return options;
  }
  const schema = urlSchemaOf(url);
  if (schema === null) return options;
  if (options.schemas === undefined) return { ...options, schemas: [schema] };
  if (Array.isArray(options.schemas) && options.schemas.length > 0 && options.schemas.every((name) => name === schema)) return options;
  throw new SeqsyncError('INVALID_OPTION', `the URL's ?schema=${schema} and schemas ${JSON.stringify(options.schemas)} disagree: `
    + 'a run has one scope; drop ?schema= from the URL or give schemas that match it');
}

/** Wraps a Queryable so every query (one round trip each) is counted, including on leased connections. */
export function countRoundTrips(db: Queryable, counter: { count: number }): Queryable {
  const wrap = (inner: Queryable): Queryable => ({
    dialect: inner.dialect,
    serverVersion: inner.serverVersion,
    multiStatement: inner.multiStatement,
    describesParametersFirst: inner.describesParametersFirst,
    query: (sql, params) => {
      counter.count += inner.describesParametersFirst === true && params !== undefined && params.length > 0 ? 2 : 1;
      return inner.query(sql, params);
    },
    connection: inner.connection && (<T>(fn: (c: Queryable) => Promise<T>) => inner.connection!((c) => fn(wrap(c)))),
    transaction: inner.transaction && (<T>(fn: (t: Queryable) => Promise<T>) => inner.transaction!((t) => fn(wrap(t)))),
  });
  return wrap(db);
}

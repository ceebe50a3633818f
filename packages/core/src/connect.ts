import type { Dialect, OpenDatabase } from './dialect';
import type { Queryable } from './types';
import { SeqsyncError } from './errors';
import { dialectNameForUrl, dialectNameOf, loadDialect } from './dialects';
import { fromPgClient, fromPgPool, isPgClient, isPgPool } from './dialects/postgres/pg-adapter';
import { fromPGlite, isPGlite } from './dialects/postgres/pglite-adapter';

/** What `realign` / `check` accept: a connection URL, a `pg` Client or Pool, a PGlite instance, or any Queryable. */
export type Database = string | Queryable | object;

export interface ResolvedDatabase extends OpenDatabase {
  readonly dialect: Dialect;
}

/** Opens a URL (seqsync closes it afterwards) or adapts a connection the caller owns (left open). */
export async function resolveDatabase(db: Database): Promise<ResolvedDatabase> {
  if (typeof db === 'string') {
    const url = parseUrl(db);
    const dialect = await loadDialect(dialectNameForUrl(url));
    return { ...(await dialect.connect(url)), dialect };
  }
  if (db === null || typeof db !== 'object') {
    throw new SeqsyncError('INVALID_OPTION', 'expected a connection URL, a pg Client/Pool, a PGlite instance or a Queryable');
  }
  const queryable = adaptDriver(db);
  return { queryable, dialect: await loadDialect(dialectNameOf(queryable)), close: async () => undefined };
}

function adaptDriver(db: object): Queryable {
  if (isPgPool(db)) return fromPgPool(db);
  if (isPgClient(db)) return fromPgClient(db);
  if (isPGlite(db)) return fromPGlite(db);
  if (typeof (db as Queryable).query === 'function') return db as Queryable;
  throw new SeqsyncError('INVALID_OPTION', 'expected a connection URL, a pg Client/Pool, a PGlite instance or a Queryable');
}

/** Parses a URL, and names it in errors with any password hidden. */
export function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SeqsyncError('INVALID_URL', `malformed database URL ${JSON.stringify(redactUrl(text))}: expected e.g. postgres://user@host:5432/database`);
  }
  return url;
}

export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** Wraps a Queryable so every query (one round trip each) is counted, including on leased connections. */
export function countRoundTrips(db: Queryable, counter: { count: number }): Queryable {
  const wrap = (inner: Queryable): Queryable => ({
    dialect: inner.dialect,
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

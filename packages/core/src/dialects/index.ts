import type { Dialect } from '../dialect';
import type { Queryable } from '../types';
import { SeqsyncError } from '../errors';

/**
 * The one place that branches on a database's name: URL schemes and `Queryable.dialect` values map to
 * lazily loaded dialects, so a PostgreSQL user never loads MySQL code (or its driver).
 */
const loaders: Readonly<Record<string, () => Promise<Dialect>>> = {
  postgres: async () => new (await import('./postgres/postgres-dialect')).PostgresDialect(),
  mysql: async () => new (await import('./mysql/mysql-dialect')).MysqlDialect(),
  mariadb: async () => new (await import('./mysql/mariadb-dialect')).MariadbDialect(),
  sqlite: async () => new (await import('./sqlite/sqlite-dialect')).SqliteDialect(),
};

/**
 * A mysql:// URL may reach MariaDB and a mariadb:// URL MySQL: the connection reports the server it
 * reached (see mysql2-adapter), and that decides the dialect. `sqlite:` and `file:` name a database file.
 */
const schemes: Readonly<Record<string, string>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mariadb',
  'sqlite:': 'sqlite',
  'file:': 'sqlite',
};

export function loadDialect(name: string): Promise<Dialect> {
  const loader = loaders[name];
  if (loader === undefined) throw unsupported(name);
  return loader();
}

export function dialectNameForUrl(url: URL): string {
  const name = schemes[url.protocol];
  if (name === undefined) throw unsupported(url.protocol);
  return name;
}

export function dialectNameOf(db: Queryable): string {
  return db.dialect ?? 'postgres';
}

function unsupported(what: string): SeqsyncError {
  if (!what.endsWith(':')) {
    return new SeqsyncError('UNSUPPORTED_DATABASE',
      `unsupported dialect ${JSON.stringify(what)}: expected ${Object.keys(loaders).map((name) => JSON.stringify(name)).join(', ')}`);
  }
  return new SeqsyncError('UNSUPPORTED_DATABASE',
    `unsupported database ${JSON.stringify(what)}: expected a postgres://, postgresql://, mysql://, mariadb://, sqlite: or file: URL`);
}

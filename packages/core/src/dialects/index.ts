import type { Dialect } from '../dialect';
import type { Queryable } from '../types';
import { SeqsyncError } from '../errors';

/**
 * The one place that branches on a database's name: URL schemes and `Queryable.dialect` values map to
 * lazily loaded dialects, so a PostgreSQL user never loads MySQL code (or its driver).
 */
const loaders: Readonly<Record<string, () => Promise<Dialect>>> = {
  postgres: async () => new (await import('./postgres/postgres-dialect')).PostgresDialect(),
};

const schemes: Readonly<Record<string, string>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
};

const planned: Readonly<Record<string, string>> = {
  'mysql:': 'MySQL/MariaDB',
  'mariadb:': 'MySQL/MariaDB',
  'sqlite:': 'SQLite',
  'file:': 'SQLite',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
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
  const database = planned[what];
  if (database !== undefined) {
    return new SeqsyncError('UNSUPPORTED_DATABASE', `${database} is not supported yet: seqsync currently realigns PostgreSQL only`);
  }
  return new SeqsyncError('UNSUPPORTED_DATABASE',
    `unsupported database ${JSON.stringify(what)}: expected a postgres:// or postgresql:// URL`);
}

import type { Dialect } from '../dialect';
import type { Queryable } from '../types';
import { SeqsyncError } from '../errors';
import { fromPgClient, fromPgPool, isPgClient, isPgPool } from './postgres/pg-adapter';
import { fromPGlite, fromPGliteTransaction, isPGlite, isPGliteTransaction } from './postgres/pglite-adapter';
import { fromPostgresJs, isPostgresJs } from './postgres/postgresjs-adapter';
import { hostlessPostgresUrl, urlSchema } from './postgres/postgres-url';
import { adaptMysql2Connection, fromMysql2Pool, mysql2Target } from './mysql/mysql2-adapter';
import { fromBetterSqlite3, isBetterSqlite3 } from './sqlite/better-sqlite3-adapter';

/**
 * The one place that knows databases by name: which dialects exist, the URL schemes and the driver and ORM
 * names that lead to each, and how a connection's server decides between MySQL and MariaDB. Dialects load
 * lazily, so a PostgreSQL user never loads MySQL code (or its driver). Adding a database: its folder under
 * dialects/ and one entry here (packages/README.md lists the files).
 */
export type DialectName = 'postgres' | 'mysql' | 'mariadb' | 'sqlite';

interface Entry {
  /** How messages name the database. */
  readonly label: string;
  readonly load: () => Promise<Dialect>;
  /** URL schemes, with the colon, that open this dialect. */
  readonly schemes: readonly string[];
  /**
   * Other names ORMs and drivers give the same database: knex clients (`pg`, `mysql2`, `better-sqlite3`),
   * TypeORM driver types, Prisma datasource providers. A Queryable may declare any of them.
   */
  readonly aliases: readonly string[];
  /**
   * Whether the schemas in scope are the ones a connection's search path names (PostgreSQL); elsewhere a
   * schema is a database (MySQL) or an attached file (SQLite), and an ORM's search path setting means nothing.
   */
  readonly searchPathSchemas: boolean;
  /**
   * Whether seqsync must begin each batch's transaction itself rather than join one a library opened:
   * MySQL/MariaDB set REPEATABLE READ before START TRANSACTION and end a reset with DDL (which commits
   * implicitly), SQLite takes its write lock up front with BEGIN IMMEDIATE. PostgreSQL can join.
   */
  readonly beginsOwnTransaction: boolean;
  /**
   * The statement that leaves a transaction open again after seqsync's COMMIT, where the database refuses a
   * wrapper's closing COMMIT with none open (SQLite); null where that COMMIT is harmless.
   */
  readonly reopenAfterCommit: string | null;
  /**
   * Which names the database compares without regard to case: SQLite's table and column names, MySQL's column names
   * (its table names follow the file system, case-sensitive on Linux by default). A cutover matches such names so.
   */
  readonly nameCase: { readonly tablesFold: boolean; readonly columnsFold: boolean };
  /** A URL the database's own clients accept but WHATWG parsing refuses (libpq's hostless `postgres://user@/db`). */
  readonly parseUnusualUrl?: (text: string) => URL | null;
  /** The one schema a URL of this dialect names as a run's scope (Prisma's `?schema=` on PostgreSQL), or null. */
  readonly urlSchema?: (url: URL) => string | null;
}

const entries: Readonly<Record<DialectName, Entry>> = {
  postgres: {
    label: 'PostgreSQL',
    load: async () => new (await import('./postgres/postgres-dialect')).PostgresDialect(),
    schemes: ['postgres:', 'postgresql:'],
    aliases: ['postgresql', 'pg', 'prisma+postgres'],
    searchPathSchemas: true,
    beginsOwnTransaction: false,
    reopenAfterCommit: null,
    nameCase: { tablesFold: false, columnsFold: false },
    parseUnusualUrl: hostlessPostgresUrl,
    urlSchema,
  },
  mysql: {
    label: 'MySQL',
    load: async () => new (await import('./mysql/mysql-dialect')).MysqlDialect(),
    schemes: ['mysql:'],
    aliases: ['mysql2', 'aurora-mysql'],
    searchPathSchemas: false,
    beginsOwnTransaction: true,
    reopenAfterCommit: null,
    nameCase: { tablesFold: false, columnsFold: true },
  },
  mariadb: {
    label: 'MariaDB',
    load: async () => new (await import('./mysql/mariadb-dialect')).MariadbDialect(),
    schemes: ['mariadb:'],
    aliases: [],
    searchPathSchemas: false,
    beginsOwnTransaction: true,
    reopenAfterCommit: null,
    nameCase: { tablesFold: false, columnsFold: true },
  },
  sqlite: {
    label: 'SQLite',
    load: async () => new (await import('./sqlite/sqlite-dialect')).SqliteDialect(),
    // `file:` is Prisma's form for a SQLite database file.
    schemes: ['sqlite:', 'file:'],
    aliases: ['better-sqlite3', 'sqljs', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native'],
    searchPathSchemas: false,
    beginsOwnTransaction: true,
    reopenAfterCommit: 'BEGIN',
    nameCase: { tablesFold: true, columnsFold: true },
  },
};

/** Names of databases seqsync is asked about but has no dialect for, so the refusal names them properly. */
const unsupportedLabels: Readonly<Record<string, string>> = {
  cockroachdb: 'CockroachDB',
  sqlserver: 'SQL Server',
  mssql: 'SQL Server',
  oracle: 'Oracle',
  mongodb: 'MongoDB',
  'aurora-postgres': 'Aurora PostgreSQL (Data API)',
  sap: 'SAP HANA',
  spanner: 'Spanner',
};

/** What a Queryable declares when it declares nothing: the database seqsync was built for first. */
const DEFAULT_DIALECT: DialectName = 'postgres';

/** The two servers of the MySQL family; which one a connection reached, only the server can say. */
const MYSQL_FAMILY: ReadonlySet<DialectName> = new Set(['mysql', 'mariadb']);

const byName = new Map<string, DialectName>();
for (const [name, entry] of Object.entries(entries) as [DialectName, Entry][]) {
  byName.set(name, name);
  for (const alias of entry.aliases) byName.set(alias, name);
}

const SUPPORTED = 'PostgreSQL, MySQL/MariaDB and SQLite';

/**
 * The dialect a driver, ORM or Queryable name stands for (`pg` → `postgres`, TypeORM's `better-sqlite3` →
 * `sqlite`). For the MySQL family this is only the family: the server decides (see {@link dialectOf}).
 *
 * @throws SeqsyncError `UNSUPPORTED_DATABASE` naming the database and what seqsync supports.
 */
export function dialectNameOf(name: string | undefined): DialectName {
  if (name === undefined) return DEFAULT_DIALECT;
  const known = byName.get(name);
  if (known !== undefined) return known;
  const label = unsupportedLabels[name];
  throw new SeqsyncError('UNSUPPORTED_DATABASE', label === undefined
    ? `unsupported dialect ${JSON.stringify(name)}: seqsync realigns ${SUPPORTED} `
      + `(expected ${Object.keys(entries).map((n) => JSON.stringify(n)).join(', ')})`
    : `${label} (${JSON.stringify(name)}) is not supported: seqsync realigns ${SUPPORTED}`);
}

/** What a library adapting its connection onto a Queryable must know about a database (see Entry). */
export interface DialectTraits
  extends Pick<Entry, 'label' | 'searchPathSchemas' | 'beginsOwnTransaction' | 'reopenAfterCommit' | 'nameCase'> {
  readonly name: DialectName;
}

/** The traits of a dialect, driver or ORM name (see {@link dialectNameOf}); the MySQL family shares them. */
export function dialectTraits(name: string | undefined): DialectTraits {
  const resolved = dialectNameOf(name);
  const { label, searchPathSchemas, beginsOwnTransaction, reopenAfterCommit, nameCase } = entries[resolved];
  return { name: resolved, label, searchPathSchemas, beginsOwnTransaction, reopenAfterCommit, nameCase };
}

export function dialectNameForUrl(url: URL): DialectName {
  for (const [name, entry] of Object.entries(entries) as [DialectName, Entry][]) {
    if (entry.schemes.includes(url.protocol)) return name;
  }
  const schemes = Object.values(entries).flatMap((entry) => entry.schemes.map((s) => (s === 'file:' || s === 'sqlite:' ? s : `${s}//`)));
  throw new SeqsyncError('UNSUPPORTED_DATABASE',
    `unsupported database ${JSON.stringify(url.protocol)}: `
    + `expected a ${schemes.slice(0, -1).join(', ')} or ${schemes[schemes.length - 1]} URL`);
}

/** A URL WHATWG parsing refuses that one dialect's clients accept, read as they read it; null when none does. */
export function parseUnusualUrl(text: string): URL | null {
  for (const entry of Object.values(entries)) {
    const url = entry.parseUnusualUrl?.(text) ?? null;
    if (url !== null) return url;
  }
  return null;
}

/** The schema a URL names as its run's scope, or null (a URL of an unknown scheme names none). */
export function urlSchemaOf(url: URL): string | null {
  const entry = Object.values(entries).find((candidate) => candidate.schemes.includes(url.protocol));
  return entry?.urlSchema?.(url) ?? null;
}

export function loadDialect(name: DialectName): Promise<Dialect> {
  return entries[name].load();
}

/**
 * The dialect for a connection. A MySQL-family connection may reach MySQL or MariaDB whatever it was
 * declared (`mysql://`, TypeORM's "mysql" driver and Prisma's "mysql" provider reach both), and they differ
 * where it matters (MariaDB has SEQUENCE objects): the server's version string decides — from the
 * connection's greeting when the adapter kept it, else asked once with `VERSION()`.
 */
export async function dialectOf(db: Queryable): Promise<Dialect> {
  const declared = dialectNameOf(db.dialect);
  if (!MYSQL_FAMILY.has(declared)) return loadDialect(declared);
  let version = db.serverVersion;
  if (version === undefined) {
    try {
      version = await askServerVersion(db);
    } catch (error) {
      throw (await loadDialect(declared)).translateError(error, { phase: 'connect' });
    }
  }
  return loadDialect(/mariadb/i.test(version) ? 'mariadb' : 'mysql');
}

/**
 * A driver object the caller owns, recognised by its shape (no driver is imported): a pg Pool or Client,
 * PGlite, a postgres.js `sql` (its pool, a reserved connection or a transaction), a better-sqlite3 Database, a mysql2
 * Pool or Connection in either API, or any Queryable. Null for anything else.
 */
export async function adaptDriverObject(db: object): Promise<Queryable | null> {
  if (isPgPool(db)) return fromPgPool(db);
  if (isPgClient(db)) return fromPgClient(db);
  if (isPGlite(db)) return fromPGlite(db);
  if (isPGliteTransaction(db)) return fromPGliteTransaction(db);
  if (isPostgresJs(db)) return fromPostgresJs(db);
  if (isBetterSqlite3(db)) return fromBetterSqlite3(db);
  const mysql2 = mysql2Target(db);
  if (mysql2 !== null) return 'pool' in mysql2 ? fromMysql2Pool(mysql2.pool) : adaptMysql2Connection(mysql2.connection);
  if (typeof (db as Queryable).query === 'function') return db as Queryable;
  return null;
}

async function askServerVersion(db: Queryable): Promise<string> {
  const rows = await db.query<{ version?: unknown }>('SELECT VERSION() AS version');
  return String(rows[0]?.version ?? '');
}

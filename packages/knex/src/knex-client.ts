import type { Knex } from 'knex';
import { SeqsyncError } from '@seqsync/core';

/**
 * The parts of a knex client seqsync uses. knex types `knex.client` as `any`, so the shape is spelled
 * out once here and everything else works against it.
 */
export interface KnexClientLike {
  /** `pg`, `mysql2`, `better-sqlite3`, … — set by knex's dialect class, also for the client aliases (`postgres`, `postgresql`). */
  readonly driverName?: string;
  readonly config?: { readonly searchPath?: string | readonly string[] };
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/** A knex instance or a knex transaction (`trx`), as seqsync sees it. */
export interface KnexLike {
  readonly client: KnexClientLike;
  /** True for a `trx` handed out by `knex.transaction()` or passed to a migration. */
  readonly isTransaction?: boolean;
  isCompleted?(): boolean;
}

/** What seqsync can do with a knex driver: which connection knex hands out, or why it is refused. */
export type KnexDriver = 'pg' | 'mysql2' | 'better-sqlite3';

interface DriverSupport {
  readonly database: string;
  /** The connection kind knex hands out for it; absent when refused. */
  readonly driver?: KnexDriver;
  /** For refused drivers: what to use instead. */
  readonly instead?: string;
}

/**
 * The one place that branches on a knex driver name. `pg-native`, CockroachDB and Redshift reuse knex's
 * PostgreSQL client, but their connections or catalogs differ from what core's PostgreSQL dialect was
 * proven against, so they are refused by name rather than half-working. The same goes for the older
 * `mysql` and `sqlite3` drivers, whose connections core has no adapter for.
 */
const drivers: Readonly<Record<string, DriverSupport>> = {
  pg: { database: 'PostgreSQL', driver: 'pg' },
  mysql2: { database: 'MySQL/MariaDB', driver: 'mysql2' },
  'better-sqlite3': { database: 'SQLite', driver: 'better-sqlite3' },
  mysql: { database: 'MySQL/MariaDB through the mysql driver', instead: 'use knex\'s "mysql2" client' },
  sqlite3: { database: 'SQLite through the sqlite3 driver', instead: 'use knex\'s "better-sqlite3" client' },
  pgnative: { database: 'PostgreSQL through pg-native', instead: 'use knex\'s "pg" client' },
  cockroachdb: { database: 'CockroachDB' },
  'pg-redshift': { database: 'Amazon Redshift' },
  mssql: { database: 'SQL Server' },
  oracle: { database: 'Oracle' },
  oracledb: { database: 'Oracle' },
};

const SUPPORTED = 'PostgreSQL through knex\'s "pg" client, MySQL/MariaDB through "mysql2" and SQLite through "better-sqlite3"';

/**
 * Checks the argument is a knex instance or transaction on a supported driver, before any connection is
 * taken: an unsupported database fails loudly instead of realigning nothing.
 */
export function knexOf(knex: Knex): KnexLike {
  const candidate = knex as unknown as Partial<KnexLike> | null;
  const client = candidate?.client;
  if (client == null || typeof client.acquireConnection !== 'function' || typeof client.releaseConnection !== 'function') {
    throw new SeqsyncError('INVALID_OPTION', 'expected a knex instance or a knex transaction (trx)');
  }
  driverOf(client);
  return candidate as KnexLike;
}

/** The driver behind a knex instance, or UNSUPPORTED_DATABASE naming the database and what to use instead. */
export function driverOf(client: KnexClientLike): KnexDriver {
  const name = client.driverName ?? '(none)';
  const support = drivers[name];
  if (support?.driver !== undefined) return support.driver;
  if (support === undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE', `unsupported knex client ${JSON.stringify(name)}: @seqsync/knex realigns ${SUPPORTED}`);
  }
  throw new SeqsyncError('UNSUPPORTED_DATABASE',
    `${support.database} (knex client ${JSON.stringify(name)}) is not supported: ${support.instead ?? `@seqsync/knex realigns ${SUPPORTED}`}`);
}

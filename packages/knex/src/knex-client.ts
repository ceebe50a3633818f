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

/** What seqsync can do with a knex driver. */
interface DriverSupport {
  readonly database: string;
  /** A core dialect is planned for it (MySQL, SQLite): say "not supported yet" rather than "not supported". */
  readonly planned: boolean;
  readonly supported: boolean;
}

/**
 * The one place that branches on a knex driver name. `pg-native`, CockroachDB and Redshift reuse knex's
 * PostgreSQL client, but their connections or catalogs differ from what core's PostgreSQL dialect was
 * proven against, so they are refused by name rather than half-working.
 */
const drivers: Readonly<Record<string, DriverSupport>> = {
  pg: { database: 'PostgreSQL', planned: false, supported: true },
  mysql: { database: 'MySQL/MariaDB', planned: true, supported: false },
  mysql2: { database: 'MySQL/MariaDB', planned: true, supported: false },
  mariadb: { database: 'MySQL/MariaDB', planned: true, supported: false },
  sqlite3: { database: 'SQLite', planned: true, supported: false },
  'better-sqlite3': { database: 'SQLite', planned: true, supported: false },
  pgnative: { database: 'PostgreSQL through pg-native', planned: false, supported: false },
  cockroachdb: { database: 'CockroachDB', planned: false, supported: false },
  'pg-redshift': { database: 'Amazon Redshift', planned: false, supported: false },
  mssql: { database: 'SQL Server', planned: false, supported: false },
  oracle: { database: 'Oracle', planned: false, supported: false },
  oracledb: { database: 'Oracle', planned: false, supported: false },
};

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
  assertSupportedDriver(client.driverName);
  return candidate as KnexLike;
}

function assertSupportedDriver(driverName: string | undefined): void {
  const name = driverName ?? '(none)';
  const support = drivers[name];
  if (support?.supported === true) return;
  if (support === undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE',
      `unsupported knex client ${JSON.stringify(name)}: @seqsync/knex realigns PostgreSQL through knex's "pg" client`);
  }
  const when = support.planned ? 'is not supported yet' : 'is not supported';
  throw new SeqsyncError('UNSUPPORTED_DATABASE',
    `${support.database} (knex client ${JSON.stringify(name)}) ${when}: @seqsync/knex currently realigns PostgreSQL only, through knex's "pg" client`);
}

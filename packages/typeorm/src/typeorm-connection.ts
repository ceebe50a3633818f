import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Queryable } from '@seqsync/core';
import { SeqsyncError, dialectNameOf } from '@seqsync/core';

/** What the API accepts: a DataSource, or an EntityManager (possibly the one a transaction hands you). */
export type TypeormTarget = DataSource | EntityManager;

/**
 * The dialect a DataSource declares: TypeORM's driver type itself (`postgres`, `mysql`, `mariadb`,
 * `better-sqlite3`, …), which core reads as an alias. Checked here so an unsupported driver (`mssql`,
 * `cockroachdb`, …) fails before any query; for MySQL and MariaDB core asks the server which one it is.
 */
export function dialectOfDataSource(dataSource: DataSource): string {
  const type = String(dataSource.options.type);
  dialectNameOf(type);
  return type;
}

/**
 * Every query goes through a TypeORM QueryRunner, so the DataSource's logger, replication choice and
 * query subscribers see seqsync's statements like any other.
 *
 * `multiStatement` stays unset on purpose: for a script node-postgres returns one result per statement,
 * and `QueryRunner.query` then yields no rows at all (it only reads `raw.rows` of a single result), so
 * core could not read the lock-and-read script's answer. One statement per round trip is correct.
 */
export function queryableFor(target: TypeormTarget, dialect: string): Queryable {
  if (isDataSource(target)) return fromDataSource(target, dialect);
  if (isEntityManager(target)) {
    const queryRunner = target.queryRunner;
    return queryRunner === undefined ? fromDataSource(dataSourceOfOwner(target), dialect) : fromQueryRunner(queryRunner, dialect);
  }
  throw new SeqsyncError('INVALID_OPTION', 'expected a TypeORM DataSource or EntityManager');
}

/** The DataSource behind a target. */
export function dataSourceOf(target: TypeormTarget): DataSource {
  if (isDataSource(target)) return target;
  if (isEntityManager(target)) return dataSourceOfOwner(target);
  throw new SeqsyncError('INVALID_OPTION', 'expected a TypeORM DataSource or EntityManager');
}

/** Whatever TypeORM hands out with its DataSource attached: a QueryRunner, an EntityManager, a subscriber event. */
export interface DataSourceOwner {
  readonly dataSource?: DataSource;
  readonly connection?: DataSource;
}

/**
 * The DataSource a QueryRunner, EntityManager or subscriber event belongs to. TypeORM 1.0 calls it `dataSource`
 * (keeping `connection` as a deprecated alias); 0.3 has only `connection`, so `dataSource` alone is undefined there.
 */
export function dataSourceOfOwner(owner: DataSourceOwner): DataSource {
  return (owner.dataSource ?? owner.connection) as DataSource;
}

/**
 * One QueryRunner as a Queryable. Inside a transaction TypeORM owns (an EntityManager from
 * `dataSource.transaction`, a migration's runner) core must neither BEGIN nor COMMIT, so `transaction`
 * hands back this same connection; outside one, core opens and commits its own transaction on it.
 */
export function fromQueryRunner(queryRunner: QueryRunner, dialect: string): Queryable {
  const self: Queryable = {
    dialect,
    query: (sql, params) => runOn(queryRunner, sql, params),
    ...(queryRunner.isTransactionActive ? { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(self) } : {}),
  };
  return self;
}

/** Catalog reads borrow a runner per query; each batch leases one runner for its whole transaction. */
function fromDataSource(dataSource: DataSource, dialect: string): Queryable {
  return {
    dialect,
    query: (sql, params) => withQueryRunner(dataSource, (queryRunner) => runOn(queryRunner, sql, params)),
    connection: (fn) => withQueryRunner(dataSource, (queryRunner) => fn(fromQueryRunner(queryRunner, dialect))),
  };
}

async function withQueryRunner<T>(dataSource: DataSource, fn: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
  if (!dataSource.isInitialized) {
    throw new SeqsyncError('INVALID_OPTION', 'the DataSource is not initialized: await dataSource.initialize() first');
  }
  // Writes (setval) must reach the primary when replication is configured.
  const queryRunner = dataSource.createQueryRunner('master');
  try {
    await queryRunner.connect();
    return await fn(queryRunner);
  } finally {
    await queryRunner.release();
  }
}

async function runOn<Row extends object>(queryRunner: QueryRunner, sql: string, params?: readonly unknown[]): Promise<Row[]> {
  // The structured result carries the rows of every statement kind; the plain one is `[rows, count]` for UPDATE.
  const result = await queryRunner.query(sql, params === undefined || params.length === 0 ? undefined : [...params], true);
  return (result.records ?? []) as Row[];
}

// Duck-typed rather than `instanceof`, which fails across two copies of typeorm (as TypeORM's own checks do).
function isDataSource(value: unknown): value is DataSource {
  const candidate = value as Partial<DataSource> | null;
  return candidate !== null && typeof candidate === 'object'
    && typeof candidate.createQueryRunner === 'function' && Array.isArray(candidate.entityMetadatas);
}

function isEntityManager(value: unknown): value is EntityManager {
  const candidate = value as Partial<EntityManager> | null;
  return candidate !== null && typeof candidate === 'object'
    && typeof candidate.transaction === 'function' && isDataSource(dataSourceOfOwner(candidate));
}

import type { DataSource } from 'typeorm';
import { SeqsyncError } from '@seqsync/core';

/**
 * The one place that branches on TypeORM's driver name: each maps to the seqsync dialect that realigns
 * it. Every query goes through TypeORM's own QueryRunner, so the SQLite family shares one dialect
 * whatever the binding (better-sqlite3 is the one this package is tested with).
 */
const DIALECTS: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
  'better-sqlite3': 'sqlite',
  sqlite: 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  cordova: 'sqlite',
  expo: 'sqlite',
  nativescript: 'sqlite',
  'react-native': 'sqlite',
};

/**
 * The seqsync dialect for a DataSource. For the MySQL family the server decides, not `type`: TypeORM's
 * "mysql" driver is routinely pointed at MariaDB. Once initialized, the driver holds the server version;
 * MariaDB numbers its releases from 10 on (MySQL is at 9), and core checks the guess against `VERSION()`.
 */
export function seqsyncDialectOf(dataSource: DataSource): string {
  const type = String(dataSource.options.type);
  const dialect = seqsyncDialectForDriver(type);
  if (dialect !== 'mysql') return dialect;
  const version = (dataSource.driver as { version?: string } | undefined)?.version;
  if (version === undefined) return type === 'mariadb' ? 'mariadb' : 'mysql';
  return Number(/^(\d+)/.exec(version)?.[1] ?? 0) >= 10 ? 'mariadb' : 'mysql';
}

/**
 * The seqsync dialect family for a TypeORM driver name (`DataSourceOptions.type`): `postgres`, `mysql`
 * (MySQL and MariaDB) or `sqlite`.
 *
 * @throws SeqsyncError `UNSUPPORTED_DATABASE` for drivers seqsync has no dialect for (mssql, oracle,
 * cockroachdb, mongodb, aurora-postgres, sap, spanner).
 */
export function seqsyncDialectForDriver(driver: string): string {
  const dialect = DIALECTS[driver];
  if (dialect === undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE',
      `TypeORM driver "${driver}" is not supported: seqsync realigns PostgreSQL ("postgres"), MySQL/MariaDB ("mysql", "mariadb") and SQLite ("better-sqlite3", "sqlite", "sqljs")`);
  }
  return dialect;
}

import type { DataSource } from 'typeorm';
import { SeqsyncError } from '@seqsync/core';

/**
 * The one place that branches on TypeORM's driver name: each maps to the seqsync dialect that would
 * realign it. Core rejects the dialects it does not implement yet (`mysql`, `sqlite`) with an
 * UNSUPPORTED_DATABASE "not supported yet" error before any query is sent, so they fail loudly today
 * and start working, unchanged here, the day core gains them.
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

/** The seqsync dialect for a DataSource's driver; see {@link seqsyncDialectForDriver}. */
export function seqsyncDialectOf(dataSource: DataSource): string {
  return seqsyncDialectForDriver(String(dataSource.options.type));
}

/**
 * The seqsync dialect for a TypeORM driver name (`DataSourceOptions.type`).
 *
 * @throws SeqsyncError `UNSUPPORTED_DATABASE` for drivers with no planned dialect (mssql, oracle,
 * cockroachdb, mongodb, aurora-postgres, sap, spanner).
 */
export function seqsyncDialectForDriver(driver: string): string {
  const dialect = DIALECTS[driver];
  if (dialect === undefined) {
    throw new SeqsyncError('UNSUPPORTED_DATABASE',
      `TypeORM driver "${driver}" is not supported: seqsync realigns PostgreSQL (driver "postgres"); MySQL/MariaDB and SQLite are planned`);
  }
  return dialect;
}

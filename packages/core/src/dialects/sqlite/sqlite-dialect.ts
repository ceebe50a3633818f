import type { Queryable } from '../../types';
import type { BatchConnection, BatchForm, DatabaseIdentity, Dialect, RunRequest } from '../../dialect';
import type { RawLiveRow, SqliteCatalog, SqliteTable } from './sqlite-introspect';
import type { SqliteStep } from './sqlite-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { tableKey } from '../../table-names';
import { liveStateSql, loadCatalog, readLiveState } from './sqlite-introspect';
import { planCounter } from './sqlite-plan';
import { previewBatch, writeBatch } from './sqlite-apply';
import { qualifiedName, quoteIdent } from './sqlite-sql';
import { translateSqliteError } from './sqlite-errors';
import { connectSqlite } from './sqlite-connect';
import type { CounterOutline } from '../../cutover-match';
import { ROWID_BOUNDS } from './sqlite-plan';

/**
 * SQLite: tables declared `INTEGER PRIMARY KEY AUTOINCREMENT`, whose high-water mark lives in
 * sqlite_sequence. One transaction for every table unless `batchSize` asks for more: SQLite locks the whole
 * database anyway and has no lock table to run out of, so batching would only add commits.
 */
export class SqliteDialect implements Dialect<SqliteCatalog, SqliteTable, SqliteStep> {
  readonly name = 'sqlite';
  /** Takes the write lock before reading (see sqlite-apply). */
  readonly beginStatements = ['BEGIN IMMEDIATE'];
  readonly quoteIdent = quoteIdent;
  readonly connect = connectSqlite;
  readonly introspect = loadCatalog;
  readonly translateError = translateSqliteError;

  outline(catalog: SqliteCatalog): CounterOutline[] {
    return catalog.tables.map((table) => ({
      schema: table.schema, name: table.table, start: 1n, increment: 1n, bounds: ROWID_BOUNDS,
      uses: [{ schema: table.schema, table: table.table, column: table.column }],
    }));
  }

  /** The main database's file; an in-memory database is one of a kind (the engine also compares connections). */
  async identify(db: Queryable): Promise<DatabaseIdentity> {
    const rows = await db.query<{ name: string; file: string }>('PRAGMA database_list');
    const file = rows.find((row) => row.name === 'main')?.file ?? '';
    return { server: file === '' ? `sqlite-memory:${Math.random()}` : `sqlite:${file}`, database: 'main' };
  }


  /** SQLite has no privileges beyond the file's: a read-only file fails the write, rolled back. */
  assertPrivileges(): void {}

  batches(catalog: SqliteCatalog, request: RunRequest): SqliteTable[][] {
    const items = catalog.tables.map((table) => ({ table, tables: [tableKey(table.schema, table.table)], weight: 1 }));
    return packBatches(items, Infinity, request.batchSize ?? Infinity).map((batch) => batch.map((item) => item.table));
  }

  /** One statement, which SQLite reads as one consistent snapshot. */
  async inspectBatch(
    connection: BatchConnection, _catalog: SqliteCatalog, batch: readonly SqliteTable[], request: RunRequest,
  ): Promise<SqliteStep[]> {
    const states = readLiveState(batch, await connection.send<RawLiveRow>([liveStateSql(batch)]));
    return batch.map((table, index) => planCounter(table, states[index], request));
  }

  previewStatements(
    form: BatchForm, _catalog: SqliteCatalog, batch: readonly SqliteTable[], steps: readonly SqliteStep[], request: RunRequest,
  ): string[] {
    return previewBatch(form, batch, steps, request.lockTimeoutMs);
  }

  writeBatch(
    connection: BatchConnection, _catalog: SqliteCatalog, batch: readonly SqliteTable[], request: RunRequest,
  ): Promise<SqliteStep[]> {
    return writeBatch(connection, batch, request, request.lockTimeoutMs);
  }

  async explainLockTimeout(
    _connection: Queryable | null, batch: readonly SqliteTable[], error: SeqsyncError, request: RunRequest,
  ): Promise<SeqsyncError> {
    const names = [...new Set(batch.map((table) => qualifiedName(table.schema, table.table)))];
    return new SeqsyncError('LOCK_TIMEOUT', `lock timeout after ${request.lockTimeoutMs} ms waiting for the database write lock `
      + `(tables ${names.join(', ')}): another connection is writing; nothing in this batch was changed`, { cause: error.cause ?? error });
  }
}

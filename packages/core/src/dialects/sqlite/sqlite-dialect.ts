import type { Queryable } from '../../types';
import type { Dialect, DialectResult, RunRequest } from '../../dialect';
import type { SqliteCatalog } from './sqlite-introspect';
import { loadCatalog, loadLiveState } from './sqlite-introspect';
import { planTable, writeStatements } from './sqlite-plan';
import { applyTables } from './sqlite-apply';
import { quoteIdent, sqlInteger } from './sqlite-sql';
import { translateSqliteError } from './sqlite-errors';
import { connectSqlite } from './sqlite-connect';

/**
 * SQLite: tables declared `INTEGER PRIMARY KEY AUTOINCREMENT`, whose high-water mark lives in
 * sqlite_sequence. One transaction for every table: SQLite locks the whole database anyway and has no
 * lock table to run out of, so batching would only add commits.
 */
export class SqliteDialect implements Dialect<SqliteCatalog> {
  readonly name = 'sqlite';

  quoteIdent(identifier: string): string {
    return quoteIdent(identifier);
  }

  connect = connectSqlite;

  introspect(db: Queryable, request: RunRequest): Promise<SqliteCatalog> {
    return loadCatalog(db, { schemas: request.schemas, include: request.tables, exclude: request.exclude });
  }

  async inspect(db: Queryable, catalog: SqliteCatalog, request: RunRequest): Promise<DialectResult> {
    const states = await loadLiveState(db, catalog.tables);
    const steps = catalog.tables.map((table, index) => planTable(table, states[index], request.mode));
    const writes = writeStatements(steps);
    // What realign would send (it re-reads the data after BEGIN IMMEDIATE first).
    const statements = writes.length === 0 ? [] : [`PRAGMA busy_timeout = ${sqlInteger(request.lockTimeoutMs)}`, 'BEGIN IMMEDIATE', ...writes, 'COMMIT'];
    request.onProgress?.(1, 1);
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: 0 };
  }

  async apply(db: Queryable, catalog: SqliteCatalog, request: RunRequest): Promise<DialectResult> {
    const statements: string[] = [];
    const options = { mode: request.mode, lockTimeoutMs: request.lockTimeoutMs, statements };
    let steps;
    try {
      steps = await inTransaction(db, (tx, owns) => applyTables(tx, catalog.tables, options, owns));
    } catch (error) {
      throw this.translateError(error, { phase: 'run' });
    }
    request.onProgress?.(1, 1);
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: 1 };
  }

  translateError = translateSqliteError;
}

function inTransaction<T>(db: Queryable, fn: (tx: Queryable, ownsTransaction: boolean) => Promise<T>): Promise<T> {
  if (db.transaction) return db.transaction((tx) => fn(tx, false));
  if (db.connection) return db.connection((connection) => fn(connection, true));
  return fn(db, true);
}

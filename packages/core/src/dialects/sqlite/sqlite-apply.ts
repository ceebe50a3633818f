import type { Mode, Queryable } from '../../types';
import type { RawLiveRow, SqliteTable } from './sqlite-introspect';
import type { SqliteStep } from './sqlite-plan';
import { SeqsyncError } from '../../errors';
import { liveStateSql, readLiveState } from './sqlite-introspect';
import { planTable, writeStatements } from './sqlite-plan';
import { qualifiedName, sqlInteger } from './sqlite-sql';

export interface ApplyOptions {
  readonly mode: Mode;
  readonly lockTimeoutMs: number;
  /** Every statement sent is appended here, for the report. */
  readonly statements: string[];
}

/**
 * The only code that writes. One transaction: BEGIN IMMEDIATE takes the database's write lock up front,
 * so no other connection can insert between the read and the write (readers go on; in WAL mode even
 * while we hold it). A plain BEGIN would read under a shared lock and could fail to upgrade it with
 * SQLITE_BUSY after the read — or, worse, let another writer in between. `busy_timeout` bounds the wait
 * for the lock and is put back afterwards. Inside a transaction the caller owns there is no BEGIN/COMMIT.
 */
export async function applyTables(connection: Queryable, tables: readonly SqliteTable[], options: ApplyOptions, ownsTransaction: boolean): Promise<SqliteStep[]> {
  const statements = options.statements;
  const run = async <Row extends object>(sql: string): Promise<Row[]> => {
    statements.push(sql);
    return connection.query<Row>(sql);
  };
  const [previous] = await connection.query<{ timeout: number }>('PRAGMA busy_timeout');
  await run(`PRAGMA busy_timeout = ${sqlInteger(options.lockTimeoutMs)}`);
  let open = false;
  try {
    if (ownsTransaction) {
      await run('BEGIN IMMEDIATE');
      open = true;
    }
    const rows = tables.length === 0 ? [] : await run<RawLiveRow>(liveStateSql(tables));
    const states = readLiveState(tables, rows);
    const steps = tables.map((table, index) => planTable(table, states[index], options.mode));
    for (const sql of writeStatements(steps)) await run(sql);
    if (ownsTransaction) await run('COMMIT');
    open = false;
    return steps;
  } catch (error) {
    if (open) await connection.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string } | null)?.code?.startsWith('SQLITE_BUSY')) {
      const names = [...new Set(tables.map((t) => qualifiedName(t.schema, t.table)))];
      throw new SeqsyncError('LOCK_TIMEOUT',
        `lock timeout after ${options.lockTimeoutMs} ms waiting for the database write lock (tables ${names.join(', ')}): another connection is writing; nothing was changed`, { cause: error });
    }
    throw error;
  } finally {
    await connection.query(`PRAGMA busy_timeout = ${sqlInteger(previous?.timeout ?? 0)}`).catch(() => undefined);
  }
}

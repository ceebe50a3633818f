import type { Mode } from '../../types';
import type { BatchConnection } from '../../dialect';
import type { RawLiveRow, SqliteTable } from './sqlite-introspect';
import type { SqliteStep } from './sqlite-plan';
import { liveStateSql, readLiveState } from './sqlite-introspect';
import { planCounter, writeStatements } from './sqlite-plan';
import { sqlInteger } from './sqlite-sql';

/**
 * The only code that writes. One transaction: BEGIN IMMEDIATE takes the database's write lock up front,
 * so no other connection can insert between the read and the write (readers go on; in WAL mode even
 * while we hold it). A plain BEGIN would read under a shared lock and could fail to upgrade it with
 * SQLITE_BUSY after the read — or, worse, let another writer in between. `busy_timeout` bounds the wait
 * for the lock and is put back afterwards. Inside a transaction the caller owns there is no BEGIN/COMMIT.
 */
export async function writeBatch(
  connection: BatchConnection, tables: readonly SqliteTable[], mode: Mode, lockTimeoutMs: number,
): Promise<SqliteStep[]> {
  const [previous] = await connection.queryable.query<{ timeout: number }>('PRAGMA busy_timeout');
  try {
    const rows = await connection.send<RawLiveRow>([
      `PRAGMA busy_timeout = ${sqlInteger(lockTimeoutMs)}`, ...connection.begin(), liveStateSql(tables),
    ]);
    const states = readLiveState(tables, rows);
    const steps = tables.map((table, index) => planCounter(table, states[index], mode));
    await connection.send([...writeStatements(steps), ...connection.commit()]);
    return steps;
  } finally {
    await connection.queryable.query(`PRAGMA busy_timeout = ${sqlInteger(previous?.timeout ?? 0)}`).catch(() => undefined);
  }
}

/** What `writeBatch` sends for a batch whose plan is `steps` (it re-reads the data after BEGIN IMMEDIATE first). */
export function previewBatch(steps: readonly SqliteStep[], lockTimeoutMs: number): string[] {
  const writes = writeStatements(steps);
  return writes.length === 0 ? [] : [`PRAGMA busy_timeout = ${sqlInteger(lockTimeoutMs)}`, 'BEGIN IMMEDIATE', ...writes, 'COMMIT'];
}

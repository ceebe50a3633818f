import type { DecisionRule } from '../../sequence-decision';
import type { BatchConnection, BatchForm } from '../../dialect';
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
  connection: BatchConnection, tables: readonly SqliteTable[], rule: DecisionRule, lockTimeoutMs: number,
): Promise<SqliteStep[]> {
  const [previous] = await connection.queryable.query<{ timeout: number }>('PRAGMA busy_timeout');
  const script = batchStatements(connection, tables, lockTimeoutMs);
  try {
    const states = readLiveState(tables, await connection.send<RawLiveRow>(script.open));
    const steps = tables.map((table, index) => planCounter(table, states[index], rule));
    await connection.send(script.write(steps));
    return steps;
  } finally {
    await connection.queryable.query(`PRAGMA busy_timeout = ${sqlInteger(previous?.timeout ?? 0)}`).catch(() => undefined);
  }
}

/**
 * One batch's write as it is sent, in two sends: what writeBatch executes and a dry run lists (previewBatch). The
 * caller's busy_timeout, read before and put back after, is the connection's housekeeping, not the batch's: sent on
 * the Queryable itself, it is in no report's statements.
 */
interface BatchStatements {
  /** Our lock wait, the write lock taken (in seqsync's own transaction), the read. */
  readonly open: readonly string[];
  /** The writes `steps` plan, then the commit. */
  write(steps: readonly SqliteStep[]): string[];
}

function batchStatements(form: BatchForm, tables: readonly SqliteTable[], lockTimeoutMs: number): BatchStatements {
  return {
    open: [`PRAGMA busy_timeout = ${sqlInteger(lockTimeoutMs)}`, ...form.begin(), liveStateSql(tables)],
    write: (steps) => [...writeStatements(steps), ...form.commit()],
  };
}

/** What writeBatch would send for `tables` on a connection of this form, were its read after BEGIN IMMEDIATE to plan `steps`. */
export function previewBatch(
  form: BatchForm, tables: readonly SqliteTable[], steps: readonly SqliteStep[], lockTimeoutMs: number,
): string[] {
  const script = batchStatements(form, tables, lockTimeoutMs);
  return [...script.open, ...script.write(steps)];
}

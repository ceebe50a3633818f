import type { Mode, Queryable } from '../../types';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import type { RawLiveRow } from './postgres-introspect';
import { SeqsyncError } from '../../errors';
import { liveStateStatement, readLiveState } from './postgres-introspect';
import { lockStatement, planSequence, setvalStatement } from './postgres-plan';
import { qualifiedName, sqlInteger } from './postgres-sql';

export interface ApplyBatchOptions {
  readonly mode: Mode;
  readonly lockTimeoutMs: number;
  /** Every statement sent is appended here, for the report. */
  readonly statements: string[];
}

/**
 * The only code that writes. One batch, one transaction: lock every table feeding the batch's sequences,
 * read MAX/MIN and the sequence positions under the lock, plan again on what was read, setval, commit.
 * Planning on the locked state is what makes the result right under concurrent writers: no insert can
 * change MAX between reading and writing. A session calling nextval() directly is not stopped by a table
 * lock; in advance mode the setval itself accounts for that (see setvalStatement).
 *
 * With a multi-statement connection that is two round trips (lock+read, write+commit).
 *
 * `row_security` is off for the batch: a role that row-level security hides rows from would read a MAX()
 * below the real data and set the sequence into existing keys. With it off, such a read fails naming the
 * table instead (PERMISSION_DENIED), and the batch changes nothing.
 */
export async function applyBatch(connection: Queryable, batch: readonly PostgresSequence[], options: ApplyBatchOptions, ownsTransaction: boolean): Promise<PostgresStep[]> {
  const lock = lockStatement(batch);
  const scripted = connection.multiStatement === true;
  const live = liveStateStatement(batch);
  const statements = options.statements;
  let previousSettings: PreviousSettings | null = null;
  try {
    let rows: RawLiveRow[];
    if (scripted && ownsTransaction) {
      const script = ['BEGIN', `SET LOCAL lock_timeout = ${sqlInteger(options.lockTimeoutMs)}`, 'SET LOCAL row_security = off', lock, live.sql].filter(isStatement);
      statements.push(...script);
      rows = await connection.query<RawLiveRow>(script.join(';\n'));
    } else {
      if (ownsTransaction) await run(connection, statements, 'BEGIN');
      // Inside a transaction someone else owns, put their settings back once done.
      const previous = await run<PreviousSettings>(connection, statements,
        "SELECT current_setting('lock_timeout') AS \"lockTimeout\", current_setting('row_security') AS \"rowSecurity\", " +
        "pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('row_security', 'off', true)", [`${options.lockTimeoutMs}ms`]);
      previousSettings = ownsTransaction ? null : previous[0];
      if (lock !== null) await run(connection, statements, lock);
      rows = await run<RawLiveRow>(connection, statements, live.sql, live.params);
    }
    const states = readLiveState(batch, rows);
    const steps = batch.map((sequence) => planSequence(sequence, states.get(sequence.oid)!, options.mode));
    const setval = setvalStatement(steps, options.mode);
    if (scripted && ownsTransaction) {
      const script = [setval, 'COMMIT'].filter(isStatement);
      statements.push(...script);
      await connection.query(script.join(';\n'));
    } else {
      if (setval !== null) await run(connection, statements, setval);
      if (previousSettings !== null) {
        await run(connection, statements, "SELECT pg_catalog.set_config('lock_timeout', $1, true), pg_catalog.set_config('row_security', $2, true)",
          [previousSettings.lockTimeout, previousSettings.rowSecurity]);
      }
      if (ownsTransaction) await run(connection, statements, 'COMMIT');
    }
    return steps;
  } catch (error) {
    if (ownsTransaction) await connection.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '55P03') throw await lockTimeoutError(connection, batch, options.lockTimeoutMs, error, ownsTransaction);
    throw error;
  }
}

/** Names the table that could not be locked, and who holds it, by looking at pg_locks after the rollback. */
async function lockTimeoutError(connection: Queryable, batch: readonly PostgresSequence[], timeoutMs: number, cause: unknown, canQuery: boolean): Promise<SeqsyncError> {
  const tableOids = [...new Set(batch.flatMap((s) => s.uses.map((u) => u.tableOid)))];
  const allTables = [...new Set(batch.flatMap((s) => s.uses.map((u) => qualifiedName(u.schema, u.table))))];
  let blocked: { schema: string; table: string; pid: number; mode: string }[] = [];
  if (canQuery) {
    blocked = await connection.query<{ schema: string; table: string; pid: number; mode: string }>(
      `SELECT n.nspname AS "schema", c.relname AS "table", l.pid, l.mode
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_class c ON c.oid = l.relation
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE l.relation = ANY ($1::oid[]) AND l.granted AND l.pid <> pg_catalog.pg_backend_pid()
         AND l.mode NOT IN ('AccessShareLock', 'RowShareLock')
       ORDER BY 1, 2, 3`, [tableOids]).catch(() => []);
  }
  const named = blocked.length > 0
    ? blocked.map((b) => `${qualifiedName(b.schema, b.table)} (${b.mode} held by pid ${b.pid})`).join(', ')
    : allTables.join(', ');
  return new SeqsyncError('LOCK_TIMEOUT',
    `lock timeout after ${timeoutMs} ms waiting for table ${named}; nothing in this batch was changed`, { cause });
}

interface PreviousSettings { lockTimeout: string; rowSecurity: string }

async function run<Row extends object = Record<string, unknown>>(connection: Queryable, statements: string[], sql: string, params?: unknown[]): Promise<Row[]> {
  statements.push(sql);
  return connection.query<Row>(sql, params);
}

function isStatement(sql: string | null): sql is string {
  return sql !== null;
}

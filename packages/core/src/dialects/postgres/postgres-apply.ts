import type { Mode, Queryable } from '../../types';
import type { BatchConnection, Statement } from '../../dialect';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresLiveState, RawLiveRow } from './postgres-live-read';
import type { PostgresStep } from './postgres-plan';
import { SeqsyncError } from '../../errors';
import { liveStateStatement, readLiveState } from './postgres-live-read';
import { planCounter } from './postgres-plan';
import { lockStatement, setvalStatement } from './postgres-write-sql';
import { qualifiedName, sqlInteger } from './postgres-sql';

/**
 * The search path of every transaction seqsync runs: only pg_catalog, and the session's temporary schema last (it
 * cannot be left out, and last it is never searched for functions or operators). Every statement names its
 * functions, operators and types with their schema anyway; pinning the path as well means a name written
 * without one by mistake still cannot reach an object another role planted (CVE-2018-1058).
 */
const SEARCH_PATH = 'pg_catalog, pg_temp';

/**
 * The session settings of a batch inside a transaction seqsync does not own (or on a connection that takes no
 * scripts): read the caller's values first, so they can be put back, and set ours for this transaction only.
 */
const SAVE_AND_SET_SQL = 'SELECT pg_catalog.current_setting(\'lock_timeout\') AS "lockTimeout", '
  + 'pg_catalog.current_setting(\'row_security\') AS "rowSecurity", pg_catalog.current_setting(\'search_path\') AS "searchPath", '
  + 'pg_catalog.set_config(\'lock_timeout\', $1, true), pg_catalog.set_config(\'row_security\', \'off\', true), '
  + `pg_catalog.set_config('search_path', '${SEARCH_PATH}', true)`;
const RESTORE_SQL = 'SELECT pg_catalog.set_config(\'lock_timeout\', $1, true), pg_catalog.set_config(\'row_security\', $2, true), '
  + 'pg_catalog.set_config(\'search_path\', $3, true)';
interface PreviousSettings { lockTimeout: string; rowSecurity: string; searchPath: string }

/**
 * The settings every transaction of seqsync's own runs under, reads included, as plain statements a script can
 * carry. A read waits behind an ACCESS EXCLUSIVE lock (an ALTER TABLE in a migration) as long as a write would,
 * holding ACCESS SHARE on the tables read before it: `check` is bounded by the same lock timeout.
 */
function ownSettings(lockTimeoutMs: number): string[] {
  return [
    `SET LOCAL lock_timeout = ${sqlInteger(lockTimeoutMs)}`, `SET LOCAL search_path = ${SEARCH_PATH}`, 'SET LOCAL row_security = off',
  ];
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
export async function writeBatch(
  connection: BatchConnection, batch: readonly PostgresSequence[], mode: Mode, lockTimeoutMs: number,
): Promise<PostgresStep[]> {
  const lock = lockStatement(batch);
  const read = [...(lock === null ? [] : [lock]), liveStateStatement(batch)];
  let restore: Statement[] = [];
  let rows: RawLiveRow[];
  if (connection.ownsTransaction && connection.scripted) {
    rows = await connection.send<RawLiveRow>([...connection.begin(), ...ownSettings(lockTimeoutMs), ...read]);
  } else {
    const [previous] = await connection.send<PreviousSettings>([
      ...connection.begin(), { sql: SAVE_AND_SET_SQL, params: [`${lockTimeoutMs}ms`] },
    ]);
    // Inside a transaction someone else owns, their settings are put back once done.
    if (!connection.ownsTransaction) {
      restore = [{ sql: RESTORE_SQL, params: [previous.lockTimeout, previous.rowSecurity, previous.searchPath] }];
    }
    rows = await connection.send<RawLiveRow>(read);
  }
  const states = readLiveState(batch, rows);
  const steps = batch.map((sequence) => planCounter(sequence, states.get(sequence.oid)!, mode));
  const setval = setvalStatement(steps, mode);
  await connection.send([...(setval === null ? [] : [setval]), ...restore, ...connection.commit()]);
  return steps;
}

/**
 * check reads with row_security off, as the writer does: a role that a policy hides rows from would otherwise
 * see a MAX below the data and report a wrong target. With it off such a read fails, naming the table. SET LOCAL
 * needs a transaction: a script is one implicitly, otherwise the read gets one of its own.
 */
export async function readBatch(
  connection: BatchConnection, batch: readonly PostgresSequence[], lockTimeoutMs: number,
): Promise<Map<string, PostgresLiveState>> {
  const live = liveStateStatement(batch);
  if (connection.ownsTransaction && connection.scripted) {
    return readLiveState(batch, await connection.send<RawLiveRow>([...ownSettings(lockTimeoutMs), live]));
  }
  const [previous] = await connection.send<PreviousSettings>(
    [...connection.begin(), { sql: SAVE_AND_SET_SQL, params: [`${lockTimeoutMs}ms`] }]);
  const states = readLiveState(batch, await connection.send<RawLiveRow>([live]));
  await connection.send(connection.ownsTransaction
    ? connection.commit()
    : [{ sql: RESTORE_SQL, params: [previous.lockTimeout, previous.rowSecurity, previous.searchPath] }]);
  return states;
}

/** What `writeBatch` sends for a batch whose plan is `steps` (it re-reads the data under the lock first). */
export function previewBatch(steps: readonly PostgresStep[], mode: Mode, lockTimeoutMs: number): string[] {
  const setval = setvalStatement(steps, mode);
  if (setval === null) return [];
  const lock = lockStatement(steps.filter((step) => step.newNextValue !== null).map((step) => step.sequence));
  return ['BEGIN', ...ownSettings(lockTimeoutMs), ...(lock === null ? [] : [lock]), setval, 'COMMIT'];
}

/** Names the table that could not be locked, and who holds it, by looking at pg_locks after the rollback. */
export async function lockTimeoutError(connection: Queryable | null, batch: readonly PostgresSequence[], timeoutMs: number,
  error: SeqsyncError): Promise<SeqsyncError> {
  const tableOids = [...new Set(batch.flatMap((s) => s.uses.map((u) => u.tableOid)))];
  const allTables = [...new Set(batch.flatMap((s) => s.uses.map((u) => qualifiedName(u.schema, u.table))))];
  const blocked = connection === null ? [] : await connection.query<{ schema: string; table: string; pid: number; mode: string }>(
    `SELECT n.nspname AS "schema", c.relname AS "table", l.pid, l.mode
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_class c ON c.oid = l.relation
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE l.relation OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[]) AND l.granted
         AND l.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid()
         AND l.mode OPERATOR(pg_catalog.<>) ALL (ARRAY['AccessShareLock', 'RowShareLock']::pg_catalog.text[])
       ORDER BY 1, 2, 3`, [tableOids]).catch(() => []);
  const named = blocked.length > 0
    ? blocked.map((b) => `${qualifiedName(b.schema, b.table)} (${b.mode} held by pid ${b.pid})`).join(', ')
    : allTables.join(', ');
  return new SeqsyncError('LOCK_TIMEOUT',
    `lock timeout after ${timeoutMs} ms waiting for table ${named}; nothing in this batch was changed`, { cause: error.cause ?? error });
}

import type { DecisionRule } from '../../sequence-decision';
import type { BatchConnection, BatchForm } from '../../dialect';
import type { MysqlCounter, MysqlLiveState, RawLiveRow } from './mysql-introspect';
import type { AutoIncrementStep, MysqlStep } from './mysql-plan';
import { SeqsyncError } from '../../errors';
import { liveStateSql } from './mysql-catalog-sql';
import { liveReadsOf, readLiveState } from './mysql-introspect';
import { ddlStatements, planCounter, setvalStatement, settleSetval } from './mysql-plan';
import { sqlInteger } from './mysql-sql';
import { translateMysqlError } from './mysql-errors';

/** What differs between servers of the MySQL family when a batch is read or written (see MariadbDialect). */
export interface MysqlServerSql {
  /** Statements that make the live-state read exact on this server, sent before it. */
  liveReadSetup(serverVersion: string): string[];
  /** How several DDL statements travel when the connection cannot send a script. */
  groupDdl(statements: readonly string[]): string[];
}

export interface WriteBatchOptions {
  readonly rule: DecisionRule;
  readonly lockTimeoutMs: number;
  readonly serverVersion: string;
  readonly autoIncrementStep: AutoIncrementStep;
}

/** What the statements of a batch depend on besides its plan. */
type StatementOptions = Pick<WriteBatchOptions, 'lockTimeoutMs' | 'serverVersion'>;

/** One batch's write as it is sent, in two sends: what writeBatch executes and a dry run lists (previewBatch). */
export interface WriteStatements {
  /** Our lock waits set (the caller's kept), the live read's setup, the transaction begun, the read with FOR UPDATE. */
  readonly open: readonly string[];
  /** The moves `steps` plan — SETVAL under the locks, COMMIT, then the DDL — and the caller's lock waits put back. */
  write(steps: readonly MysqlStep[]): string[];
}

/** What writeBatch sends for `batch` on a connection of this form: one builder for the write and its preview. */
export function writeStatements(
  form: BatchForm, batch: readonly MysqlCounter[], options: StatementOptions, server: MysqlServerSql,
): WriteStatements {
  const seconds = Math.max(1, Math.ceil(options.lockTimeoutMs / 1000));
  return {
    open: [
      // innodb_lock_wait_timeout bounds the row locks of FOR UPDATE, lock_wait_timeout the metadata locks of DDL;
      // both are whole seconds. The caller's values are kept in user variables and put back at the end.
      'SET @seqsync_lock_wait_timeout = @@SESSION.lock_wait_timeout, '
        + '@seqsync_innodb_lock_wait_timeout = @@SESSION.innodb_lock_wait_timeout, '
        + `SESSION lock_wait_timeout = ${sqlInteger(seconds)}, SESSION innodb_lock_wait_timeout = ${sqlInteger(seconds)}`,
      ...server.liveReadSetup(options.serverVersion),
      ...form.begin(),
      liveStateSql(liveReadsOf(batch), true),
    ],
    write: (steps) => {
      const setval = setvalStatement(steps);
      const write = [...(setval === null ? [] : [setval]), ...form.commit(), ...ddlStatements(steps), RESTORE_TIMEOUTS,
        ...(setval === null ? [] : ['SELECT @seqsync_setval AS setval'])];
      return form.scripted ? write : groupDdlRuns(write, server);
    },
  };
}

/** What writeBatch would send for `batch` on a connection of this form, were its read under the locks to plan `steps`. */
export function previewBatch(form: BatchForm, batch: readonly MysqlCounter[], steps: readonly MysqlStep[],
  options: StatementOptions, server: MysqlServerSql): string[] {
  const script = writeStatements(form, batch, options, server);
  return [...script.open, ...script.write(steps)];
}

/** Puts the caller's lock waits back (kept in user variables by the first statement of a batch). */
const RESTORE_TIMEOUTS = 'SET SESSION lock_wait_timeout = @seqsync_lock_wait_timeout, '
  + 'SESSION innodb_lock_wait_timeout = @seqsync_innodb_lock_wait_timeout';

/**
 * The only code that writes. One batch:
 *
 * 1. `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION` and the live read with FOR UPDATE
 *    on every column: InnoDB's next-key lock on the highest key stops any insert past the data until
 *    COMMIT, without blocking readers. LOCK TABLES is not used: it commits any open transaction
 *    implicitly (fatal inside an ORM's transaction), blocks readers with WRITE, and forbids touching any
 *    table it did not lock.
 * 2. Plan again on what was read, then SETVAL for sequences moving forward — a function call, not DDL, so
 *    it runs under the locks — and COMMIT.
 * 3. DDL last: ALTER TABLE … AUTO_INCREMENT and ALTER SEQUENCE … RESTART each commit implicitly, so they
 *    cannot run under the locks. ALTER TABLE is safe anyway (the server never sets AUTO_INCREMENT below
 *    MAX+1). A RESTART (reset mode, moving a sequence back) has a window between COMMIT and the ALTER in
 *    which another session could insert past the data: reset is for compacting a quiet database.
 *
 * Inside a transaction the caller owns there is no START/COMMIT of ours, and DDL is refused before anything
 * is written: MySQL would commit the caller's transaction in the middle of it.
 */
export async function writeBatch(connection: BatchConnection, batch: readonly MysqlCounter[], options: WriteBatchOptions,
  server: MysqlServerSql): Promise<MysqlStep[]> {
  const script = writeStatements(connection, batch, options, server);
  let finished = false;
  let writing = false;
  try {
    const states = readLiveState(batch, await connection.send<RawLiveRow>(script.open));
    let steps = batch.map((counter, index) => planCounter(counter, states[index], options.rule, options.autoIncrementStep));
    const ddl = ddlStatements(steps);
    if (!connection.ownsTransaction && ddl.length > 0) {
      throw new SeqsyncError('INVALID_OPTION',
        `${ddl[0].replace(/ (AUTO_INCREMENT =|RESTART WITH) .*$/, '')} is DDL, `
        + 'and MySQL/MariaDB commit an open transaction before any DDL: '
        + 'run realign with { mode: "reset" } outside the transaction. Nothing was changed.');
    }
    writing = true;
    const results = await connection.send<{ setval: string | null }>(script.write(steps));
    finished = true;
    if (steps.some((step) => step.write === 'setval')) {
      // Two answers per sequence, in order: the probe, then the move (see settleSetval).
      const answers = (results[0]?.setval ?? '').split(',').map((answer) => (answer === '-' ? null : answer));
      const moved = steps.filter((step) => step.write === 'setval');
      const byCounter = new Map(moved.map((step, index) => [step.counter, [answers[2 * index] ?? null, answers[2 * index + 1] ?? null]]));
      steps = steps.map((step) => {
        const pair = byCounter.get(step.counter);
        return pair === undefined ? step : settleSetval(step, pair[0], pair[1]);
      });
    }
    return steps;
  } catch (error) {
    if (!finished) await connection.queryable.query(RESTORE_TIMEOUTS).catch(() => undefined);
    if (!writing) throw error;
    // The write's round trip failed somewhere in it: a rollback undoes neither the ALTERs after its COMMIT, each
    // committed on its own, nor (MariaDB) a SETVAL, so "nothing changed" cannot be claimed.
    const base = translateMysqlError(error, { phase: 'run' });
    const changed = 'some of this batch\'s writes may have taken effect (MySQL/MariaDB do not roll back SETVAL, nor the '
      + 'ALTER statements that run after its COMMIT): run seqsync check';
    throw new SeqsyncError(base.code, `${base.message}; ${changed}`, { cause: error, changed });
  }
}

/**
 * The unlocked read of check and dry runs: the setup and the read share one connection (the runner's), since a
 * session setting made on one pooled connection does not reach another.
 */
export async function readBatch(
  connection: BatchConnection, batch: readonly MysqlCounter[], setup: readonly string[],
): Promise<MysqlLiveState[]> {
  return readLiveState(batch, await connection.send<RawLiveRow>([...setup, liveStateSql(liveReadsOf(batch), false)]));
}

/** Without scripts, runs of DDL travel as the server allows (MariaDB folds them into one compound statement). */
function groupDdlRuns(statements: readonly string[], server: MysqlServerSql): string[] {
  const units: string[] = [];
  let ddl: string[] = [];
  for (const sql of statements) {
    if (/^ALTER /.test(sql)) { ddl.push(sql); continue; }
    if (ddl.length > 0) { units.push(...server.groupDdl(ddl)); ddl = []; }
    units.push(sql);
  }
  if (ddl.length > 0) units.push(...server.groupDdl(ddl));
  return units;
}

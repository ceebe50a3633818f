import type { Mode, Queryable } from '../../types';
import type { MysqlCounter, RawLiveRow } from './mysql-introspect';
import type { AutoIncrementStep, MysqlStep } from './mysql-plan';
import { SeqsyncError } from '../../errors';
import { liveStateSql } from './mysql-catalog-sql';
import { liveReadsOf, readLiveState } from './mysql-introspect';
import { ddlStatements, planCounter, setvalStatement, settleSetval } from './mysql-plan';
import { qualifiedName, sqlInteger } from './mysql-sql';

/** What differs between servers of the MySQL family when a batch is written (see MariadbDialect). */
export interface MysqlServerSql {
  /** Statements that make the live-state read exact on this server, sent before it. */
  liveReadSetup(serverVersion: string): string[];
  /** How several DDL statements travel when the connection cannot send a script. */
  groupDdl(statements: readonly string[]): string[];
}

export interface ApplyBatchOptions {
  readonly mode: Mode;
  readonly lockTimeoutMs: number;
  readonly serverVersion: string;
  readonly autoIncrementStep: AutoIncrementStep;
  /** Every statement sent is appended here, for the report. */
  readonly statements: string[];
}

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
export async function applyBatch(connection: Queryable, batch: readonly MysqlCounter[], options: ApplyBatchOptions,
  ownsTransaction: boolean, server: MysqlServerSql): Promise<MysqlStep[]> {
  const scripted = connection.multiStatement === true;
  const seconds = Math.max(1, Math.ceil(options.lockTimeoutMs / 1000));
  const read = liveStateSql(liveReadsOf(batch), true);
  const begin = [
    // innodb_lock_wait_timeout bounds the row locks of FOR UPDATE, lock_wait_timeout the metadata locks of DDL;
    // both are whole seconds. The caller's values are kept in user variables and put back at the end.
    'SET @seqsync_lock_wait_timeout = @@SESSION.lock_wait_timeout, @seqsync_innodb_lock_wait_timeout = @@SESSION.innodb_lock_wait_timeout, '
      + `SESSION lock_wait_timeout = ${sqlInteger(seconds)}, SESSION innodb_lock_wait_timeout = ${sqlInteger(seconds)}`,
    ...server.liveReadSetup(options.serverVersion),
    ...(ownsTransaction ? ['SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'START TRANSACTION'] : []),
  ];
  const restore = 'SET SESSION lock_wait_timeout = @seqsync_lock_wait_timeout, SESSION innodb_lock_wait_timeout = @seqsync_innodb_lock_wait_timeout';
  let finished = false;
  try {
    const rows = await send<RawLiveRow>(connection, options.statements, [...begin, read], scripted, (ddl) => [...ddl]);
    const states = readLiveState(batch, rows);
    let steps = batch.map((counter, index) => planCounter(counter, states[index], options.mode, options.autoIncrementStep));
    const ddl = ddlStatements(steps);
    if (!ownsTransaction && ddl.length > 0) {
      throw new SeqsyncError('INVALID_OPTION',
        `${ddl[0].replace(/ (AUTO_INCREMENT =|RESTART WITH) .*$/, '')} is DDL, and MySQL/MariaDB commit an open transaction before any DDL: `
        + 'run realign with { mode: "reset" } outside the transaction. Nothing was changed.');
    }
    const setval = setvalStatement(steps);
    const write = [setval, ownsTransaction ? 'COMMIT' : null, ...ddl, restore, setval === null ? null : 'SELECT @seqsync_setval AS setval']
      .filter((sql): sql is string => sql !== null);
    const results = await send<{ setval: string | null }>(connection, options.statements, write, scripted, (s) => server.groupDdl(s));
    finished = true;
    if (setval !== null) {
      const outcomes = (results[0]?.setval ?? '').split(',');
      const moved = steps.filter((step) => step.write === 'setval');
      const byCounter = new Map(moved.map((step, index) => [step.counter, outcomes[index] === '-' ? null : outcomes[index] ?? null]));
      steps = steps.map((step) => (byCounter.has(step.counter) ? settleSetval(step, byCounter.get(step.counter)!) : step));
    }
    return steps;
  } catch (error) {
    if (!finished) {
      if (ownsTransaction) await connection.query('ROLLBACK').catch(() => undefined);
      await connection.query(restore).catch(() => undefined);
    }
    if (isLockTimeout(error)) throw lockTimeoutError(batch, options.lockTimeoutMs, error);
    throw error;
  }
}

/**
 * Sends statements as one script when the connection takes scripts; otherwise one by one, with runs of DDL
 * grouped by `group` (MariaDB folds them into one compound statement). Returns the last statement's rows.
 */
async function send<Row extends object>(connection: Queryable, statements: string[], sqls: readonly string[], scripted: boolean,
  group: (ddl: readonly string[]) => string[]): Promise<Row[]> {
  if (scripted) {
    statements.push(...sqls);
    return connection.query<Row>(sqls.join(';\n'));
  }
  const units: string[] = [];
  let ddl: string[] = [];
  for (const sql of sqls) {
    if (/^ALTER /.test(sql)) { ddl.push(sql); continue; }
    if (ddl.length > 0) { units.push(...group(ddl)); ddl = []; }
    units.push(sql);
  }
  if (ddl.length > 0) units.push(...group(ddl));
  let rows: Row[] = [];
  for (const sql of units) {
    statements.push(sql);
    rows = await connection.query<Row>(sql);
  }
  return rows;
}

function isLockTimeout(error: unknown): boolean {
  const code = (error as { errno?: number; code?: string } | null)?.errno;
  return code === 1205 || (error as { code?: string } | null)?.code === 'ER_LOCK_WAIT_TIMEOUT';
}

function lockTimeoutError(batch: readonly MysqlCounter[], timeoutMs: number, cause: unknown): SeqsyncError {
  const tables = [...new Set(batch.flatMap((counter) => counter.uses.map((use) => qualifiedName(use.schema, use.table))))];
  return new SeqsyncError('LOCK_TIMEOUT',
    `lock timeout after ${timeoutMs} ms waiting for table ${tables.join(', ')}: another session holds a lock on it; nothing in this batch was changed`, { cause });
}

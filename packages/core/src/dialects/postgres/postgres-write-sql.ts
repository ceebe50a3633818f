import type { Mode } from '../../types';
import type { BatchForm, Statement } from '../../dialect';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import { liveStateStatement } from './postgres-live-read';
import { qualifiedName, quoteLiteral, sqlInteger } from './postgres-sql';
import { compareText, tableKey } from '../../table-names';

/**
 * One statement for every sequence that moves. `is_called = false` with the next value itself, rather
 * than `last_value = next - increment`, keeps the value inside [MINVALUE, MAXVALUE] even when the next
 * value is START on an empty table or the last value the sequence may hand out.
 *
 * In advance mode the write also cannot move a sequence backwards against a concurrent nextval(). The table
 * locks stop inserts, not sessions calling nextval() themselves (ORMs that fetch ids before inserting,
 * triggers, defaults hidden in functions): values they took between our read and our write would be handed
 * out again by a plain setval to the planned value. So the write keeps the greater (descending: the lesser)
 * of the planned value and the sequence's own next value at that moment; pg_sequence_last_value is NULL while
 * is_called is false, i.e. when nothing was taken since, and GREATEST/LEAST ignore NULL. What remains is the
 * instant inside this one statement, between reading the sequence and setting it. Reset mode means "exactly
 * this value", backwards included, so it writes the planned value as is.
 *
 * Every function, operator and type is named with its schema: a role that may create objects in a schema on the
 * search path could otherwise plant a better-matching `+(numeric, bigint)` that runs as the caller and decides
 * the value written (CVE-2018-1058). GREATEST/LEAST compare through the type's default btree operator class,
 * which no search path reaches.
 *
 * The dry run prints this same text, so what it shows is what realign sends.
 */
export function setvalStatement(steps: readonly PostgresStep[], mode: Mode): string | null {
  const moving = steps.filter((step) => step.newNextValue !== null);
  if (moving.length === 0) return null;
  const name = (step: PostgresStep) => `${quoteLiteral(qualifiedName(step.sequence.schema, step.sequence.name))}::pg_catalog.regclass`;
  if (mode === 'reset') {
    const rows = moving.map((step) => `  (${name(step)}, ${sqlInteger(step.newNextValue as bigint)}::pg_catalog.int8)`);
    return `SELECT pg_catalog.setval(v.sequence, v.next_value, false)\nFROM (VALUES\n${rows.join(',\n')}\n) AS v(sequence, next_value)`;
  }
  const rows = moving.map((step) =>
    `  (${name(step)}, ${sqlInteger(step.newNextValue as bigint)}::pg_catalog.int8, `
    + `${sqlInteger(step.sequence.shape.increment)}::pg_catalog.int8)`);
  const next = 'pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric';
  return `SELECT pg_catalog.setval(v.sequence, (CASE WHEN v.increment OPERATOR(pg_catalog.>) 0::pg_catalog.int8
    THEN GREATEST(v.next_value, ${next})
    ELSE LEAST(v.next_value, ${next}) END)::pg_catalog.int8, false)
FROM (VALUES\n${rows.join(',\n')}\n) AS v(sequence, next_value, increment)`;
}

/**
 * Every table feeding a batch's sequences, in one LOCK, in a fixed order so two runs cannot deadlock.
 * SHARE ROW EXCLUSIVE blocks INSERT/UPDATE/DELETE (so MAX cannot change under us) while plain SELECTs
 * go on, and it conflicts with itself, so two seqsync runs on the same tables take turns.
 */
export function lockStatement(sequences: readonly PostgresSequence[], mode = 'SHARE ROW EXCLUSIVE'): string | null {
  const tables = new Map<string, string>();
  for (const sequence of sequences) {
    for (const use of sequence.uses) tables.set(tableKey(use.schema, use.table), qualifiedName(use.schema, use.table));
  }
  if (tables.size === 0) return null;
  // Keys sorted on their own: a comparator destructuring [key, sql] pairs runs the iterator protocol twice per
  // comparison, which before the JIT warms up (a fresh process) costs milliseconds at 1,000 tables.
  const ordered = [...tables.keys()].sort(compareText).map((key) => tables.get(key) as string);
  return `LOCK TABLE ${ordered.join(', ')} IN ${mode} MODE`;
}

/*
 * The lock budget. PostgreSQL's lock_timeout bounds each lock wait on its own, so a batch waiting for writers that
 * commit one after another could wait lockTimeoutMs for every table. The budget is a deadline kept in the
 * transaction (a custom setting, `SET LOCAL`-scoped), and before every statement that may wait, lock_timeout is set
 * to what is left of it. Work is never cut short by it:
 *  - the lock phase (LOCK TABLE, the sequences' locks) also gets statement_timeout — what is left plus 1 ms per
 *    relation it locks, far more than locking one takes — since one LOCK statement may wait several times;
 *  - the reads run under the caller's statement_timeout (kept aside and put back), and their time is not spent:
 *    what the lock phase left is carried over;
 *  - the restating ALTERs get lock_timeout only: one that need not wait is never stopped.
 * So the waits of one batch together stay within lockTimeoutMs, plus at most 1 ms per relation.
 */
// Parenthesised: every OPERATOR(...) has one precedence, whatever the operator, and they group left to right.
const NOW_MS = '(pg_catalog.date_part(\'epoch\', pg_catalog.clock_timestamp()) OPERATOR(pg_catalog.*) 1000::pg_catalog.float8)';
const LEFT_MS = `GREATEST(1::pg_catalog.float8, pg_catalog.current_setting('seqsync.lock_deadline')::pg_catalog.float8 `
  + `OPERATOR(pg_catalog.-) ${NOW_MS})::pg_catalog.int8`;

/** The caller's statement_timeout in milliseconds, as kept aside when the budget started. */
const CALLER_MS = 'pg_catalog.current_setting(\'seqsync.statement_timeout\')::pg_catalog.int8';

/**
 * A lock statement's statement_timeout: `allowed` ms, or the caller's own when that is shorter — a caller's limit on
 * any one statement still holds for seqsync's.
 */
function lockStatementTimeout(allowed: string, caller: string): string {
  return `(CASE WHEN ${caller} OPERATOR(pg_catalog.>) 0::pg_catalog.int8 THEN LEAST(${caller}, ${allowed}) ELSE ${allowed} END)`
    + '::pg_catalog.text';
}

/**
 * Starts the budget, as items of one SELECT list over `FROM_CALLER` (the caller's statement_timeout in ms): the
 * deadline, the caller's value kept aside, and the whole budget for the first lock statement, which locks
 * `relations` relations.
 */
export function startBudgetItems(lockTimeoutMs: number, relations: number): string[] {
  return [
    `pg_catalog.set_config('seqsync.lock_deadline', (${NOW_MS} OPERATOR(pg_catalog.+) `
      + `${sqlInteger(lockTimeoutMs)}::pg_catalog.float8)::pg_catalog.text, true)`,
    'pg_catalog.set_config(\'seqsync.statement_timeout\', caller.ms::pg_catalog.text, true)',
    `pg_catalog.set_config('lock_timeout', ${quoteLiteral(String(sqlInteger(lockTimeoutMs)))}, true)`,
    `pg_catalog.set_config('statement_timeout', ${lockStatementTimeout(`${sqlInteger(lockTimeoutMs + relations)}::pg_catalog.int8`,
      'caller.ms')}, true)`,
  ];
}

/** The source of `caller.ms` for {@link startBudgetItems}: pg_settings shows the value in milliseconds. */
export const FROM_CALLER = 'FROM (SELECT s.setting::pg_catalog.int8 AS ms FROM pg_catalog.pg_settings s '
  + 'WHERE s.name OPERATOR(pg_catalog.=) \'statement_timeout\') caller';

/**
 * What is left of the budget for the next lock statement, which locks `relations` relations (at least 1 ms: 0 would
 * mean no limit). A statement's own timeout is armed when it starts, so this must be a statement of its own, just before.
 */
export function spendLocksStatement(relations: number): string {
  return 'SELECT pg_catalog.set_config(\'lock_timeout\', b.ms::pg_catalog.text, true), '
    + `pg_catalog.set_config('statement_timeout', ${lockStatementTimeout(
      `(b.ms OPERATOR(pg_catalog.+) ${sqlInteger(relations)}::pg_catalog.int8)`, CALLER_MS)}, true) FROM (SELECT ${LEFT_MS} AS ms) b`;
}

/** What is left of the budget as the next statement's lock_timeout: it bounds waiting only, never work. */
export const SPEND_WAIT_SQL = `SELECT pg_catalog.set_config('lock_timeout', ${LEFT_MS}::pg_catalog.text, true)`;

/**
 * The end of the lock phase: the caller's statement_timeout back for the reads, and what is left of the budget kept
 * for the ALTERs (the reads' time is not waiting).
 */
const END_BUDGET_ITEMS = 'pg_catalog.set_config(\'statement_timeout\', pg_catalog.current_setting(\'seqsync.statement_timeout\'), true), '
  + `pg_catalog.set_config('seqsync.lock_left', ${LEFT_MS}::pg_catalog.text, true)`;
export const END_BUDGET_SQL = `SELECT ${END_BUDGET_ITEMS}`;

/** The write phase's budget: what the lock phase left, from now. */
export const RESUME_BUDGET_SQL = `SELECT pg_catalog.set_config('seqsync.lock_deadline', (${NOW_MS} OPERATOR(pg_catalog.+) `
  + 'pg_catalog.current_setting(\'seqsync.lock_left\')::pg_catalog.float8)::pg_catalog.text, true)';

/**
 * ROW EXCLUSIVE on every sequence of the batch, taken before anything changes, by reading each one through
 * pg_sequence_last_value (which locks as setval does; LOCK TABLE refuses sequences). A migration holding a
 * sequence (an open ALTER SEQUENCE) then makes the batch wait and time out here, with nothing written, rather than
 * in the middle of the write; and from here on no ALTER SEQUENCE of another session can change a definition the
 * plan relies on. It does not conflict with other sessions' nextval().
 */
export function lockSequencesStatement(sequences: readonly PostgresSequence[]): string {
  const rows = sequences.map((sequence) => `(${quoteLiteral(qualifiedName(sequence.schema, sequence.name))}::pg_catalog.regclass)`);
  // The budget ends with this statement (its own timeout is already armed): one round trip fewer without scripts.
  return `SELECT (SELECT pg_catalog.count(pg_catalog.pg_sequence_last_value(v.sequence)) FROM (VALUES ${rows.join(', ')}) AS v(sequence)), `
    + END_BUDGET_ITEMS;
}

/**
 * setval is not transactional: what it writes stays when the transaction rolls back. But a sequence given new
 * storage inside the transaction (ALTER SEQUENCE rewrites it, keeping its position) is written there, and a
 * rollback drops that storage whole — setval included. So each moving sequence the role owns is first restated as
 * it is (its CYCLE flag, as read under the batch's lock, which keeps every other session's ALTER SEQUENCE out), and
 * the batch then commits whole or not at all, on a cancel, a terminated backend or a crash as on an error. The
 * ALTER also takes SHARE ROW EXCLUSIVE on the sequence, so no nextval() runs between the write's read and its
 * set. Sequences the role does not own cannot be altered; their setval stays outside the transaction.
 */
export function touchStatements(steps: readonly PostgresStep[]): string[] {
  return steps.filter((step) => step.newNextValue !== null && step.sequence.owned)
    .map((step) => `ALTER SEQUENCE ${qualifiedName(step.sequence.schema, step.sequence.name)} `
      + `${step.sequence.cycle ? 'CYCLE' : 'NO CYCLE'}`);
}

/**
 * Statements of one phase as one: a connection that takes no scripts would otherwise spend a round trip on each (an
 * ALTER per moving sequence). A DO block runs them in order on the server; its SELECTs become PERFORMs. Inside it
 * the lock_timeout each budget step sets applies to the waits that follow, while the statement_timeout in force
 * when the block starts bounds the block as a whole.
 */
export function asOneStatement(statements: readonly string[]): string {
  const body = statements.map((statement) => `${statement.replace(/^SELECT /, 'PERFORM ')};`).join(' ');
  return `DO ${quoteLiteral(`BEGIN ${body} END`)}`;
}

/*
 * A batch as the statements it sends, in the order and the sends it sends them in. writeBatch executes what
 * writeStatements returns and a dry run lists it (previewBatch): one builder, so the two cannot drift.
 */

/**
 * The search path of every transaction seqsync runs: only pg_catalog, and the session's temporary schema last (it
 * cannot be left out, and last it is never searched for functions or operators). Every statement names its
 * functions, operators and types with their schema anyway; pinning the path as well means a name written
 * without one by mistake still cannot reach an object another role planted (CVE-2018-1058).
 */
const SEARCH_PATH = 'pg_catalog, pg_temp';

/**
 * The session settings of a batch inside a transaction seqsync does not own (or on a connection that takes no
 * scripts): read the caller's values first, so they can be put back, and set ours for this transaction only. It
 * also starts the lock budget with the whole of it for the first wait.
 */
function saveAndSetSql(lockTimeoutMs: number, relations: number): string {
  return 'SELECT pg_catalog.current_setting(\'lock_timeout\') AS "lockTimeout", '
    + 'pg_catalog.current_setting(\'row_security\') AS "rowSecurity", pg_catalog.current_setting(\'search_path\') AS "searchPath", '
    + 'pg_catalog.current_setting(\'statement_timeout\') AS "statementTimeout", '
    + `${startBudgetItems(lockTimeoutMs, relations).join(', ')}, pg_catalog.set_config('row_security', 'off', true), `
    + `pg_catalog.set_config('search_path', '${SEARCH_PATH}', true) ${FROM_CALLER}`;
}
const RESTORE_SQL = 'SELECT pg_catalog.set_config(\'lock_timeout\', $1, true), pg_catalog.set_config(\'row_security\', $2, true), '
  + 'pg_catalog.set_config(\'search_path\', $3, true), pg_catalog.set_config(\'statement_timeout\', $4, true)';

/** The caller's settings as the opening read them, to be put back when the batch is done. */
export interface PreviousSettings { lockTimeout: string; rowSecurity: string; searchPath: string; statementTimeout: string }

/**
 * The settings every transaction of seqsync's own runs under, reads included, as plain statements a script can
 * carry. A read waits behind an ACCESS EXCLUSIVE lock (an ALTER TABLE in a migration) as long as a write would,
 * holding ACCESS SHARE on the tables read before it: `check` is bounded by the same lock budget.
 */
function ownSettings(lockTimeoutMs: number, relations: number): string[] {
  return [
    `SET LOCAL lock_timeout = ${sqlInteger(lockTimeoutMs)}`, `SET LOCAL search_path = ${SEARCH_PATH}`, 'SET LOCAL row_security = off',
    `SELECT ${startBudgetItems(lockTimeoutMs, relations).join(', ')} ${FROM_CALLER}`,
  ];
}

/** How a batch opens; when it `keepsSettings`, its last statement's row is the caller's settings, so it goes in a send of its own. */
export interface Opening { readonly statements: readonly Statement[]; readonly keepsSettings: boolean }

/**
 * Begins seqsync's transaction and sets its settings, as statements one script carries; or, in a caller's
 * transaction or without scripts, keeps the caller's settings and sets ours in one statement (bound, so it is never
 * folded into a script whose rows would be another statement's). A script that only reads needs no BEGIN: a script
 * is one transaction already (`implicit`).
 */
export function openingStatements(form: BatchForm, lockTimeoutMs: number, relations: number, implicit = false): Opening {
  if (form.ownsTransaction && form.scripted) {
    return { statements: [...(implicit ? [] : form.begin()), ...ownSettings(lockTimeoutMs, relations)], keepsSettings: false };
  }
  return { statements: [...form.begin(), { sql: saveAndSetSql(lockTimeoutMs, relations), params: [] }], keepsSettings: true };
}

/**
 * Inside a transaction someone else owns, their settings put back once done (in seqsync's own they end with it).
 * `previous` is null in a preview, which has not read them: the statement is shown without its values.
 */
export function restoreStatements(form: BatchForm, previous: PreviousSettings | null): Statement[] {
  if (form.ownsTransaction) return [];
  const values = previous === null ? [] : [previous.lockTimeout, previous.rowSecurity, previous.searchPath, previous.statementTimeout];
  return [{ sql: RESTORE_SQL, params: values }];
}

/**
 * Every lock the batch's write needs, before anything changes: the tables (SHARE ROW EXCLUSIVE, so MAX cannot
 * change), then every sequence (ROW EXCLUSIVE, see lockSequencesStatement), each wait within what is left of the
 * one budget; then the caller's statement_timeout is back for the reads.
 */
function lockPhase(batch: readonly PostgresSequence[], scripted: boolean): string[] {
  const tables = lockStatement(batch);
  const statements = [...(tables === null ? [] : [tables, spendLocksStatement(batch.length)]), lockSequencesStatement(batch)];
  return scripted ? statements : [asOneStatement(statements)];
}

/** Lock-table entries the batch's first lock statement takes (its tables, their indexes and partitions). */
export function firstLockRelations(batch: readonly PostgresSequence[]): number {
  const weights = new Map(batch.flatMap((sequence) => sequence.uses.map((use) => [use.tableOid, use.lockWeight])));
  return weights.size === 0 ? batch.length : [...weights.values()].reduce((sum, weight) => sum + weight, 0);
}

/**
 * The write: each moving sequence the role owns restated (which makes its setval roll back with the batch),
 * every wait for those sequences' stronger lock within the budget, then one setval for all.
 */
function writePhase(steps: readonly PostgresStep[], mode: Mode, scripted: boolean): string[] {
  const setval = setvalStatement(steps, mode);
  if (setval === null) return [];
  const touches = touchStatements(steps);
  if (touches.length === 0) return [setval];
  // Each ALTER may wait for a session that took nextval() in a transaction still open: each gets what is left.
  const altering = [RESUME_BUDGET_SQL, ...touches.flatMap((touch) => [SPEND_WAIT_SQL, touch])];
  return [...(scripted ? altering : [asOneStatement(altering)]), setval];
}

/** One batch's write as it is sent: the opening, the locks and the read under them, then what `close` builds. */
export interface WriteStatements {
  readonly opening: Opening;
  /** Every lock of the whole batch, then the read under them (its rows: the live state the write is planned on). */
  readonly lockedRead: readonly Statement[];
  /** The write `steps` plan (none when nothing moves), the caller's settings put back, the commit: one send. */
  close(steps: readonly PostgresStep[], previous: PreviousSettings | null): Statement[];
}

/** What writeBatch sends for `batch` on a connection of this form. */
export function writeStatements(form: BatchForm, batch: readonly PostgresSequence[], mode: Mode, lockTimeoutMs: number): WriteStatements {
  return {
    opening: openingStatements(form, lockTimeoutMs, firstLockRelations(batch)),
    lockedRead: [...lockPhase(batch, form.scripted), liveStateStatement(batch, true)],
    close: (steps, previous) => [...writePhase(steps, mode, form.scripted), ...restoreStatements(form, previous), ...form.commit()],
  };
}

/** What writeBatch would send for `batch` on a connection of this form, were its read under the locks to plan `steps`. */
export function previewBatch(
  form: BatchForm, batch: readonly PostgresSequence[], steps: readonly PostgresStep[], mode: Mode, lockTimeoutMs: number,
): string[] {
  const script = writeStatements(form, batch, mode, lockTimeoutMs);
  return [...script.opening.statements, ...script.lockedRead, ...script.close(steps, null)]
    .map((statement) => (typeof statement === 'string' ? statement : statement.sql));
}

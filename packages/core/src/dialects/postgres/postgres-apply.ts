import type { Queryable } from '../../types';
import type { DecisionRule } from '../../sequence-decision';
import type { BatchConnection, Statement } from '../../dialect';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresLiveState, RawLiveRow } from './postgres-live-read';
import type { PostgresStep } from './postgres-plan';
import type { Opening, PreviousSettings } from './postgres-write-sql';
import { SeqsyncError } from '../../errors';
import { nextValueOf } from '../../sequence-decision';
import { definitionOf, liveStateStatement, readLiveState } from './postgres-live-read';
import { planCounter } from './postgres-plan';
import {
  END_BUDGET_SQL, firstLockRelations, lockStatement, openingStatements, restoreStatements, writeStatements,
} from './postgres-write-sql';
import { qualifiedName, quoteIdent, quoteLiteral } from './postgres-sql';
import { translatePostgresError } from './postgres-errors';

/**
 * Sends a batch's opening and then `statements`: in one send, unless the opening keeps the caller's settings, whose
 * row (what `close` puts back) comes from a send of its own.
 */
async function open<Row extends object>(
  connection: BatchConnection, opening: Opening, statements: readonly Statement[],
): Promise<{ previous: PreviousSettings | null; rows: Row[] }> {
  if (!opening.keepsSettings) return { previous: null, rows: await connection.send<Row>([...opening.statements, ...statements]) };
  const [previous] = await connection.send<PreviousSettings>(opening.statements);
  return { previous, rows: await connection.send<Row>(statements) };
}

/**
 * The only code that writes. One batch, one transaction: take every lock the write needs (tables, then
 * sequences), read MAX/MIN and the sequence positions under them, plan again on what was read, make the write
 * transactional where the role owns the sequence, setval, commit. Planning on the locked state is what makes the
 * result right under concurrent writers: no insert can change MAX between reading and writing. A session calling
 * nextval() directly is not stopped by a table lock; the setval accounts for that (see setvalStatement).
 *
 * With a multi-statement connection that is two round trips (locks+read, write+commit).
 *
 * `row_security` is off for the batch: a role that row-level security hides rows from would read a MAX()
 * below the real data and set the sequence into existing keys. With it off, such a read fails naming the
 * table instead (PERMISSION_DENIED), and the batch changes nothing.
 */
export async function writeBatch(
  connection: BatchConnection, batch: readonly PostgresSequence[], rule: DecisionRule, lockTimeoutMs: number,
): Promise<PostgresStep[]> {
  const started = Date.now();
  const script = writeStatements(connection, batch, rule.mode, lockTimeoutMs);
  let previous: PreviousSettings | null;
  let rows: RawLiveRow[];
  try {
    ({ previous, rows } = await open<RawLiveRow>(connection, script.opening, script.lockedRead));
  } catch (failure) {
    throw await budgetError(connection, failure, started);
  }
  const states = readLiveState(batch, rows);
  assertDefinitionsUnchanged(batch, states);
  const steps = batch.map((sequence) => planCounter(sequence, states.get(sequence.oid)!, rule));
  try {
    await connection.send(script.close(steps, previous));
  } catch (failure) {
    const cause = await budgetError(connection, failure, started);
    // A lock timeout can only be a restating ALTER's (setval waits for no lock the batch does not hold), and those
    // all come before any setval: nothing was written, and the runner names what was waited for.
    const lockTimeout = cause instanceof SeqsyncError || (cause as { code?: string } | null)?.code === '55P03';
    throw lockTimeout ? cause : await writeFailure(connection, steps, states, cause);
  }
  return steps.map((step) => withWriteWarnings(step));
}

/** Warnings a moving step carries about how it is written (a dry run shows them too). */
export function withWriteWarnings(step: PostgresStep): PostgresStep {
  const warnings = [...(step.warnings ?? []), ...unindexedWarnings(step.sequence)];
  if (step.newNextValue !== null && !step.sequence.owned) {
    warnings.push(`${qualifiedName(step.sequence.schema, step.sequence.name)} is not owned by this role: its setval cannot be `
      + 'rolled back with its batch (PostgreSQL makes setval non-transactional); if the batch fails after it, the error says so');
  }
  return warnings.length === 0 ? step : { ...step, warnings };
}

/** A key without an index makes its MAX a scan under the batch's lock; the batch holds that one table only. */
function unindexedWarnings(sequence: PostgresSequence): string[] {
  return sequence.uses.filter((use) => !use.keyIndexed).map((use) => `${qualifiedName(use.schema, use.table)}.`
    + `${quoteIdent(use.column)} has no index led by it: its ${sequence.shape.increment > 0n ? 'MAX' : 'MIN'} `
    + 'is a full scan, during which that table\'s writers wait (it is locked in a batch of its own)');
}

/**
 * Under the sequences' locks no other session can alter them; a definition that differs from the catalog's was
 * changed in between, and the plan (and the restating ALTER) would be built on the old one. Nothing has changed
 * yet: fail the batch, and a re-run sees the new definition.
 */
function assertDefinitionsUnchanged(batch: readonly PostgresSequence[], states: ReadonlyMap<string, PostgresLiveState>): void {
  for (const sequence of batch) {
    if (states.get(sequence.oid)?.definition !== definitionOf(sequence)) {
      throw new SeqsyncError('QUERY_FAILED', `sequence ${qualifiedName(sequence.schema, sequence.name)} was altered while `
        + 'seqsync was reading it; nothing in this batch was changed: run again');
    }
  }
}

/**
 * A statement timeout inside the lock phases is the lock budget running out (unless the caller's own
 * statement_timeout, which governs the reads, is what fired): reported as the lock timeout it is, so the runner
 * names what was waited for. The caller's value is what the session shows once seqsync's transaction is gone.
 */
async function budgetError(connection: BatchConnection, failure: unknown, started: number): Promise<unknown> {
  const { code, message } = (failure ?? {}) as { code?: string; message?: string };
  if (code !== '57014' || !/statement timeout/i.test(message ?? '')) return failure;
  let callerMs = 0;
  if (connection.ownsTransaction) {
    await connection.queryable.query('ROLLBACK').catch(() => undefined);
    // pg_settings shows it in milliseconds, whatever unit it was set in.
    const [row] = await connection.queryable.query<{ ms: string }>('SELECT s.setting AS ms FROM pg_catalog.pg_settings s '
      + 'WHERE s.name OPERATOR(pg_catalog.=) \'statement_timeout\'').catch(() => [{ ms: '0' }]);
    callerMs = Number(row?.ms ?? 0);
  }
  if (callerMs > 0 && Date.now() - started >= callerMs) return failure;
  return new SeqsyncError('LOCK_TIMEOUT', `lock budget used up: ${message}`, { cause: failure });
}

/**
 * A failure in the write round trip, with what it left changed. Every sequence the role owns was restated, so its
 * setval rolls back with the batch. A setval on one it does not own stays: for those, after the rollback, their
 * positions are read again and the error says exactly which moved — or, when they cannot be read (the connection
 * is gone, or the transaction is the caller's and aborted), which may have.
 */
async function writeFailure(
  connection: BatchConnection, steps: readonly PostgresStep[], states: ReadonlyMap<string, PostgresLiveState>, failure: unknown,
): Promise<SeqsyncError> {
  const base = translatePostgresError(failure, { phase: 'run' });
  // A connection lost while the COMMIT was in flight may have committed the batch whole; only the server knows.
  const rolledBack = base.code === 'CONNECTION_LOST'
    ? 'the failing batch was rolled back (or, if the connection dropped during its COMMIT, committed whole: '
      + 'run realign again to converge)'
    : 'the failing batch was rolled back';
  const exposed = steps.filter((step) => step.newNextValue !== null && !step.sequence.owned);
  const changed = exposed.length === 0
    ? `${rolledBack}, nothing in it was changed`
    : await exposedChanges(connection, exposed, states, rolledBack);
  return new SeqsyncError(base.code, `${base.message}; ${changed}`, { cause: failure, changed });
}

/** Which of the sequences the role does not own the failed batch moved, read again after the rollback. */
async function exposedChanges(
  connection: BatchConnection, exposed: readonly PostgresStep[], states: ReadonlyMap<string, PostgresLiveState>, rolledBack: string,
): Promise<string> {
  const names = exposed.map((step) => qualifiedName(step.sequence.schema, step.sequence.name));
  const now = connection.ownsTransaction ? await positionsNow(connection.queryable, exposed) : null;
  if (now === null) {
    return `${rolledBack}, but ${names.length} sequence${names.length === 1 ? '' : 's'} this role does not own may have been `
      + `moved by a setval PostgreSQL cannot undo, and could not be read again: ${names.join(', ')}`;
  }
  const before = (step: PostgresStep) => {
    const { lastValue, isCalled } = states.get(step.sequence.oid)!;
    return nextValueOf(lastValue, isCalled, step.sequence.shape.increment);
  };
  // Moved by this batch: at exactly the value it set. Elsewhere since the locked read: another session's doing.
  const moved = exposed.filter((step) => now.get(step.sequence.oid) === step.newNextValue && step.newNextValue !== before(step));
  const elsewhere = exposed.filter((step) => ![before(step), step.newNextValue].includes(now.get(step.sequence.oid) ?? null));
  const describe = (step: PostgresStep) => `${qualifiedName(step.sequence.schema, step.sequence.name)} (next value now `
    + `${now.get(step.sequence.oid) ?? 'unknown'}, was ${before(step)})`;
  const others = elsewhere.length === 0 ? '' : `; moved meanwhile by another session: ${elsewhere.map(describe).join(', ')}`;
  return moved.length === 0
    ? `${rolledBack}, nothing in it was changed${others}`
    : `${rolledBack} except for ${moved.length} sequence${moved.length === 1 ? '' : 's'} this role does not own, whose setval `
      + `PostgreSQL cannot undo: ${moved.map(describe).join(', ')}${others}`;
}

/** Per statement: a UNION ALL past a few thousand branches exhausts the server's stack. */
const POSITIONS_PER_QUERY = 500;

/** The exposed sequences' next values now, after the rollback; null when they cannot be read. */
async function positionsNow(db: Queryable, steps: readonly PostgresStep[]): Promise<Map<string, bigint> | null> {
  await db.query('ROLLBACK').catch(() => undefined);
  const positions = new Map<string, bigint>();
  const byOid = new Map(steps.map((step) => [step.sequence.oid, step]));
  try {
    for (let from = 0; from < steps.length; from += POSITIONS_PER_QUERY) {
      const reads = steps.slice(from, from + POSITIONS_PER_QUERY).map((step) => `SELECT ${quoteLiteral(step.sequence.oid)} AS oid, `
        + 'q.last_value::pg_catalog.text AS last, q.is_called AS called '
        + `FROM ${qualifiedName(step.sequence.schema, step.sequence.name)} AS q`);
      for (const row of await db.query<{ oid: string; last: string; called: boolean }>(reads.join(' UNION ALL '))) {
        const step = byOid.get(String(row.oid))!;
        positions.set(String(row.oid), nextValueOf(BigInt(row.last), row.called, step.sequence.shape.increment));
      }
    }
    return positions;
  } catch {
    return null;
  }
}

/**
 * check and dry runs read with row_security off, as the writer does: a role that a policy hides rows from would
 * otherwise see a MAX below the data and report a wrong target. With it off such a read fails, naming the table.
 * The tables are taken in ACCESS SHARE first (what the reads take anyway), all within the one lock budget, so a
 * migration's ACCESS EXCLUSIVE holds the run up for lockTimeoutMs in total at most.
 */
export async function readBatch(
  connection: BatchConnection, batch: readonly PostgresSequence[], lockTimeoutMs: number,
): Promise<Map<string, PostgresLiveState>> {
  const started = Date.now();
  const tables = lockStatement(batch, 'ACCESS SHARE');
  const statements = [...(tables === null ? [] : [tables]), END_BUDGET_SQL, liveStateStatement(batch, false)];
  const implicit = connection.ownsTransaction && connection.scripted;
  try {
    const opening = openingStatements(connection, lockTimeoutMs, firstLockRelations(batch), implicit);
    const { previous, rows } = await open<RawLiveRow>(connection, opening, statements);
    const states = readLiveState(batch, rows);
    await connection.send([...restoreStatements(connection, previous), ...(implicit ? [] : connection.commit())]);
    return states;
  } catch (failure) {
    throw await budgetError(connection, failure, started);
  }
}

/** Names what could not be locked — a table or a sequence — and who holds it, from pg_locks after the rollback. */
export async function lockTimeoutError(connection: Queryable | null, batch: readonly PostgresSequence[], timeoutMs: number,
  error: SeqsyncError): Promise<SeqsyncError> {
  const relations = [...new Set([...batch.map((s) => s.oid), ...batch.flatMap((s) => s.uses.map((u) => u.tableOid))])];
  const allTables = [...new Set(batch.flatMap((s) => s.uses.map((u) => qualifiedName(u.schema, u.table))))];
  type Holder = { kind: string; schema: string; name: string; pid: number; mode: string };
  const blocked = connection === null ? [] : await connection.query<Holder>(
    // Names as text: Prisma 6's pg adapter cannot return the `name` type (and this failure would go unseen).
    `SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS "kind",
            n.nspname::pg_catalog.text COLLATE pg_catalog."C" AS "schema", c.relname::pg_catalog.text COLLATE pg_catalog."C" AS "name",
            l.pid, l.mode::pg_catalog.text AS "mode"
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_class c ON c.oid = l.relation
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE l.relation OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[]) AND l.granted
         AND l.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid()
         AND l.mode OPERATOR(pg_catalog.<>) ALL (ARRAY['AccessShareLock', 'RowShareLock']::pg_catalog.text[])
       ORDER BY 1 DESC, 2, 3, 4`, [relations]).catch(() => []);
  // ROW EXCLUSIVE on a sequence (a nextval() in an open transaction) only stands in the way of the restating ALTER:
  // named when nothing else is.
  const stronger = blocked.filter((b) => b.kind !== 'sequence' || b.mode !== 'RowExclusiveLock');
  const holders = stronger.length > 0 ? stronger : blocked;
  const named = holders.length > 0
    ? holders.map((b) => `${b.kind} ${qualifiedName(b.schema, b.name)} (${b.mode} held by pid ${b.pid})`).join(', ')
    : `table ${allTables.join(', ')}`;
  return new SeqsyncError('LOCK_TIMEOUT',
    `lock timeout after ${timeoutMs} ms waiting for ${named}; nothing in this batch was changed`, { cause: error.cause ?? error });
}

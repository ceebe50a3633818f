import type { Mode, SequenceReport } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { MysqlColumnUse, MysqlCounter, MysqlLiveState, SequenceState } from './mysql-introspect';
import type { CounterFacts } from '../../sequence-decision';
import { decide, reportOf, skipDecision } from '../../sequence-decision';
import { isBehindData, narrowestRange, nextValueAfterData } from '../../sequence-math';
import { qualifiedName, sqlInteger } from './mysql-sql';

/**
 * How a counter is moved:
 * - `alter_auto_increment`: `ALTER TABLE … AUTO_INCREMENT = n`. The server never sets it below MAX(key)+1
 *   (MySQL 8 clamps, older InnoDB ignores the statement), so no value it leaves can collide.
 * - `setval`: MariaDB `SETVAL(seq, n, 0)` — forward only (the server ignores a value behind the sequence),
 *   not DDL, so it runs inside the locking transaction.
 * - `restart`: MariaDB `ALTER SEQUENCE … RESTART WITH n`, the only way back (reset mode); DDL.
 */
export type MysqlWrite = 'alter_auto_increment' | 'setval' | 'restart';

export interface MysqlStep {
  readonly counter: MysqlCounter;
  readonly report: SequenceReport;
  /** The value the next insert must get; null when the counter is left as it is. */
  readonly newNextValue: bigint | null;
  readonly write: MysqlWrite | null;
}

/** The progression AUTO_INCREMENT values follow (`auto_increment_offset` + k·`auto_increment_increment`). */
export interface AutoIncrementStep {
  readonly increment: bigint;
  readonly offset: bigint;
}

/** Ranges of MySQL's integer column types, signed and UNSIGNED. */
export function integerRange(dataType: string, unsigned: boolean): { min: bigint; max: bigint } | null {
  const bits: Record<string, bigint> = { tinyint: 8n, smallint: 16n, mediumint: 24n, int: 32n, integer: 32n, bigint: 64n };
  const width = bits[dataType];
  if (width === undefined) return null;
  return unsigned ? { min: 0n, max: 2n ** width - 1n } : { min: -(2n ** (width - 1n)), max: 2n ** (width - 1n) - 1n };
}

/** Pure: one counter's catalog facts and live state in, its step out. */
export function planCounter(counter: MysqlCounter, state: MysqlLiveState, mode: Mode, step: AutoIncrementStep): MysqlStep {
  const ranges = counter.uses.map((use) => integerRange(use.dataType, use.unsigned));
  const nonInteger = counter.uses.find((_, index) => ranges[index] === null);
  const columnRange = narrowestRange(ranges.filter((r): r is { min: bigint; max: bigint } => r !== null));
  if (state.kind === 'auto_increment') {
    const shape = autoIncrementShape(step, columnRange);
    const nextValue = state.nextValue ?? shape.start;
    if (nonInteger !== undefined) return skipNonInteger(counter, state, shape, nextValue, nonInteger);
    return fromDecision(counter, state, shape, nextValue, columnRange, mode, 'alter_auto_increment', '');
  }
  const shape = state.shape.increment === 0n ? { ...state.shape, increment: step.increment } : state.shape;
  const position = sequencePosition(state, shape);
  if (nonInteger !== undefined) return skipNonInteger(counter, state, shape, position.lowest, nonInteger);
  if (position.exact) {
    const planned = fromDecision(counter, state, shape, position.lowest, columnRange, mode, 'setval', '');
    // SETVAL never moves a sequence back: a reset backwards needs ALTER SEQUENCE RESTART.
    return planned.report.action === 'reset' ? { ...planned, write: 'restart' } : planned;
  }
  return planCachedSequence(counter, state, shape, position.lowest, columnRange, mode);
}

/**
 * A sequence whose next value is somewhere in its cached block [lowest, nextNotCached]. Clear for sure
 * when the data stays below the block, behind for sure when it reaches past it. In between nobody can
 * tell without consuming a value, so `check` does not call it behind, and `realign` sends
 * SETVAL(seq, MAX+1, 0) anyway: MariaDB applies it only if the sequence is really below, and says which.
 * A reset always writes, to pin the sequence exactly on its target.
 */
function planCachedSequence(counter: MysqlCounter, state: SequenceState, shape: SequenceShape, lowest: bigint,
  columnRange: { min: bigint; max: bigint } | null, mode: Mode): MysqlStep {
  const highest = state.nextNotCached;
  const note = ` (values are cached in memory: the next one lies between ${lowest} and ${highest})`;
  const surelyBehind = isBehindData(highest, shape.increment, state.dataMax, state.dataMin);
  const maybeBehind = isBehindData(lowest, shape.increment, state.dataMax, state.dataMin);
  const planned = fromDecision(counter, state, shape, surelyBehind ? highest : lowest, columnRange, mode, 'setval', note);
  if (planned.report.action === 'skipped') return { ...planned, report: { ...planned.report, nextValueBefore: lowest } };
  const target = nextValueAfterData(shape, state.dataMax, state.dataMin);
  const report = { ...planned.report, nextValueBefore: lowest, nextValueAfter: target, behind: surelyBehind };
  if (mode === 'advance') {
    if (!maybeBehind) return { ...planned, report: { ...planned.report, nextValueBefore: lowest } };
    if (surelyBehind) return { ...planned, report };
    return { ...planned, newNextValue: target, write: 'setval', report: { ...report, action: 'advanced',
      reason: `the data max/min may collide with a cached value; `
        + `SETVAL to ${target} moves the sequence only if it is really behind${note}` } };
  }
  const forward = shape.increment > 0n ? target >= highest : target <= highest;
  return {
    ...planned, newNextValue: target, write: forward ? 'setval' : 'restart',
    report: { ...report, action: forward ? 'advanced' : 'reset',
      reason: `${forward ? 'moved forward' : 'restarted'} to ${target}, the first value past the data${note}` },
  };
}

/**
 * Where a sequence stands. Exact while nothing is cached: no cache, or never used since START/RESTART
 * (the stored value is then START). Otherwise the lowest value it could still hand out is the start of the
 * cached block, which is what decides whether it can collide.
 */
export function sequencePosition(state: SequenceState, shape: SequenceShape): { exact: boolean; lowest: bigint } {
  if (state.cacheSize <= 1n || state.nextNotCached === shape.start) return { exact: true, lowest: state.nextNotCached };
  const block = state.cacheSize * shape.increment;
  const lowest = state.nextNotCached - block;
  const bounded = shape.increment > 0n
    ? (lowest < shape.minValue ? shape.minValue : lowest)
    : (lowest > shape.maxValue ? shape.maxValue : lowest);
  return { exact: false, lowest: bounded };
}

/**
 * After SETVAL ran: MariaDB returns the value when it moved the sequence there, and NULL when the sequence
 * (its cached position included) was already past it — then nothing moved and the counter is clear.
 */
export function settleSetval(step: MysqlStep, result: string | null): MysqlStep {
  if (step.write !== 'setval') return step;
  if (result !== null) return { ...step, report: { ...step.report, behind: step.report.behind || step.report.action === 'advanced' } };
  return {
    ...step,
    newNextValue: null,
    write: null,
    // Unchanged means after = before, as everywhere else; where in its cached block the sequence really stands
    // cannot be read without consuming a value, so the reason says what is known instead of claiming the target.
    report: { ...step.report, action: 'unchanged', behind: false, nextValueAfter: step.report.nextValueBefore,
      reason: `the sequence was already at or past ${step.newNextValue} (its cached position was clear of the data); left as it is` },
  };
}

/** `SET @seqsync_setval = '4,-,…'`: every forward sequence move in one statement, each result kept for the report. */
export function setvalStatement(steps: readonly MysqlStep[]): string | null {
  const moving = steps.filter((step) => step.write === 'setval');
  if (moving.length === 0) return null;
  const calls = moving.map((step) =>
    `IFNULL(SETVAL(${qualifiedName(step.counter.schema, step.counter.name)}, ${sqlInteger(step.newNextValue as bigint)}, 0), '-')`);
  return `SET @seqsync_setval = CONCAT_WS(',', ${calls.join(', ')})`;
}

/** The DDL a batch needs: one ALTER per AUTO_INCREMENT or sequence moved back. Each commits implicitly. */
export function ddlStatements(steps: readonly MysqlStep[]): string[] {
  return steps.flatMap((step) => {
    const name = qualifiedName(step.counter.schema, step.counter.name);
    if (step.write === 'alter_auto_increment') return [`ALTER TABLE ${name} AUTO_INCREMENT = ${sqlInteger(step.newNextValue as bigint)}`];
    if (step.write === 'restart') return [`ALTER SEQUENCE ${name} RESTART WITH ${sqlInteger(step.newNextValue as bigint)}`];
    return [];
  });
}

function autoIncrementShape(step: AutoIncrementStep, columnRange: { min: bigint; max: bigint } | null): SequenceShape {
  // MySQL ignores auto_increment_offset when it exceeds auto_increment_increment.
  const increment = step.increment > 0n ? step.increment : 1n;
  const start = step.offset > increment || step.offset < 1n ? 1n : step.offset;
  return { start, increment, minValue: 1n, maxValue: columnRange?.max ?? 2n ** 64n - 1n };
}

function fromDecision(counter: MysqlCounter, state: MysqlLiveState, shape: SequenceShape, nextValue: bigint,
  columnRange: { min: bigint; max: bigint } | null, mode: Mode, write: MysqlWrite, note: string): MysqlStep {
  const decision = decide({ shape, columnRange, nextValue, dataMax: state.dataMax, dataMin: state.dataMin }, mode);
  return {
    counter,
    newNextValue: decision.newNextValue,
    write: decision.newNextValue === null ? null : write,
    report: reportOf(factsOf(counter, state, shape, nextValue), decision, note),
  };
}

function skipNonInteger(
  counter: MysqlCounter, state: MysqlLiveState, shape: SequenceShape, nextValue: bigint, use: MysqlColumnUse,
): MysqlStep {
  const reason = `column ${use.schema}.${use.table}.${use.column} is ${use.dataType}, `
    + 'not an integer type; its values cannot be compared with the counter';
  return {
    counter, newNextValue: null, write: null,
    report: reportOf(factsOf(counter, state, shape, nextValue), skipDecision(shape, nextValue, reason)),
  };
}

function factsOf(counter: MysqlCounter, state: MysqlLiveState, shape: SequenceShape, nextValue: bigint): CounterFacts {
  return {
    schema: counter.schema,
    sequence: counter.name,
    uses: counter.uses.map(({ schema, table, column, kind }) => ({ schema, table, column, kind })),
    increment: shape.increment,
    dataMax: state.dataMax,
    dataMin: state.dataMin,
    nextValueBefore: nextValue,
  };
}

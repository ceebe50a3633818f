import type { SequenceReport } from '../../types';
import type { SequenceShape } from '../../sequence-math';
import type { MysqlColumnUse, MysqlCounter, MysqlLiveState, SequenceState } from './mysql-introspect';
import type { CounterFacts, DecisionRule, Requirement } from '../../sequence-decision';
import { decide, isBehind, reportOf, requirementOf, skipDecision, targetOf, warningsOf } from '../../sequence-decision';
import { narrowestRange, wrappedNextValue } from '../../sequence-math';
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
  /** A sequence's shape, for SETVAL's probe (see settleSetval). */
  readonly shape?: SequenceShape;
  /** The round a sequence's SETVAL is made in (see setvalStatement). */
  readonly round?: bigint;
  /** True when the sequence's next value was only known to lie in its cached block. */
  readonly cached?: boolean;
  /** See PlannedStep.handedOutBefore: the end of the cached block, up to which values may be handed out already. */
  readonly handedOutBefore?: bigint;
  readonly warnings?: readonly string[];
}

/** The mode, and what a cutover asks of this counter. */
interface PlanMode {
  readonly mode: DecisionRule['mode'];
  readonly requirement: Requirement | undefined;
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
export function planCounter(counter: MysqlCounter, state: MysqlLiveState, rule: DecisionRule, step: AutoIncrementStep): MysqlStep {
  const requirement = requirementOf(rule, counter.schema, counter.name);
  const mode = { mode: rule.mode, requirement };
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
  // MariaDB orders a CYCLE sequence's values by (round, value): a SETVAL in an earlier round is ignored.
  const round = state.cycleCount + (position.wraps ? 1n : 0n);
  if (nonInteger !== undefined) return skipNonInteger(counter, state, shape, position.lowest, nonInteger);
  if (position.exact) {
    const planned = fromDecision(counter, state, shape, position.afterBlock, columnRange, mode, 'setval', '');
    // SETVAL never moves a sequence back: a reset backwards needs ALTER SEQUENCE RESTART.
    return { ...planned, round, cached: false, ...(planned.report.action === 'reset' ? { write: 'restart' as const } : {}) };
  }
  const planned = planCachedSequence(counter, state, shape, position, columnRange, mode);
  return { ...planned, round, cached: true, handedOutBefore: position.afterBlock };
}

/**
 * A sequence whose next value is somewhere in its cached block, from `lowest` up to next_not_cached_value, or — once
 * the block is used up — where a CYCLE sequence wraps to. MariaDB keeps that block in memory, shared by every
 * connection, and offers no way to read its position without taking a value. Clear for sure when every candidate is
 * clear of the data, behind for sure when every one is behind. In between `check` does not call it behind, and
 * `realign` sends SETVAL(seq, MAX+1, 0) anyway: MariaDB applies it only if the sequence is really below, and says
 * which (see settleSetval). A reset always writes, to pin the sequence exactly on its target.
 */
function planCachedSequence(counter: MysqlCounter, state: SequenceState, shape: SequenceShape, position: SequencePosition,
  columnRange: { min: bigint; max: bigint } | null, mode: PlanMode): MysqlStep {
  const { lowest, afterBlock } = position;
  const bound = shape.increment > 0n ? shape.maxValue : shape.minValue;
  const lastCached = position.wraps ? bound : afterBlock;
  const note = position.wraps
    ? ` (values are cached in memory: the next one lies between ${lowest} and ${bound}, or is ${afterBlock} once the sequence wraps)`
    : ` (values are cached in memory: the next one lies between ${lowest} and ${afterBlock})`;
  const behind = (value: bigint) => isBehind(value, shape, state.dataMax, state.dataMin, mode.requirement);
  const surelyBehind = behind(afterBlock) && behind(lastCached);
  const maybeBehind = behind(lowest) || behind(afterBlock);
  const planned = fromDecision(counter, state, shape, surelyBehind ? afterBlock : lowest, columnRange, mode, 'setval', note);
  if (planned.report.action === 'skipped') return { ...planned, report: { ...planned.report, nextValueBefore: lowest } };
  const target = targetOf(shape, state.dataMax, state.dataMin, mode.requirement);
  const report = { ...planned.report, nextValueBefore: lowest, nextValueAfter: target, behind: surelyBehind };
  if (mode.mode === 'advance') {
    if (!maybeBehind) return { ...planned, report: { ...planned.report, nextValueBefore: lowest } };
    if (surelyBehind) return { ...planned, report };
    return { ...planned, newNextValue: target, write: 'setval', report: { ...report, action: 'advanced',
      reason: `the data max/min may collide with a cached value; `
        + `SETVAL to ${target} moves the sequence only if it is really behind${note}` } };
  }
  const forward = position.wraps || (shape.increment > 0n ? target >= afterBlock : target <= afterBlock);
  return {
    ...planned, newNextValue: target, write: forward ? 'setval' : 'restart',
    report: { ...report, action: forward ? 'advanced' : 'reset',
      reason: `the target is ${target}, ${mode.requirement === undefined ? 'the first value past the data' : 'the value required'}; `
        + `${forward ? 'SETVAL' : 'ALTER SEQUENCE … RESTART'} pins it there${note}` },
  };
}

/** Where a sequence stands: see {@link sequencePosition}. */
export interface SequencePosition {
  /** True while nothing is cached: the next value is `afterBlock`. */
  readonly exact: boolean;
  /** The lowest value (descending: highest) it may hand out next: the start of its cached block. */
  readonly lowest: bigint;
  /** What it hands out once the cached block is used up: next_not_cached_value, or where a CYCLE sequence wraps to. */
  readonly afterBlock: bigint;
  /** True when `afterBlock` is a CYCLE sequence's wrap past its bound, into the next round. */
  readonly wraps: boolean;
}

/**
 * Where a sequence stands. Exact while nothing is cached: no cache, or never used since START/RESTART
 * (the stored value is then START). Otherwise the lowest value it could still hand out is the start of the
 * cached block, which is what decides whether it can collide. A CYCLE sequence past its bound hands out
 * MINVALUE (descending: MAXVALUE) next, usually into the oldest keys: that value, not the one past the bound, is
 * judged, as on PostgreSQL.
 */
export function sequencePosition(state: SequenceState, shape: SequenceShape): SequencePosition {
  const afterBlock = wrappedNextValue(shape, state.cycle, state.nextNotCached);
  const wraps = afterBlock !== state.nextNotCached;
  if (state.cacheSize <= 1n || state.nextNotCached === shape.start) return { exact: true, lowest: afterBlock, afterBlock, wraps };
  const block = state.cacheSize * shape.increment;
  const lowest = state.nextNotCached - block;
  const bounded = shape.increment > 0n
    ? (lowest < shape.minValue ? shape.minValue : lowest)
    : (lowest > shape.maxValue ? shape.maxValue : lowest);
  return { exact: false, lowest: bounded, afterBlock, wraps };
}

/**
 * What SETVAL's answers prove. `SETVAL(seq, n, 0)` returns n when the sequence's next value was at or below n — and
 * then it is n — and NULL when it was already past n. So n alone cannot tell "moved" from "was exactly n"; the probe
 * SETVAL(seq, n − increment, 0) sent just before can: NULL there means the next value was already n or past it,
 * and nothing moved. `probe` is '?' where n − increment lies outside the sequence's range (no probe was sent).
 * What the answers say holds for every connection: the cached block is the server's, not a session's.
 */
export function settleSetval(step: MysqlStep, probe: string | null, result: string | null): MysqlStep {
  if (step.write !== 'setval' || step.newNextValue === null) return step;
  const target = step.newNextValue;
  const unchanged = (next: bigint, reason: string): MysqlStep => ({
    ...step,
    newNextValue: null,
    write: null,
    // Unchanged means after = before, as everywhere else: both are what the answers proved about the next value.
    report: { ...step.report, action: 'unchanged', behind: false, nextValueBefore: next, nextValueAfter: next, reason },
  });
  if (result === null) {
    return unchanged(target + step.report.increment,
      `the sequence was already past ${target}, clear of the data; left as it is (its next value is ${target + step.report.increment} `
      + 'or later: the values it has cached in memory cannot be read without taking one)');
  }
  if (probe === null) return unchanged(target, `next value ${target} is already the first past the data; left as it is`);
  const reason = step.cached
    ? `the sequence stood behind ${target}, somewhere in its cached block from ${step.report.nextValueBefore}; SETVAL moved it to ${target}`
    : step.report.reason;
  return { ...step, report: { ...step.report, reason, behind: step.report.behind || step.report.action === 'advanced' } };
}

/**
 * `SET @seqsync_setval = '4,-,…'`: every forward sequence move in one statement, each as a probe and the move (see
 * settleSetval), their answers kept for the report. The round (`cycle_count`) is given explicitly: MariaDB ignores a
 * SETVAL in an earlier round than the sequence's, and a wrapping CYCLE sequence must be set in the next one.
 */
export function setvalStatement(steps: readonly MysqlStep[]): string | null {
  const moving = steps.filter((step) => step.write === 'setval');
  if (moving.length === 0) return null;
  const calls = moving.flatMap((step) => {
    const name = qualifiedName(step.counter.schema, step.counter.name);
    const round = sqlInteger(step.round ?? 0n);
    const target = step.newNextValue as bigint;
    const before = target - step.report.increment;
    const shape = step.shape;
    const probe = shape !== undefined && before >= shape.minValue && before <= shape.maxValue
      ? `IFNULL(SETVAL(${name}, ${sqlInteger(before)}, 0, ${round}), '-')`
      : '\'?\'';
    return [probe, `IFNULL(SETVAL(${name}, ${sqlInteger(target)}, 0, ${round}), '-')`];
  });
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

export function autoIncrementShape(step: AutoIncrementStep, columnRange: { min: bigint; max: bigint } | null): SequenceShape {
  // MySQL ignores auto_increment_offset when it exceeds auto_increment_increment.
  const increment = step.increment > 0n ? step.increment : 1n;
  const start = step.offset > increment || step.offset < 1n ? 1n : step.offset;
  return { start, increment, minValue: 1n, maxValue: columnRange?.max ?? 2n ** 64n - 1n };
}

function fromDecision(counter: MysqlCounter, state: MysqlLiveState, shape: SequenceShape, nextValue: bigint,
  columnRange: { min: bigint; max: bigint } | null, mode: PlanMode, write: MysqlWrite, note: string): MysqlStep {
  const beyondBound = state.kind === 'sequence' ? state.beyondBound : null;
  const decision = decide({
    shape, columnRange, nextValue, dataMax: state.dataMax, dataMin: state.dataMin, beyondBound, requirement: mode.requirement,
  }, mode.mode);
  const facts = factsOf(counter, state, shape, nextValue);
  const warnings = warningsOf(facts, decision);
  return {
    counter,
    newNextValue: decision.newNextValue,
    write: decision.newNextValue === null ? null : write,
    report: reportOf(facts, decision, note),
    ...(state.kind === 'sequence' ? { shape } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
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

import type { Action, CutoverEvidence, Mode, SequenceReport } from './types';
import type { SequenceShape } from './sequence-math';
import { exhaustionPercent, isBehindData, isForward, nextValueAfterData, nextValueOf, usableBounds } from './sequence-math';
import { EXHAUSTION_WARNING_PERCENT } from './types';

/** Everything a decision needs about one sequence-like counter; no database types. */
export interface CounterState {
  readonly shape: SequenceShape;
  /** Narrower of the column types' ranges, or null when the columns add no bound. */
  readonly columnRange: { min: bigint; max: bigint } | null;
  readonly nextValue: bigint;
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
  /**
   * The data's extreme beyond the sequence's own bound — above MAXVALUE (descending: below MINVALUE) — when there is
   * such a key; `dataMax` / `dataMin` then hold the extreme within the bound. The sequence never hands such a key
   * out, so it cannot collide with one: it earns a warning, never "behind".
   */
  readonly beyondBound?: bigint | null;
  /** With `from` or `margin`: the value the counter must reach besides the data's (see {@link requirementOf}). */
  readonly requirement?: Requirement;
}

/**
 * What a run with `from` or `margin` asks of one counter besides clearing its data. With `from`, the source's next
 * value (null when no source counter feeds this one: it is then decided by the target alone, without a margin); the
 * margin in steps of the counter's own increment.
 */
export interface Requirement {
  readonly fromSource: boolean;
  readonly sourceCounter: string | null;
  readonly sourceNextValue: bigint | null;
  readonly margin: number;
}

/** What every dialect plans with: the mode, and for a cutover where each counter's source stands. */
export interface DecisionRule {
  readonly mode: Mode;
  readonly cutover: CutoverRule | null;
}

/** A run's `from` and `margin`, as the runner resolved them before the first batch. */
export interface CutoverRule {
  readonly margin: number;
  /** Source positions by target counter ({@link counterKey}); null without `from`. */
  readonly sources: ReadonlyMap<string, { readonly counter: string; readonly nextValue: bigint }> | null;
}

/** The key of one counter within one database: its schema and name, which a report names it by. */
export function counterKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

/** The requirement a rule puts on the counter `schema.name`; undefined for a run without `from` or `margin`. */
export function requirementOf(rule: DecisionRule, schema: string, name: string): Requirement | undefined {
  const cutover = rule.cutover;
  if (cutover === null) return undefined;
  if (cutover.sources === null) {
    return cutover.margin === 0 ? undefined : { fromSource: false, sourceCounter: null, sourceNextValue: null, margin: cutover.margin };
  }
  const source = cutover.sources.get(counterKey(schema, name));
  return { fromSource: true, sourceCounter: source?.counter ?? null, sourceNextValue: source?.nextValue ?? null, margin: cutover.margin };
}

/**
 * The value a requirement asks for, on the counter's own progression (`start + k·increment`): the source's next value,
 * rounded on to that progression, or without `from` the first value past the data; plus `margin` increments. Null
 * when nothing is asked beyond the data. The rounding matters where nodes interleave (START 2 INCREMENT 2 for this
 * node's even ids): the source's odd 101 would hand out the other node's ids.
 */
export function requiredNextValue(shape: SequenceShape, dataNext: bigint, requirement: Requirement | undefined): bigint | null {
  if (requirement === undefined) return null;
  const base = requirement.fromSource ? requirement.sourceNextValue : dataNext;
  return base === null ? null : onProgression(shape, base) + BigInt(requirement.margin) * shape.increment;
}

/** The first value of `start + k·increment` (k of either sign) at or past `value` in the sequence's direction. */
export function onProgression(shape: Pick<SequenceShape, 'start' | 'increment'>, value: bigint): bigint {
  const { start, increment } = shape;
  const distance = increment > 0n ? value - start : start - value;
  const step = increment > 0n ? increment : -increment;
  // BigInt division truncates toward zero: a ceiling for positive distances, already exact for negative ones.
  const steps = distance > 0n ? (distance + step - 1n) / step : distance / step;
  return start + steps * increment;
}

/** The value a counter must reach: the first past the data, or the requirement when that comes later. */
export function targetOf(shape: SequenceShape, dataMax: bigint | null, dataMin: bigint | null, requirement?: Requirement): bigint {
  const dataNext = nextValueAfterData(shape, dataMax, dataMin);
  const required = requiredNextValue(shape, dataNext, requirement);
  return required !== null && isForward(required, dataNext, shape.increment) ? required : dataNext;
}

/**
 * Whether `nextValue` would collide with the data or come before the source's position (plus the margin). A margin
 * without a source only says how far past the data a counter that moves goes: a counter clear of its data is not
 * behind for lack of it, or every insert after a realign would put it behind again.
 */
export function isBehind(nextValue: bigint, shape: SequenceShape, dataMax: bigint | null, dataMin: bigint | null,
  requirement?: Requirement): boolean {
  if (isBehindData(nextValue, shape.increment, dataMax, dataMin)) return true;
  if (requirement?.fromSource !== true) return false;
  const required = requiredNextValue(shape, nextValueAfterData(shape, dataMax, dataMin), requirement);
  return required !== null && isForward(required, nextValue, shape.increment);
}

export interface Decision {
  readonly action: Action;
  /** Set when the counter must move: the value the next insert will get. */
  readonly newNextValue: bigint | null;
  readonly nextValueAfter: bigint;
  readonly behind: boolean;
  readonly reason: string;
  readonly exhaustionPercent: number;
  readonly exhaustionWarning: boolean;
  /** Set when the data holds a key the sequence can never hand out (see {@link CounterState.beyondBound}). */
  readonly warning: string | null;
  /** Present when the state carried a requirement. */
  readonly cutover?: CutoverEvidence;
}

/**
 * The rule every dialect plans with. `advance` moves a counter only when it would hand out a key the data
 * already holds, and only forward. `reset` puts it exactly on the first value past the data, in either
 * direction — the explicit opt-in for "I deleted rows and want the ids compacted".
 */
export function decide(state: CounterState, mode: Mode): Decision {
  const { shape, nextValue, dataMax, dataMin, requirement } = state;
  const bounds = usableBounds(shape, state.columnRange);
  const behind = isBehind(nextValue, shape, dataMax, dataMin, requirement);
  const dataNext = nextValueAfterData(shape, dataMax, dataMin);
  const wanted = targetOf(shape, dataMax, dataMin, requirement);
  const required = requiredNextValue(shape, dataNext, requirement);
  const ascending = shape.increment > 0n;
  const extreme = ascending ? dataMax : dataMin;
  const beyond = state.beyondBound ?? null;
  const within = beyond === null ? '' : ` within ${ascending ? 'MAXVALUE' : 'MINVALUE'}`;
  const dataText = extreme === null
    ? (beyond === null ? 'the table is empty' : `no key${within}`)
    : `data ${ascending ? 'max' : 'min'}${within} is ${extreme}`;
  const outOfRange = wanted > bounds.max || wanted < bounds.min;
  const warning = beyond === null ? null
    : `holds the key ${beyond}, ${ascending ? 'above its MAXVALUE' : 'below its MINVALUE'} `
      + `${ascending ? shape.maxValue : shape.minValue}: the sequence never hands that key out, so it is judged by the data `
      + `it can reach (${extreme === null ? 'none' : extreme})`;

  const demand = requirement === undefined ? '' : demandText(requirement, required);

  // Reasons are worded the same whether realign wrote or a read-only run only planned: `action` says which.
  const result = (action: Action, newNextValue: bigint | null, reason: string): Decision => {
    const nextValueAfter = newNextValue ?? nextValue;
    const decidedBy: CutoverEvidence['decidedBy'] = newNextValue === null ? 'current'
      : required !== null && newNextValue === required && requirement?.fromSource === true ? 'source' : 'data';
    return {
      action, newNextValue, nextValueAfter, behind, reason: `${reason}${demand}`, warning,
      ...exhaustion(shape, bounds, outOfRange && action === 'skipped' ? wanted : nextValueAfter),
      ...(requirement === undefined ? {} : { cutover: {
        sourceCounter: requirement.sourceCounter, sourceNextValue: requirement.sourceNextValue, margin: requirement.margin,
        requiredNextValue: required, decidedBy,
      } }),
    };
  };

  if (mode === 'advance') {
    if (!behind) {
      return result('unchanged', null, `next value ${nextValue} is clear of the data (${dataText})`);
    }
    if (outOfRange) {
      return result('skipped', null,
        `exhausted: ${dataText}, the next value ${wanted} lies outside the usable range ${bounds.min}..${bounds.max}`);
    }
    const collides = isBehindData(nextValue, shape.increment, dataMax, dataMin);
    return result('advanced', wanted, `next value ${nextValue} ${collides ? 'would collide' : 'is short of the requirement'} `
      + `(${dataText}); the target is ${wanted}`);
  }
  if (outOfRange) {
    return result('skipped', null,
      `exhausted: ${dataText}, the next value ${wanted} lies outside the usable range ${bounds.min}..${bounds.max}`);
  }
  const target = wanted === dataNext ? 'the first value past the data' : 'the value required';
  if (wanted === nextValue) {
    return result('unchanged', null, `next value ${nextValue} is already ${target} (${dataText})`);
  }
  const forward = isForward(wanted, nextValue, shape.increment);
  return result(forward ? 'advanced' : 'reset', wanted,
    `next value ${nextValue} is ${forward ? 'behind' : 'ahead of'} ${wanted}, ${target} (${dataText}); `
    + `the target is ${wanted}`);
}

/** The requirement in a reason's words, so a report line says what besides the data the value was held to. */
function demandText(requirement: Requirement, required: bigint | null): string {
  const steps = requirement.margin === 0 ? '' : ` + ${requirement.margin} step${requirement.margin === 1 ? '' : 's'}`;
  if (!requirement.fromSource) return `; required ${required} (the first value past the data${steps})`;
  if (requirement.sourceNextValue === null) return '; no source counter feeds this column: decided by the target alone';
  return `; required ${required} (source ${requirement.sourceCounter} next value ${requirement.sourceNextValue}${steps})`;
}

/**
 * A report entry of a read-only run (check, dry run): a planned move says `would_advance` / `would_reset`, so
 * nothing in a report that wrote nothing reads as a change. Its `nextValueAfter` is the value realign would set.
 */
export function asPlanned(report: SequenceReport): SequenceReport {
  if (report.action === 'advanced') return { ...report, action: 'would_advance' };
  if (report.action === 'reset') return { ...report, action: 'would_reset' };
  return report;
}

/** The warnings of one counter's decision, naming it, for its step's `warnings`. */
export function warningsOf(facts: Pick<CounterFacts, 'schema' | 'sequence'>, decision: Pick<Decision, 'warning'>): string[] {
  return decision.warning === null ? [] : [`sequence ${facts.schema}.${facts.sequence} ${decision.warning}`];
}

/**
 * A counter the rule cannot judge — a column it feeds is not an integer, so its values cannot be compared with
 * the counter's — left as it is and reported as skipped, never as behind.
 */
export function skipDecision(shape: SequenceShape, nextValue: bigint, reason: string): Decision {
  return {
    action: 'skipped', newNextValue: null, nextValueAfter: nextValue, behind: false, reason, warning: null,
    ...exhaustion(shape, usableBounds(shape, null), nextValue),
  };
}

/** How much of its range a counter has used at `nextValue`, and whether that is worth a warning. */
export function exhaustion(
  shape: SequenceShape, bounds: { min: bigint; max: bigint }, nextValue: bigint,
): { exhaustionPercent: number; exhaustionWarning: boolean } {
  const percent = exhaustionPercent(shape, bounds, nextValue);
  return { exhaustionPercent: percent, exhaustionWarning: percent >= EXHAUSTION_WARNING_PERCENT };
}

/** What every report entry says about a counter before any decision: which it is, what it feeds, where it stands. */
export type CounterFacts = Pick<SequenceReport, 'schema' | 'sequence' | 'uses' | 'increment' | 'dataMax' | 'dataMin' | 'nextValueBefore'>;

/** A report entry: the counter's facts and the decision taken on it, `note` appended to its reason. */
export function reportOf(facts: CounterFacts, decision: Omit<Decision, 'warning'>, note = ''): SequenceReport {
  // Built in one piece: at 10,000 counters every intermediate object here shows in the peak RSS.
  return {
    schema: facts.schema, sequence: facts.sequence, uses: facts.uses, increment: facts.increment,
    dataMax: facts.dataMax, dataMin: facts.dataMin, nextValueBefore: facts.nextValueBefore,
    nextValueAfter: decision.nextValueAfter, behind: decision.behind, action: decision.action,
    reason: flat(note === '' ? decision.reason : `${decision.reason}${note}`),
    exhaustionPercent: decision.exhaustionPercent, exhaustionWarning: decision.exhaustionWarning,
    ...(decision.cutover === undefined ? {} : { cutover: decision.cutover }),
  };
}

/**
 * The text as one flat string. A reason built from pieces is held as the tree of them (V8's cons strings); reading a
 * character makes V8 replace the tree by one copy, half its size — a report keeps one reason per counter.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

export { nextValueOf };

/** The rule of a run without `from` or `margin`: the mode alone. */
export function plainRule(mode: Mode): DecisionRule {
  return { mode, cutover: null };
}

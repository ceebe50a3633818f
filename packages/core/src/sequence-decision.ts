import type { Action, Mode, SequenceReport } from './types';
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
}

/**
 * The rule every dialect plans with. `advance` moves a counter only when it would hand out a key the data
 * already holds, and only forward. `reset` puts it exactly on the first value past the data, in either
 * direction — the explicit opt-in for "I deleted rows and want the ids compacted".
 */
export function decide(state: CounterState, mode: Mode): Decision {
  const { shape, nextValue, dataMax, dataMin } = state;
  const bounds = usableBounds(shape, state.columnRange);
  const behind = isBehindData(nextValue, shape.increment, dataMax, dataMin);
  const wanted = nextValueAfterData(shape, dataMax, dataMin);
  const extreme = shape.increment > 0n ? dataMax : dataMin;
  const dataText = extreme === null ? 'the table is empty' : `data ${shape.increment > 0n ? 'max' : 'min'} is ${extreme}`;
  const outOfRange = wanted > bounds.max || wanted < bounds.min;

  const result = (action: Action, newNextValue: bigint | null, reason: string): Decision => {
    const nextValueAfter = newNextValue ?? nextValue;
    return {
      action, newNextValue, nextValueAfter, behind, reason,
      ...exhaustion(shape, bounds, outOfRange && action === 'skipped' ? wanted : nextValueAfter),
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
    return result('advanced', wanted, `next value ${nextValue} would collide (${dataText}); moved to ${wanted}`);
  }
  if (outOfRange) {
    return result('skipped', null,
      `exhausted: ${dataText}, the next value ${wanted} lies outside the usable range ${bounds.min}..${bounds.max}`);
  }
  if (wanted === nextValue) {
    return result('unchanged', null, `next value ${nextValue} is already the first past the data (${dataText})`);
  }
  const forward = isForward(wanted, nextValue, shape.increment);
  return result(forward ? 'advanced' : 'reset', wanted,
    `${forward ? 'moved forward' : 'moved back'} from ${nextValue} to ${wanted}, the first value past the data (${dataText})`);
}

/**
 * A counter the rule cannot judge — a column it feeds is not an integer, so its values cannot be compared with
 * the counter's — left as it is and reported as skipped, never as behind.
 */
export function skipDecision(shape: SequenceShape, nextValue: bigint, reason: string): Decision {
  return {
    action: 'skipped', newNextValue: null, nextValueAfter: nextValue, behind: false, reason,
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
export function reportOf(facts: CounterFacts, decision: Decision, note = ''): SequenceReport {
  // Built in one piece: at 10,000 counters every intermediate object here shows in the peak RSS.
  return {
    schema: facts.schema, sequence: facts.sequence, uses: facts.uses, increment: facts.increment,
    dataMax: facts.dataMax, dataMin: facts.dataMin, nextValueBefore: facts.nextValueBefore,
    nextValueAfter: decision.nextValueAfter, behind: decision.behind, action: decision.action,
    reason: note === '' ? decision.reason : `${decision.reason}${note}`,
    exhaustionPercent: decision.exhaustionPercent, exhaustionWarning: decision.exhaustionWarning,
  };
}

export { nextValueOf };

import type { Action, Mode } from './types';
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
    const percent = exhaustionPercent(shape, bounds, outOfRange && action === 'skipped' ? wanted : nextValueAfter);
    return { action, newNextValue, nextValueAfter, behind, reason, exhaustionPercent: percent, exhaustionWarning: percent >= EXHAUSTION_WARNING_PERCENT };
  };

  if (mode === 'advance') {
    if (!behind) {
      return result('unchanged', null, `next value ${nextValue} is clear of the data (${dataText})`);
    }
    if (outOfRange) {
      return result('skipped', null, `exhausted: ${dataText}, the next value ${wanted} lies outside the usable range ${bounds.min}..${bounds.max}`);
    }
    return result('advanced', wanted, `next value ${nextValue} would collide (${dataText}); moved to ${wanted}`);
  }
  if (outOfRange) {
    return result('skipped', null, `exhausted: ${dataText}, the next value ${wanted} lies outside the usable range ${bounds.min}..${bounds.max}`);
  }
  if (wanted === nextValue) {
    return result('unchanged', null, `next value ${nextValue} is already the first past the data (${dataText})`);
  }
  const forward = isForward(wanted, nextValue, shape.increment);
  return result(forward ? 'advanced' : 'reset', wanted,
    `${forward ? 'moved forward' : 'moved back'} from ${nextValue} to ${wanted}, the first value past the data (${dataText})`);
}

export { nextValueOf };

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
  /**
   * The data's extreme beyond the sequence's own bound — above MAXVALUE (descending: below MINVALUE) — when there is
   * such a key; `dataMax` / `dataMin` then hold the extreme within the bound. The sequence never hands such a key
   * out, so it cannot collide with one: it earns a warning, never "behind".
   */
  readonly beyondBound?: bigint | null;
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

  // Reasons are worded the same whether realign wrote or a read-only run only planned: `action` says which.
  const result = (action: Action, newNextValue: bigint | null, reason: string): Decision => {
    const nextValueAfter = newNextValue ?? nextValue;
    return {
      action, newNextValue, nextValueAfter, behind, reason, warning,
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
    return result('advanced', wanted, `next value ${nextValue} would collide (${dataText}); the target is ${wanted}`);
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
    `next value ${nextValue} is ${forward ? 'behind' : 'ahead of'} ${wanted}, the first value past the data (${dataText}); `
    + `the target is ${wanted}`);
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
    reason: note === '' ? decision.reason : `${decision.reason}${note}`,
    exhaustionPercent: decision.exhaustionPercent, exhaustionWarning: decision.exhaustionWarning,
  };
}

export { nextValueOf };

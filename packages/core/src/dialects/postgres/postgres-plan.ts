import type { Mode, SequenceReport } from '../../types';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresLiveState } from './postgres-live-read';
import { decide, nextValueOf, reportOf, skipDecision, warningsOf } from '../../sequence-decision';
import { narrowestRange, wrappedNextValue } from '../../sequence-math';
import { INTEGER_TYPE_RANGES } from './postgres-sql';

/** One sequence's planned outcome: the report entry plus, when it must move, the value to set. */
export interface PostgresStep {
  readonly sequence: PostgresSequence;
  readonly report: SequenceReport;
  /** The value the next `nextval` must return; null when the sequence is left as it is. */
  readonly newNextValue: bigint | null;
  readonly warnings?: readonly string[];
}

/** Pure: catalog facts and live state in, the step out. */
export function planCounter(sequence: PostgresSequence, state: PostgresLiveState, mode: Mode): PostgresStep {
  const nextValueBefore = wrappedNextValue(
    sequence.shape, sequence.cycle, nextValueOf(state.lastValue, state.isCalled, sequence.shape.increment));
  const facts = {
    schema: sequence.schema, sequence: sequence.name, increment: sequence.shape.increment,
    uses: sequence.uses.map(({ schema, table, column, kind }) => ({ schema, table, column, kind })),
    dataMax: state.dataMax, dataMin: state.dataMin, nextValueBefore,
  };
  const ranges = sequence.uses.map((use) => INTEGER_TYPE_RANGES[use.columnType]);
  const nonInteger = sequence.uses.find((_, index) => ranges[index] === undefined);
  const decision = nonInteger !== undefined
    ? skipDecision(sequence.shape, nextValueBefore, `column ${nonInteger.schema}.${nonInteger.table}.${nonInteger.column} is `
      + `${nonInteger.columnType}, not an integer type; its values cannot be compared with the sequence`)
    : decide({
      shape: sequence.shape, columnRange: narrowestRange(ranges), nextValue: nextValueBefore,
      dataMax: state.dataMax, dataMin: state.dataMin, beyondBound: state.beyondBound ?? null,
    }, mode);
  const warnings = warningsOf(facts, decision);
  return {
    sequence, newNextValue: decision.newNextValue, report: reportOf(facts, decision), ...(warnings.length > 0 ? { warnings } : {}),
  };
}

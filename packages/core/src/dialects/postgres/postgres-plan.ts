import type { SequenceReport } from '../../types';
import type { DecisionRule } from '../../sequence-decision';
import type { PostgresColumnUse, PostgresSequence } from './postgres-introspect';
import type { PostgresLiveState } from './postgres-live-read';
import { decide, nextValueOf, reportOf, requirementOf, skipDecision, warningsOf } from '../../sequence-decision';
import { narrowestRange, wrappedNextValue } from '../../sequence-math';
import { keyRange } from './postgres-sql';

/** One sequence's planned outcome: the report entry plus, when it must move, the value to set. */
export interface PostgresStep {
  readonly sequence: PostgresSequence;
  readonly report: SequenceReport;
  /** The value the next `nextval` must return; null when the sequence is left as it is. */
  readonly newNextValue: bigint | null;
  /** Columns the sequence feeds whose values it was not compared with. */
  readonly warnings?: readonly string[];
}

/**
 * Pure: catalog facts and live state in, the step out. A sequence is judged by the integer keys it feeds; one that
 * also feeds a text column (`'C' || nextval('s')`) is realigned from its integer columns, and the text column named
 * in a warning. Only a sequence that feeds no comparable column at all is skipped.
 */
export function planCounter(sequence: PostgresSequence, state: PostgresLiveState, rule: DecisionRule): PostgresStep {
  const nextValueBefore = wrappedNextValue(
    sequence.shape, sequence.cycle, nextValueOf(state.lastValue, state.isCalled, sequence.shape.increment));
  const facts = {
    schema: sequence.schema, sequence: sequence.name, increment: sequence.shape.increment,
    uses: sequence.uses.map(({ schema, table, column, kind }) => ({ schema, table, column, kind })),
    dataMax: state.dataMax, dataMin: state.dataMin, nextValueBefore,
  };
  const ranges = sequence.uses.map((use) => keyRange(use.columnType, use.typeModifier));
  const comparable = ranges.filter((range): range is { min: bigint; max: bigint } => range !== null);
  const others = sequence.uses.filter((_, index) => ranges[index] === null);
  const columnOf = (use: PostgresColumnUse) => `${use.schema}.${use.table}.${use.column}`;
  const decision = comparable.length === 0
    ? skipDecision(sequence.shape, nextValueBefore, `column ${columnOf(others[0])} is `
      + `${others[0].columnType}, not an integer type; its values cannot be compared with the sequence`)
    : decide({
      shape: sequence.shape, columnRange: narrowestRange(comparable), nextValue: nextValueBefore,
      dataMax: state.dataMax, dataMin: state.dataMin, beyondBound: state.beyondBound ?? null,
      requirement: requirementOf(rule, sequence.schema, sequence.name),
    }, rule.mode);
  const warnings = [
    ...warningsOf(facts, decision),
    ...(comparable.length === 0 ? [] : others.map((use) => `sequence ${sequence.schema}.${sequence.name} also feeds `
      + `${columnOf(use)} (${use.columnType}), whose values cannot be compared with it: judged by its integer columns only`)),
  ];
  return {
    sequence, newNextValue: decision.newNextValue, report: reportOf(facts, decision), ...(warnings.length > 0 ? { warnings } : {}),
  };
}

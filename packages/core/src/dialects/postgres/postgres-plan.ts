import type { Mode, SequenceReport } from '../../types';
import type { PostgresLiveState, PostgresSequence } from './postgres-introspect';
import { decide, nextValueOf } from '../../sequence-decision';
import { INTEGER_TYPE_RANGES, exhaustionPercent, usableBounds } from '../../sequence-math';
import { EXHAUSTION_WARNING_PERCENT } from '../../types';
import { qualifiedName, quoteLiteral, sqlInteger } from './postgres-sql';

/** One sequence's planned outcome: the report entry plus, when it must move, the value to set. */
export interface PostgresStep {
  readonly sequence: PostgresSequence;
  readonly report: SequenceReport;
  /** The value the next `nextval` must return; null when the sequence is left as it is. */
  readonly newNextValue: bigint | null;
}

/** Pure: catalog facts and live state in, the step out. */
export function planSequence(sequence: PostgresSequence, state: PostgresLiveState, mode: Mode): PostgresStep {
  const nextValueBefore = nextValueOf(state.lastValue, state.isCalled, sequence.shape.increment);
  const base = {
    schema: sequence.schema,
    sequence: sequence.name,
    uses: sequence.uses.map(({ schema, table, column, kind }) => ({ schema, table, column, kind })),
    increment: sequence.shape.increment,
    dataMax: state.dataMax,
    dataMin: state.dataMin,
    nextValueBefore,
  };
  const nonInteger = sequence.uses.find((use) => INTEGER_TYPE_RANGES[use.columnType] === undefined);
  if (nonInteger !== undefined) {
    const percent = exhaustionPercent(sequence.shape, usableBounds(sequence.shape, null), nextValueBefore);
    return {
      sequence,
      newNextValue: null,
      report: {
        ...base, nextValueAfter: nextValueBefore, behind: false, action: 'skipped',
        reason: `column ${nonInteger.schema}.${nonInteger.table}.${nonInteger.column} is ${nonInteger.columnType}, not an integer type; its values cannot be compared with the sequence`,
        exhaustionPercent: percent, exhaustionWarning: percent >= EXHAUSTION_WARNING_PERCENT,
      },
    };
  }
  const decision = decide({
    shape: sequence.shape,
    columnRange: narrowestRange(sequence.uses.map((use) => INTEGER_TYPE_RANGES[use.columnType])),
    nextValue: nextValueBefore,
    dataMax: state.dataMax,
    dataMin: state.dataMin,
  }, mode);
  return {
    sequence,
    newNextValue: decision.newNextValue,
    report: {
      ...base,
      nextValueAfter: decision.nextValueAfter,
      behind: decision.behind,
      action: decision.action,
      reason: decision.reason,
      exhaustionPercent: decision.exhaustionPercent,
      exhaustionWarning: decision.exhaustionWarning,
    },
  };
}

/**
 * One statement for every sequence that moves. `is_called = false` with the next value itself, rather
 * than `last_value = next - increment`, keeps the value inside [MINVALUE, MAXVALUE] even when the next
 * value is START on an empty table or the last value the sequence may hand out.
 */
export function setvalStatement(steps: readonly PostgresStep[]): string | null {
  const moving = steps.filter((step) => step.newNextValue !== null);
  if (moving.length === 0) return null;
  const rows = moving.map((step) =>
    `  (${quoteLiteral(qualifiedName(step.sequence.schema, step.sequence.name))}::regclass, ${sqlInteger(step.newNextValue as bigint)}::int8)`);
  return `SELECT pg_catalog.setval(v.sequence, v.next_value, false)\nFROM (VALUES\n${rows.join(',\n')}\n) AS v(sequence, next_value)`;
}

/**
 * Every table feeding a batch's sequences, in one LOCK, in a fixed order so two runs cannot deadlock.
 * SHARE ROW EXCLUSIVE blocks INSERT/UPDATE/DELETE (so MAX cannot change under us) while plain SELECTs
 * go on, and it conflicts with itself, so two seqsync runs on the same tables take turns.
 */
export function lockStatement(sequences: readonly PostgresSequence[]): string | null {
  const tables = new Map<string, string>();
  for (const sequence of sequences) {
    for (const use of sequence.uses) tables.set(`${use.schema}\u0000${use.table}`, qualifiedName(use.schema, use.table));
  }
  if (tables.size === 0) return null;
  const ordered = [...tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, sql]) => sql);
  return `LOCK TABLE ${ordered.join(', ')} IN SHARE ROW EXCLUSIVE MODE`;
}

function narrowestRange(ranges: readonly { min: bigint; max: bigint }[]): { min: bigint; max: bigint } | null {
  if (ranges.length === 0) return null;
  return ranges.reduce((acc, r) => ({ min: r.min > acc.min ? r.min : acc.min, max: r.max < acc.max ? r.max : acc.max }));
}

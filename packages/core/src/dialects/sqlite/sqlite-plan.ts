import type { SequenceReport } from '../../types';
import type { DecisionRule } from '../../sequence-decision';
import type { SequenceShape } from '../../sequence-math';
import type { SqliteLiveState, SqliteTable } from './sqlite-introspect';
import { decide, exhaustion, reportOf, requiredNextValue, requirementOf } from '../../sequence-decision';
import { quoteIdent, quoteLiteral, sqlInteger } from './sqlite-sql';

/** A rowid is a signed 64-bit integer; AUTOINCREMENT starts at 1 and counts up by 1. */
const ROWID_SHAPE: SequenceShape = { start: 1n, increment: 1n, minValue: 1n, maxValue: 2n ** 63n - 1n };
const ROWID_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
/** The ids AUTOINCREMENT hands out. */
export const ROWID_BOUNDS = { min: ROWID_SHAPE.minValue, max: ROWID_SHAPE.maxValue };

export interface SqliteStep {
  readonly table: SqliteTable;
  readonly report: SequenceReport;
  /** The id the next insert must get; null when left as it is. sqlite_sequence stores the one before it. */
  readonly newNextValue: bigint | null;
  /** Whether the table has a sqlite_sequence row to update, or one must be inserted. */
  readonly rowExists: boolean;
}

/**
 * Pure: one table's key and live state in, its step out. With AUTOINCREMENT the counter is the stored
 * high-water mark, so the next value it promises is `seq + 1`; it is behind when that is at or below MAX —
 * SQLite still takes max(seq, MAX(rowid)) + 1 for the next insert, but ids deleted from the top would
 * come back, which AUTOINCREMENT exists to prevent.
 */
export function planCounter(table: SqliteTable, state: SqliteLiveState, rule: DecisionRule): SqliteStep {
  const base = {
    schema: table.schema,
    sequence: table.table,
    uses: [{
      schema: table.schema, table: table.table, column: table.column,
      kind: table.autoincrement ? 'auto_increment' as const : 'rowid' as const,
    }],
    increment: 1n,
    dataMax: state.dataMax,
    dataMin: state.dataMin,
  };
  if (!table.autoincrement) {
    const next = state.dataMax === null || state.dataMax < 0n ? 1n : state.dataMax + 1n;
    const requirement = requirementOf(rule, table.schema, table.table);
    const required = requiredNextValue(ROWID_SHAPE, next, requirement);
    if (requirement !== undefined && required !== null && required > next) {
      // A cutover asks for more than SQLite will give: the next insert reuses ids the source already handed out.
      const decision = decide({ shape: ROWID_SHAPE, columnRange: ROWID_RANGE, nextValue: next, dataMax: state.dataMax,
        dataMin: state.dataMin, requirement }, rule.mode);
      return {
        table, newNextValue: null, rowExists: false,
        report: reportOf({ ...base, nextValueBefore: next }, {
          ...decision, action: 'skipped', newNextValue: null, nextValueAfter: next, behind: true,
          // Nothing moves it: its next value stays where SQLite's max(rowid)+1 puts it.
          ...(decision.cutover === undefined ? {} : { cutover: { ...decision.cutover, decidedBy: 'current' as const } }),
          reason: `INTEGER PRIMARY KEY without AUTOINCREMENT: SQLite gives each insert max(rowid)+1 and keeps no counter `
            + `to move to the required ${required}, so ids from ${next} the source handed out come back; declare the key AUTOINCREMENT`,
        }),
      };
    }
    return {
      table, newNextValue: null, rowExists: false,
      report: reportOf({ ...base, nextValueBefore: next }, {
        action: 'unchanged', newNextValue: null, nextValueAfter: next, behind: false,
        reason: 'INTEGER PRIMARY KEY without AUTOINCREMENT: SQLite gives each insert max(rowid)+1, so there is no counter to realign',
        ...exhaustion(ROWID_SHAPE, ROWID_RANGE, next),
      }),
    };
  }
  const rowExists = state.sequenceValue !== null;
  const nextValue = (state.sequenceValue ?? 0n) + 1n;
  const decision = decide(
    {
      shape: ROWID_SHAPE, columnRange: ROWID_RANGE, nextValue, dataMax: state.dataMax, dataMin: state.dataMin,
      requirement: requirementOf(rule, table.schema, table.table),
    }, rule.mode);
  const note = rowExists ? '' : ' (the table has no sqlite_sequence row)';
  return {
    table,
    rowExists,
    newNextValue: decision.newNextValue,
    report: reportOf({ ...base, nextValueBefore: nextValue }, decision, note),
  };
}

/**
 * The writes for every moving table: per attached database one UPDATE (a CASE over the names) for rows
 * that exist and one INSERT for rows that are missing — two statements at most, whatever the table count.
 * sqlite_sequence has no unique constraint on `name`, so a missing row is inserted, never upserted.
 */
export function writeStatements(steps: readonly SqliteStep[]): string[] {
  const statements: string[] = [];
  const schemas = [...new Set(steps.filter((s) => s.newNextValue !== null).map((s) => s.table.schema))].sort();
  for (const schema of schemas) {
    const moving = steps.filter((s) => s.newNextValue !== null && s.table.schema === schema);
    const sequenceTable = `${quoteIdent(schema)}.sqlite_sequence`;
    const updates = moving.filter((s) => s.rowExists);
    if (updates.length > 0) {
      const cases = updates.map((s) => `WHEN ${quoteLiteral(s.table.table)} THEN ${sqlInteger(s.newNextValue! - 1n)}`).join(' ');
      statements.push(`UPDATE ${sequenceTable} SET seq = CASE name ${cases} END `
        + `WHERE name IN (${updates.map((s) => quoteLiteral(s.table.table)).join(', ')})`);
    }
    const inserts = moving.filter((s) => !s.rowExists);
    if (inserts.length > 0) {
      statements.push(`INSERT INTO ${sequenceTable} (name, seq) VALUES `
        + `${inserts.map((s) => `(${quoteLiteral(s.table.table)}, ${sqlInteger(s.newNextValue! - 1n)})`).join(', ')}`);
    }
  }
  return statements;
}

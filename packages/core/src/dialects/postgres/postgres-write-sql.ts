import type { Mode } from '../../types';
import type { PostgresSequence } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import { qualifiedName, quoteLiteral, sqlInteger } from './postgres-sql';
import { compareText, tableKey } from '../../table-names';

/**
 * One statement for every sequence that moves. `is_called = false` with the next value itself, rather
 * than `last_value = next - increment`, keeps the value inside [MINVALUE, MAXVALUE] even when the next
 * value is START on an empty table or the last value the sequence may hand out.
 *
 * In advance mode the write also cannot move a sequence backwards against a concurrent nextval(). The table
 * locks stop inserts, not sessions calling nextval() themselves (ORMs that fetch ids before inserting,
 * triggers, defaults hidden in functions): values they took between our read and our write would be handed
 * out again by a plain setval to the planned value. So the write keeps the greater (descending: the lesser)
 * of the planned value and the sequence's own next value at that moment; pg_sequence_last_value is NULL while
 * is_called is false, i.e. when nothing was taken since, and GREATEST/LEAST ignore NULL. What remains is the
 * instant inside this one statement, between reading the sequence and setting it. Reset mode means "exactly
 * this value", backwards included, so it writes the planned value as is.
 *
 * Every function, operator and type is named with its schema: a role that may create objects in a schema on the
 * search path could otherwise plant a better-matching `+(numeric, bigint)` that runs as the caller and decides
 * the value written (CVE-2018-1058). GREATEST/LEAST compare through the type's default btree operator class,
 * which no search path reaches.
 *
 * The dry run prints this same text, so what it shows is what realign sends.
 */
export function setvalStatement(steps: readonly PostgresStep[], mode: Mode): string | null {
  const moving = steps.filter((step) => step.newNextValue !== null);
  if (moving.length === 0) return null;
  const name = (step: PostgresStep) => `${quoteLiteral(qualifiedName(step.sequence.schema, step.sequence.name))}::pg_catalog.regclass`;
  if (mode === 'reset') {
    const rows = moving.map((step) => `  (${name(step)}, ${sqlInteger(step.newNextValue as bigint)}::pg_catalog.int8)`);
    return `SELECT pg_catalog.setval(v.sequence, v.next_value, false)\nFROM (VALUES\n${rows.join(',\n')}\n) AS v(sequence, next_value)`;
  }
  const rows = moving.map((step) =>
    `  (${name(step)}, ${sqlInteger(step.newNextValue as bigint)}::pg_catalog.int8, `
    + `${sqlInteger(step.sequence.shape.increment)}::pg_catalog.int8)`);
  const next = 'pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric';
  return `SELECT pg_catalog.setval(v.sequence, (CASE WHEN v.increment OPERATOR(pg_catalog.>) 0::pg_catalog.int8
    THEN GREATEST(v.next_value, ${next})
    ELSE LEAST(v.next_value, ${next}) END)::pg_catalog.int8, false)
FROM (VALUES\n${rows.join(',\n')}\n) AS v(sequence, next_value, increment)`;
}

/**
 * Every table feeding a batch's sequences, in one LOCK, in a fixed order so two runs cannot deadlock.
 * SHARE ROW EXCLUSIVE blocks INSERT/UPDATE/DELETE (so MAX cannot change under us) while plain SELECTs
 * go on, and it conflicts with itself, so two seqsync runs on the same tables take turns.
 */
export function lockStatement(sequences: readonly PostgresSequence[]): string | null {
  const tables = new Map<string, string>();
  for (const sequence of sequences) {
    for (const use of sequence.uses) tables.set(tableKey(use.schema, use.table), qualifiedName(use.schema, use.table));
  }
  if (tables.size === 0) return null;
  const ordered = [...tables.entries()].sort(([a], [b]) => compareText(a, b)).map(([, sql]) => sql);
  return `LOCK TABLE ${ordered.join(', ')} IN SHARE ROW EXCLUSIVE MODE`;
}

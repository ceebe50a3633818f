import type { PostgresSequence } from '../src/dialects/postgres/postgres-introspect';
import { plainRule as plain } from '../src/sequence-decision';
import type { PostgresLiveState } from '../src/dialects/postgres/postgres-live-read';
import { planCounter } from '../src/dialects/postgres/postgres-plan';
import { lockStatement, setvalStatement } from '../src/dialects/postgres/postgres-write-sql';

function sequence(overrides: Partial<PostgresSequence> = {}): PostgresSequence {
  return {
    oid: '100', schema: 'public', name: 'User_id_seq',
    shape: { start: 1n, increment: 1n, minValue: 1n, maxValue: 2147483647n },
    cycle: false, canRead: true, canUpdate: true, owned: true, canUseSchema: true, otherSessionTemporary: false,
    uses: [{
      schema: 'public',
      table: 'User',
      column: 'id',
      kind: 'owned',
      tableOid: '200',
      attnum: 1,
      columnType: 'integer',
      typeModifier: -1,
      lockWeight: 2,
      canReadTable: true,
      canLockTable: true,
      canUseSchema: true,
      keyIndexed: true,
      unlogged: false,
    }],
    ...overrides,
  };
}
const state = (
  lastValue: bigint,
  isCalled: boolean,
  dataMax: bigint | null,
  dataMin: bigint | null = dataMax === null ? null : 1n,
): PostgresLiveState =>
  ({ lastValue, isCalled, dataMax, dataMin, definition: null });

describe('planCounter', () => {
  it.each([
    // name, mode, state, action, nextValueAfter
    ['advance: seeded ids 1..10, untouched sequence → 11', 'advance', state(1n, false, 10n), 'advanced', 11n],
    ['advance: sequence already past the data is left alone', 'advance', state(50n, true, 10n), 'unchanged', 51n],
    ['advance: never moves back even when far ahead', 'advance', state(1000n, true, 3n), 'unchanged', 1001n],
    ['advance: empty table is left alone', 'advance', state(7n, true, null), 'unchanged', 8n],
    ['reset: after deletes moves back to one past MAX', 'reset', state(1000n, true, 3n), 'reset', 4n],
    ['reset: empty table restarts at START with is_called = false', 'reset', state(7n, true, null), 'reset', 1n],
    ['reset: already exact is unchanged', 'reset', state(10n, true, 10n), 'unchanged', 11n],
  ] as const)('%s', (_name, mode, live, action, after) => {
    const step = planCounter(sequence(), live, plain(mode));
    expect(step.report.action).toBe(action);
    expect(step.report.nextValueAfter).toBe(after);
    expect(step.newNextValue).toBe(action === 'unchanged' ? null : after);
  });

  it('skips an exhausted sequence with the reason instead of setting an invalid value', () => {
    const step = planCounter(
      sequence({ shape: { start: 1n, increment: 1n, minValue: 1n, maxValue: 32767n } }),
      state(1n, false, 32767n),
      plain('advance'),
    );
    expect(step.report.action).toBe('skipped');
    expect(step.report.reason).toMatch(/exhausted/);
    expect(step.report.exhaustionPercent).toBe(100);
    expect(step.newNextValue).toBeNull();
  });

  it('skips a sequence feeding a non-integer column', () => {
    const uses = [{ ...sequence().uses[0], columnType: 'text' }];
    const step = planCounter(sequence({ uses }), state(1n, false, null), plain('advance'));
    expect(step.report.action).toBe('skipped');
    expect(step.report.reason).toContain('public.User.id is text');
  });

  it('warns at 75 % of an integer column even when the sequence is bigint', () => {
    const step = planCounter(
      sequence({ shape: { start: 1n, increment: 1n, minValue: 1n, maxValue: 2n ** 63n - 1n } }),
      state(1n, false, 2000000000n),
      plain('advance'),
    );
    expect(step.report.nextValueAfter).toBe(2000000001n);
    expect(step.report.exhaustionWarning).toBe(true);
    expect(step.report.exhaustionPercent).toBeCloseTo(93.13, 2);
  });
});

describe('SQL built by the plan', () => {
  it('reset sets every moving sequence in one statement, quoting each name as an identifier inside a literal', () => {
    const odd = sequence({ schema: "o'dd", name: 'we"ird\\seq' });
    const steps = [planCounter(sequence(), state(1n, false, 10n), plain('reset')), planCounter(odd, state(1n, false, 4n), plain('reset')),
      planCounter(sequence({ name: 'still' }), state(4n, true, 4n), plain('reset'))];
    expect(setvalStatement(steps, 'reset')).toBe(
      'SELECT pg_catalog.setval(v.sequence, v.next_value, false)\n' +
      'FROM (VALUES\n' +
      `  ('"public"."User_id_seq"'::pg_catalog.regclass, 11::pg_catalog.int8),\n` +
      `  (E'"o''dd"."we""ird\\\\seq"'::pg_catalog.regclass, 5::pg_catalog.int8)\n` +
      ') AS v(sequence, next_value)');
  });

  it('advance never sets a value below the sequence\'s own next value at the moment of writing', () => {
    const steps = [
      planCounter(sequence(), state(1n, false, 10n), plain('advance')),
      planCounter(sequence({ name: 'still' }), state(100n, true, 4n), plain('advance')),
    ];
    expect(setvalStatement(steps, 'advance')).toBe(
      'SELECT pg_catalog.setval(v.sequence, (CASE WHEN v.increment OPERATOR(pg_catalog.>) 0::pg_catalog.int8\n' +
      '    THEN GREATEST(v.next_value, pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric'
      + ' OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric)\n' +
      '    ELSE LEAST(v.next_value, pg_catalog.pg_sequence_last_value(v.sequence)::pg_catalog.numeric'
      + ' OPERATOR(pg_catalog.+) v.increment::pg_catalog.numeric) END)::pg_catalog.int8, false)\n' +
      'FROM (VALUES\n' +
      `  ('"public"."User_id_seq"'::pg_catalog.regclass, 11::pg_catalog.int8, 1::pg_catalog.int8)\n` +
      ') AS v(sequence, next_value, increment)');
  });

  it('writes nothing when nothing moves', () => {
    expect(setvalStatement([planCounter(sequence(), state(50n, true, 10n), plain('advance'))], 'advance')).toBeNull();
  });

  it('locks each table once, sorted, in a mode that blocks writers only', () => {
    const a = sequence({
      uses: [{ ...sequence().uses[0], schema: 'z', table: 'b' }, { ...sequence().uses[0], schema: 'a', table: 'Q"x' }],
    });
    const b = sequence({ uses: [{ ...sequence().uses[0], schema: 'z', table: 'b' }] });
    expect(lockStatement([a, b])).toBe('LOCK TABLE "a"."Q""x", "z"."b" IN SHARE ROW EXCLUSIVE MODE');
  });
});

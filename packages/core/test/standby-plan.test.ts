import type { PostgresSequence } from '../src/dialects/postgres/postgres-introspect';
import { plainRule as plain } from '../src/sequence-decision';
import type { PostgresLiveState } from '../src/dialects/postgres/postgres-live-read';
import { planOnStandby } from '../src/dialects/postgres/postgres-standby';

/** Only the fields planning reads; the catalog's privilege and lock fields play no part in it. */
function sequence(shape: PostgresSequence['shape'], cycle = false): PostgresSequence {
  return {
    oid: '100', schema: 'public', name: 't_id_seq', shape, cycle, canRead: true, canUpdate: true, owned: true,
    uses: [{ schema: 'public', table: 't', column: 'id', kind: 'owned', tableOid: '200', attnum: 1, columnType: 'integer' }],
  } as unknown as PostgresSequence;
}
const state = (lastValue: bigint, isCalled: boolean, dataMax: bigint | null, dataMin: bigint | null): PostgresLiveState =>
  ({ lastValue, isCalled, dataMax, dataMin }) as PostgresLiveState;

const ASCENDING = { start: 1n, increment: 1n, minValue: 1n, maxValue: 100n };
const DESCENDING = { start: -1n, increment: -1n, minValue: -1000n, maxValue: -1n };

describe('planOnStandby: what a standby, whose positions run up to 32 increments ahead, can tell', () => {
  it.each([
    // name, sequence, state, nextValueBefore, nextValueAfter, behind, reason
    ['descending, data min inside the gap: possibly behind, planned from the highest the primary can be',
      sequence(DESCENDING), state(-33n, true, null, -10n), -2n, -11n, true,
      'possibly behind: on this hot standby the next value reads -34, but the primary\'s can be as high as -2, and data min is -10; '
        + 'check on the primary to know'],
    ['descending, data min past even the pre-logged position: behind for certain',
      sequence(DESCENDING), state(-33n, true, null, -40n), -2n, -41n, true,
      'next value -2 would collide (data min is -40); the target is -41; behind for certain: on this hot standby the next value reads '
        + '-34, up to 32 values ahead of the primary\'s, and even that collides'],
    ['descending, data min short of the highest the primary can be: clear for certain',
      sequence(DESCENDING), state(-50n, true, null, -10n), -19n, -19n, false,
      'next value -19 is clear of the data (data min is -10); clear for certain: on this hot standby the next value reads -51, '
        + 'and even the highest the primary\'s can be, -19, is past the data'],
    ['a gap reaching below MINVALUE is cut at MINVALUE',
      sequence(ASCENDING), state(10n, true, 5n, null), 1n, 6n, true,
      'possibly behind: on this hot standby the next value reads 11, but the primary\'s can be as low as 1, and data max is 5; '
        + 'check on the primary to know'],
    ['a CYCLE sequence whose gap wraps: planned from MINVALUE, and the reason says it wraps',
      sequence(ASCENDING, true), state(10n, true, 5n, null), 1n, 6n, true,
      'possibly behind: on this hot standby the next value reads 11, but the primary\'s can be as low as 1 (its CYCLE wraps within '
        + 'that gap), and data max is 5; check on the primary to know'],
    ['is_called = false is exact: judged on the position read',
      sequence(ASCENDING), state(20n, false, 10n, null), 20n, 20n, false,
      'next value 20 is clear of the data (data max is 10); read on a hot standby, where a sequence not called since it was set '
        + 'shows the primary\'s position exactly'],
  ])('%s', (_name, counter, live, before, after, behind, reason) => {
    const step = planOnStandby(counter, live, plain('advance'));
    expect([step.report.nextValueBefore, step.report.nextValueAfter, step.report.behind, step.report.reason])
      .toEqual([before, after, behind, reason]);
  });

  it('only a possibly-behind sequence carries a warning, naming it', () => {
    expect(planOnStandby(sequence(ASCENDING), state(33n, true, 10n, null), plain('advance')).warnings).toEqual([
      'sequence public.t_id_seq may be behind its data: on this hot standby the next value reads 34, but the primary\'s can be '
        + 'as low as 2, and data max is 10; check on the primary to know']);
    expect(planOnStandby(sequence(ASCENDING), state(33n, true, 40n, null), plain('advance')).warnings).toBeUndefined();
  });
});

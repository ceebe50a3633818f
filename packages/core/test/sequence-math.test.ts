import { exhaustionPercent, isBehindData, nextValueAfterData, nextValueOf, usableBounds } from '../src/sequence-math';
import { INTEGER_TYPE_RANGES } from '../src/dialects/postgres/postgres-sql';

const ascending = { start: 1n, increment: 1n, minValue: 1n, maxValue: 2n ** 63n - 1n };

describe('nextValueAfterData', () => {
  it.each([
    ['empty table restarts at START', ascending, null, null, 1n],
    ['one past MAX with increment 1', ascending, 10n, 1n, 11n],
    ['stays on the progression start + k·increment', { ...ascending, start: 5n, increment: 10n }, 47n, 5n, 55n],
    ['MAX on the progression moves one step on', { ...ascending, start: 5n, increment: 10n }, 45n, 5n, 55n],
    ['data entirely below START leaves START', { ...ascending, start: 1000n, minValue: 1000n }, 7n, 1n, 1000n],
    ['descending goes one below MIN', { start: -1n, increment: -1n, minValue: -(2n ** 63n), maxValue: -1n }, -1n, -10n, -11n],
    ['descending with step 5 keeps the residue', { start: 100n, increment: -5n, minValue: -1000n, maxValue: 100n }, 100n, 42n, 40n],
    ['descending empty table restarts at START', { start: -1n, increment: -1n, minValue: -100n, maxValue: -1n }, null, null, -1n],
    ['int8 beyond 2^53 stays exact', { ...ascending }, 9007199254740993n, 1n, 9007199254740994n],
  ])('%s', (_name, shape, dataMax, dataMin, expected) => {
    expect(nextValueAfterData(shape, dataMax, dataMin)).toBe(expected);
  });
});

describe('nextValueOf / isBehindData', () => {
  it('a called sequence hands out last_value + increment, an uncalled one last_value', () => {
    expect(nextValueOf(10n, true, 1n)).toBe(11n);
    expect(nextValueOf(10n, false, 1n)).toBe(10n);
    expect(nextValueOf(-10n, true, -2n)).toBe(-12n);
  });
  it('is behind exactly when the next value is at or below MAX (ascending) or at or above MIN (descending)', () => {
    expect(isBehindData(10n, 1n, 10n, 1n)).toBe(true);
    expect(isBehindData(11n, 1n, 10n, 1n)).toBe(false);
    expect(isBehindData(-10n, -1n, -1n, -10n)).toBe(true);
    expect(isBehindData(-11n, -1n, -1n, -10n)).toBe(false);
    expect(isBehindData(1n, 1n, null, null)).toBe(false);
  });
});

describe('exhaustionPercent', () => {
  it('measures an integer serial against the column range, not the bigint sequence range', () => {
    const bounds = usableBounds(ascending, INTEGER_TYPE_RANGES.integer);
    expect(bounds.max).toBe(2147483647n);
    expect(exhaustionPercent(ascending, bounds, 1610612737n)).toBe(75);
  });
  it('is 100 once the next value is past the usable range and 0 at START', () => {
    const bounds = { min: 1n, max: 100n };
    expect(exhaustionPercent(ascending, bounds, 101n)).toBe(100);
    expect(exhaustionPercent(ascending, bounds, 1n)).toBe(0);
  });
});

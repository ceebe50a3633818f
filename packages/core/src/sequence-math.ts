/**
 * BigInt arithmetic shared by every dialect whose counters behave like SQL sequences.
 * Nothing here touches a database: these are the rules the plans are built from.
 */

/** The parameters that decide which values a sequence hands out. */
export interface SequenceShape {
  readonly start: bigint;
  readonly increment: bigint;
  readonly minValue: bigint;
  readonly maxValue: bigint;
}

/** The value `nextval` returns next, from the stored `last_value` / `is_called` pair. */
export function nextValueOf(lastValue: bigint, isCalled: boolean, increment: bigint): bigint {
  return isCalled ? lastValue + increment : lastValue;
}

/**
 * The value the next insert really gets from a sequence that may CYCLE: past its bound it wraps to MINVALUE
 * (descending: MAXVALUE), usually into the oldest keys. Without CYCLE the value past the bound is kept: nextval
 * fails there, which the exhaustion report shows as 100 %.
 */
export function wrappedNextValue(shape: SequenceShape, cycle: boolean, nextValue: bigint): bigint {
  if (!cycle) return nextValue;
  if (shape.increment > 0n && nextValue > shape.maxValue) return shape.minValue;
  if (shape.increment < 0n && nextValue < shape.minValue) return shape.maxValue;
  return nextValue;
}

/**
 * The first value on the sequence's own progression (`start + k·increment`) past the data:
 * above `dataMax` when ascending, below `dataMin` when descending, `start` for an empty table.
 * Staying on the progression matters for interleaved schemes (increment = node count, start = node id),
 * where `max + increment` would hand out another node's values.
 */
export function nextValueAfterData(shape: SequenceShape, dataMax: bigint | null, dataMin: bigint | null): bigint {
  const { start, increment } = shape;
  if (increment > 0n) {
    if (dataMax === null || dataMax < start) return start;
    return start + ((dataMax - start) / increment + 1n) * increment;
  }
  const step = -increment;
  if (dataMin === null || dataMin > start) return start;
  return start - ((start - dataMin) / step + 1n) * step;
}

/** Whether the next value would run into existing keys (or past them, which means the same once it gets there). */
export function isBehindData(nextValue: bigint, increment: bigint, dataMax: bigint | null, dataMin: bigint | null): boolean {
  return increment > 0n ? dataMax !== null && nextValue <= dataMax : dataMin !== null && nextValue >= dataMin;
}

/** Whether `candidate` comes later than `current` in the sequence's direction. */
export function isForward(candidate: bigint, current: bigint, increment: bigint): boolean {
  return increment > 0n ? candidate > current : candidate < current;
}

/** The inclusive range a value may take: the sequence bounds narrowed by the column type's. */
export function usableBounds(shape: SequenceShape, columnRange: { min: bigint; max: bigint } | null): { min: bigint; max: bigint } {
  if (columnRange === null) return { min: shape.minValue, max: shape.maxValue };
  return {
    min: shape.minValue > columnRange.min ? shape.minValue : columnRange.min,
    max: shape.maxValue < columnRange.max ? shape.maxValue : columnRange.max,
  };
}

/** Percentage (two decimals) of the values between `start` and the usable limit already consumed by `nextValue`. */
export function exhaustionPercent(shape: SequenceShape, bounds: { min: bigint; max: bigint }, nextValue: bigint): number {
  const ascending = shape.increment > 0n;
  const used = ascending ? nextValue - shape.start : shape.start - nextValue;
  const room = ascending ? bounds.max - shape.start + 1n : shape.start - bounds.min + 1n;
  if (room <= 0n || used >= room) return 100;
  if (used <= 0n) return 0;
  return Number((used * 10_000n) / room) / 100;
}

/** The range every one of several column types allows; null when there are none. */
export function narrowestRange(ranges: readonly { min: bigint; max: bigint }[]): { min: bigint; max: bigint } | null {
  if (ranges.length === 0) return null;
  return ranges.reduce((acc, r) => ({ min: r.min > acc.min ? r.min : acc.min, max: r.max < acc.max ? r.max : acc.max }));
}

/** A value the database sent as text (exact beyond 2^53), or null. */
export function bigIntOrNull(text: string | null): bigint | null {
  return text === null ? null : BigInt(text);
}

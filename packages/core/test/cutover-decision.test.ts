import type { Requirement } from '../src/sequence-decision';
import type { CounterOutline, SourceRead } from '../src/cutover-match';
import { decide } from '../src/sequence-decision';
import { matchSource } from '../src/cutover-match';
import { SeqsyncError } from '../src/errors';

const shape = { start: 1n, increment: 1n, minValue: 1n, maxValue: 2n ** 63n - 1n };
const byTen = { start: 1n, increment: 10n, minValue: 1n, maxValue: 2n ** 63n - 1n };
const descending = { start: -1n, increment: -1n, minValue: -(2n ** 63n), maxValue: -1n };
const INT4 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };

const fromSource = (sourceNextValue: bigint | null, margin = 0): Requirement =>
  ({ fromSource: true, sourceCounter: sourceNextValue === null ? null : 'public.users_id_seq', sourceNextValue, margin });
const marginOnly = (margin: number): Requirement => ({ fromSource: false, sourceCounter: null, sourceNextValue: null, margin });
/** An ascending counter at `nextValue` over keys 1..dataMax. */
const at = (nextValue: bigint, dataMax: bigint, requirement: Requirement) =>
  ({ shape, columnRange: null, nextValue, dataMax, dataMin: 1n, requirement });

describe('decide with a requirement (cutover)', () => {
  it('source above the data: the target gets the source\'s next value, not MAX+1 (ids deleted from the top stay used)', () => {
    const decision = decide(at(1n, 95n, fromSource(101n)), 'advance');
    expect(decision).toMatchObject({ action: 'advanced', newNextValue: 101n, behind: true });
    expect(decision.cutover).toEqual({
      sourceCounter: 'public.users_id_seq', sourceNextValue: 101n, margin: 0, requiredNextValue: 101n, decidedBy: 'source',
    });
  });
  it('the target\'s own data past the source decides: data', () => {
    const decision = decide(at(1n, 500n, fromSource(101n)), 'advance');
    expect(decision.newNextValue).toBe(501n);
    expect(decision.cutover?.decidedBy).toBe('data');
  });
  it('a counter already past the source stays where it is, even with a margin short of it', () => {
    const decision = decide(at(5000n, 95n, fromSource(101n, 1000)), 'advance');
    expect(decision).toMatchObject({ action: 'unchanged', newNextValue: null, nextValueAfter: 5000n, behind: false });
    expect(decision.cutover).toMatchObject({ requiredNextValue: 1101n, decidedBy: 'current' });
  });
  it('reset ignores only the current position: a counter far ahead comes back to the source\'s next value', () => {
    const decision = decide(at(5000n, 95n, fromSource(101n)), 'reset');
    expect(decision).toMatchObject({ action: 'reset', newNextValue: 101n });
  });
  it('a counter clear of its data but short of the source is behind: check exits 1', () => {
    const decision = decide(at(96n, 95n, fromSource(101n)), 'advance');
    expect(decision).toMatchObject({ behind: true, action: 'advanced', newNextValue: 101n });
    expect(decision.reason).toContain('is short of the requirement');
  });
  it('margin counts steps of the target\'s increment: INCREMENT 10, margin 1000 → 10,000 more', () => {
    const decision = decide({ ...at(1n, 91n, fromSource(111n, 1000)), shape: byTen }, 'advance');
    expect(decision.newNextValue).toBe(10_111n);
  });
  it('margin without from: a counter that moves goes N steps past the data', () => {
    const decision = decide(at(1n, 10n, marginOnly(100)), 'advance');
    expect(decision.newNextValue).toBe(111n);
    expect(decision.cutover).toMatchObject({ sourceCounter: null, requiredNextValue: 111n, decidedBy: 'data' });
  });
  it('margin without from: a counter clear of its data is not behind for lack of it (else every insert after a realign '
    + 'would put it behind again)', () => {
    expect(decide(at(12n, 10n, marginOnly(100)), 'advance')).toMatchObject({ behind: false, action: 'unchanged', nextValueAfter: 12n });
  });
  it('the source\'s next value is rounded on to the target\'s progression: START 2 INCREMENT 2, source 101 → 102, margin 3 → 108', () => {
    const even = { start: 2n, increment: 2n, minValue: 1n, maxValue: 2n ** 31n - 1n };
    expect(decide({ ...at(2n, 50n, fromSource(101n)), shape: even }, 'advance').newNextValue).toBe(102n);
    expect(decide({ ...at(2n, 50n, fromSource(101n, 3)), shape: even }, 'advance').newNextValue).toBe(108n);
    expect(decide({ ...at(2n, 50n, fromSource(102n)), shape: even }, 'advance').newNextValue).toBe(102n);
  });
  it('no source counter for this column: decided by the target alone, the margin not applied', () => {
    const decision = decide(at(1n, 10n, fromSource(null, 50)), 'advance');
    expect(decision.newNextValue).toBe(11n);
    expect(decision.reason).toContain('no source counter feeds this column');
  });
  it('descending counters: the required value is the lower one', () => {
    const decision = decide({
      shape: descending, columnRange: null, nextValue: -1n, dataMax: -1n, dataMin: -20n,
      requirement: { fromSource: true, sourceCounter: 'public.d', sourceNextValue: -31n, margin: 2 },
    }, 'advance');
    expect(decision.newNextValue).toBe(-33n);
  });
  it('a required value past an integer column is skipped as exhausted, never written', () => {
    const decision = decide({ ...at(1n, 10n, fromSource(3_000_000_000n)), columnRange: INT4 }, 'advance');
    expect(decision).toMatchObject({ action: 'skipped', newNextValue: null, exhaustionPercent: 100 });
  });
});

const target = (schema: string, table: string, extra: Partial<CounterOutline> = {}): CounterOutline => ({
  schema, name: `${table}_id_seq`, uses: [{ schema, table, column: 'id' }], start: 1n, increment: 1n, bounds: { min: 1n, max: INT4.max },
  ...extra,
});
const source = (schemas: boolean, counters: SourceRead['counters']): SourceRead =>
  ({ label: 'test source', schemas, counters, foldTables: false, foldColumns: false });
const counter = (schema: string, table: string, nextValue: bigint) =>
  ({ schema, name: `${table}_id_seq`, uses: [{ schema, table, column: 'id' }], nextValue });

describe('matchSource', () => {
  it('by schema, table and column when both sides have schemas; the rest listed per side', () => {
    const match = matchSource(source(true, [counter('public', 'users', 101n), counter('public', 'gone', 7n)]),
      [target('public', 'users'), target('app', 'users'), target('public', 'fresh')], 0);
    expect([...match.rule.sources!.values()]).toEqual([{ counter: 'public.users_id_seq', nextValue: 101n }]);
    expect(match.summary).toEqual({
      source: 'test source', unmatchedSource: ['public.gone.id'], unmatchedTarget: ['app.users.id', 'public.fresh.id'],
    });
  });
  it('by table and column from a source without schemas (MySQL, SQLite)', () => {
    const match = matchSource(source(false, [counter('shop', 'users', 51n)]), [target('public', 'users')], 0);
    expect([...match.rule.sources!.values()]).toEqual([{ counter: 'shop.users_id_seq', nextValue: 51n }]);
  });
  it('a source table matching two target schemas is refused naming both', () => {
    expect(() => matchSource(source(false, [counter('shop', 'users', 51n)]), [target('a', 'users'), target('b', 'users')], 0))
      .toThrow(new SeqsyncError('CUTOVER_MISMATCH', 'the source\'s table users matches two target tables, a.users and b.users: '
        + 'the source has no schemas to tell them apart; narrow the target to one schema (schemas / --schema). Nothing was changed.'));
  });
  it('a source table in two source schemas, into a target without schemas, is refused naming both', () => {
    expect(() => matchSource(source(false, [counter('a', 'users', 5n), counter('b', 'users', 9n)]), [target('shop', 'users')], 0))
      .toThrow(/the source has table users in two schemas, a\.users and b\.users/);
  });
  it('a source position past the target\'s range is refused before anything is written', () => {
    expect(() => matchSource(source(true, [counter('public', 'users', 3_000_000_000n)]), [target('public', 'users')], 0))
      .toThrow(new SeqsyncError('CUTOVER_MISMATCH', 'source public.users_id_seq next value 3000000000 does not fit target '
        + 'public.users_id_seq, whose values lie in 1..2147483647: widen the target column or sequence (e.g. to bigint) first. '
        + 'Nothing was changed.'));
  });
  it('a shared target sequence takes the furthest of its columns\' sources', () => {
    const shared: CounterOutline = { ...target('public', 'a'), name: 'shared', uses: [
      { schema: 'public', table: 'a', column: 'id' }, { schema: 'public', table: 'b', column: 'id' }] };
    const match = matchSource(source(true, [counter('public', 'a', 40n), counter('public', 'b', 70n)]), [shared], 0);
    expect([...match.rule.sources!.values()]).toEqual([{ counter: 'public.b_id_seq', nextValue: 70n }]);
  });
});

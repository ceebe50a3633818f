import { formatTableName, parseTableName } from '../src/table-names';
import { packBatches } from '../src/batches';
import { quoteIdent, quoteLiteral } from '../src/dialects/postgres/postgres-sql';

describe('parseTableName', () => {
  it.each([
    ['User', { schema: null, name: 'User' }],
    ['billing.Invoice', { schema: 'billing', name: 'Invoice' }],
    ['"odd.name"', { schema: null, name: 'odd.name' }],
    ['"my schema"."Na""me"', { schema: 'my schema', name: 'Na"me' }],
  ])('%s', (input, expected) => expect(parseTableName(input)).toEqual(expected));

  it.each(['a.b.c', '"open', 'a.', ''])('rejects %j with a clear error', (input) => {
    expect(() => parseTableName(input)).toThrow(/invalid table name/);
  });
});

describe('formatTableName', () => {
  it.each([
    [{ schema: null, name: 'User' }, 'User'],
    [{ schema: 'billing', name: 'Invoice' }, 'billing.Invoice'],
    [{ schema: null, name: 'odd.name' }, '"odd.name"'],
    [{ schema: 'my.schema', name: '"quoted"' }, '"my.schema"."""quoted"""'],
    [{ schema: 'a b', name: 'Na"me' }, 'a b.Na"me'],
  ])('%j is written as %s, which parseTableName reads back as the same name', (name, text) => {
    expect(formatTableName(name)).toBe(text);
    expect(parseTableName(text)).toEqual(name);
  });
});

describe('quoting', () => {
  it('doubles quotes in identifiers and refuses NUL', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
  });
  it('writes literals that mean the same with or without standard_conforming_strings', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
  });
});

describe('packBatches', () => {
  const item = (name: string, tables: string[], weight = 3) => ({ name, tables, weight });
  it('keeps counters that share a table in one batch and respects the budget', () => {
    const batches = packBatches([item('a', ['t1']), item('b', ['t2']), item('c', ['t1', 't3']), item('d', ['t4'])], 6);
    expect(batches.map((b) => b.map((i) => i.name))).toEqual([['a', 'c'], ['b', 'd']]);
  });
  it('limits tables per batch when asked', () => {
    const batches = packBatches([item('a', ['t1']), item('b', ['t2']), item('c', ['t3'])], 1_000, 2);
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
  });
});

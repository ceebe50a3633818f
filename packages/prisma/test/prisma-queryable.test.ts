import { coreTableName } from '../src/metadata/model-tables';
import { normaliseRow, toDriverError } from '../src/connection/prisma-queryable';
import { assertSupportedProvider } from '../src/connection/provider';

describe('coreTableName', () => {
  test.each([
    [{ model: 'User', table: 'User', schema: null }, 'User'],
    [{ model: 'Invoice', table: 'Invoice', schema: 'billing' }, 'billing.Invoice'],
    [{ model: 'Odd', table: 'we.ird', schema: 'my"schema' }, 'my"schema."we.ird"'],
  ])('%j → %s', (table, expected) => {
    expect(coreTableName(table)).toBe(expected);
  });
});

describe('normaliseRow', () => {
  test('BigInt and Decimal-like values become strings the way pg returns them; others pass through', () => {
    const decimal = { toFixed: () => '1.50', isFinite: () => true, toString: () => '1.5' };
    expect(normaliseRow({ a: 9007199254740993n, b: decimal, c: 3, d: true, e: null, f: [1n, 2n] }))
      .toEqual({ a: '9007199254740993', b: '1.5', c: 3, d: true, e: null, f: ['1', '2'] });
  });
});

describe('toDriverError', () => {
  test('a P2010 from a driver adapter carries the SQLSTATE as code, with Prisma\'s error as cause', () => {
    const prismaError = Object.assign(new Error('Raw query failed'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { originalCode: '55P03', originalMessage: 'canceling statement due to lock timeout' } } },
    });
    const error = toDriverError(prismaError) as Error & { code: string };
    expect(error.code).toBe('55P03');
    expect(error.message).toBe('canceling statement due to lock timeout');
    expect(error.cause).toBe(prismaError);
  });

  test('an error without a SQLSTATE is returned unchanged', () => {
    const other = new Error('socket hang up');
    expect(toDriverError(other)).toBe(other);
  });
});

describe('assertSupportedProvider', () => {
  test.each(['postgresql', 'postgres', 'prisma+postgres'])('%s maps to postgres', (provider) => {
    expect(assertSupportedProvider(provider)).toBe('postgres');
  });

  test.each([
    ['mysql', 'MySQL/MariaDB is not supported yet'],
    ['sqlite', 'SQLite is not supported yet'],
    ['cockroachdb', 'CockroachDB is not supported yet'],
    ['sqlserver', 'SQL Server is not supported yet'],
  ])('%s is refused with UNSUPPORTED_DATABASE', (provider, message) => {
    expect(() => assertSupportedProvider(provider)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATABASE', message: expect.stringContaining(message) }));
  });
});

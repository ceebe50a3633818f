import { coreTableName } from '../src/metadata/model-tables';
import { normaliseRow } from '../src/connection/prisma-queryable';
import { toDriverError } from '../src/connection/driver-error';
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

/** A P2010 as a driver adapter reports it, with the driver's own code in `driverAdapterError.cause`. */
function rawQueryFailed(originalCode: string, originalMessage: string): Error {
  return Object.assign(new Error('Raw query failed'), {
    code: 'P2010',
    meta: { driverAdapterError: { cause: { originalCode, originalMessage } } },
  });
}

describe('toDriverError', () => {
  test('PostgreSQL: the SQLSTATE becomes the code, with Prisma\'s error as cause', () => {
    const prismaError = rawQueryFailed('55P03', 'canceling statement due to lock timeout');
    const error = toDriverError(prismaError) as Error & { code: string };
    expect(error.code).toBe('55P03');
    expect(error.message).toBe('canceling statement due to lock timeout');
    expect(error.cause).toBe(prismaError);
  });

  test('MySQL/MariaDB: the server error number becomes errno, the message sqlMessage, as mysql2 reports them', () => {
    const prismaError = rawQueryFailed('1205', 'Lock wait timeout exceeded; try restarting transaction');
    expect(toDriverError(prismaError, 'mysql')).toMatchObject({
      errno: 1205, code: '1205', sqlMessage: 'Lock wait timeout exceeded; try restarting transaction', cause: prismaError,
    });
  });

  test('SQLite: the SQLITE_* name becomes the code, as better-sqlite3 reports it', () => {
    const prismaError = rawQueryFailed('SQLITE_BUSY', 'database is locked');
    expect(toDriverError(prismaError, 'sqlite')).toMatchObject({ code: 'SQLITE_BUSY', message: 'database is locked', cause: prismaError });
  });

  test.each([
    ['a code of another family', rawQueryFailed('SQLITE_BUSY', 'database is locked'), 'postgres'],
    ['a SQLSTATE on MySQL', rawQueryFailed('HY000', 'general error'), 'mysql'],
    ['no driver code at all', new Error('socket hang up'), 'sqlite'],
  ] as const)('%s: the error is returned unchanged', (_name, error, family) => {
    expect(toDriverError(error, family)).toBe(error);
  });
});

describe('assertSupportedProvider', () => {
  test.each([
    ['postgresql', 'postgres'], ['postgres', 'postgres'], ['prisma+postgres', 'postgres'],
    ['mysql', 'mysql'], ['sqlite', 'sqlite'],
  ])('%s maps to the %s family', (provider, family) => {
    expect(assertSupportedProvider(provider)).toBe(family);
  });

  test.each([
    ['cockroachdb', 'CockroachDB is not supported yet'],
    ['sqlserver', 'SQL Server is not supported yet'],
    ['mongodb', 'MongoDB is not supported yet'],
  ])('%s is refused with UNSUPPORTED_DATABASE', (provider, message) => {
    expect(() => assertSupportedProvider(provider)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATABASE', message: expect.stringContaining(message) }));
  });
});

import type { PrismaSchemaMetadata } from '../src/prisma-metadata';
import { normaliseRow, toDriverError } from '../src/prisma-connection';
import { resolveModelScope } from '../src/prisma-metadata';
import { checkSequences, realignSequences } from '../src';

describe('model tables as core\'s tables option', () => {
  const metadata = (models: { model: string; table: string; schema: string | null }[]): PrismaSchemaMetadata => ({
    version: 1, provider: 'postgresql',
    models: models.map((m) => ({ ...m, realign: true, reason: '', primaryKey: [], sequencedFields: [], relations: [] })),
  });

  test('a name is quoted only where core would split it; case is kept; no @@schema means any schema', () => {
    const scope = resolveModelScope(null, { metadata: metadata([
      { model: 'User', table: 'User', schema: null },
      { model: 'Invoice', table: 'Invoice', schema: 'billing' },
      { model: 'Odd', table: 'we.ird', schema: 'my"schema' },
    ]) }, 'postgresql');
    expect(scope.tables).toEqual(['User', 'billing.Invoice', 'my"schema."we.ird"']);
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
  test.each([
    ['a PostgreSQL SQLSTATE', '55P03', 'canceling statement due to lock timeout'],
    ['a MySQL/MariaDB error number', '1205', 'Lock wait timeout exceeded; try restarting transaction'],
    ['a SQLite error name', 'SQLITE_BUSY', 'database is locked'],
  ])('%s becomes the code of core\'s driver error, with the driver\'s message and Prisma\'s error as cause', (_name, code, message) => {
    const prismaError = rawQueryFailed(code, message);
    const error = toDriverError(prismaError) as Error & { code: string };
    expect(error).toBeInstanceOf(Error);
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
    expect(error.cause).toBe(prismaError);
  });

  test('an error without a driver code is returned unchanged', () => {
    const error = new Error('socket hang up');
    expect(toDriverError(error)).toBe(error);
  });
});

describe('datasource providers', () => {
  /** Shaped like a generated client; any query would fail with another error than the one asserted. */
  const clientFor = (provider: string) => ({
    _activeProvider: provider,
    _runtimeDataModel: { models: { User: { dbName: null } } },
    $queryRawUnsafe: () => Promise.reject(new Error('no query expected')),
    $disconnect: async () => undefined,
  });

  test.each([
    ['cockroachdb', 'CockroachDB ("cockroachdb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['sqlserver', 'SQL Server ("sqlserver") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['mongodb', 'MongoDB ("mongodb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
  ])('%s is refused with UNSUPPORTED_DATABASE before any query', async (provider, message) => {
    await expect(realignSequences(clientFor(provider))).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE', message });
    await expect(checkSequences(clientFor(provider))).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE', message });
  });
});

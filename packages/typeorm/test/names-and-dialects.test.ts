import { parseTableName, realign } from '@seqsync/core';
import { coreTableName, seqsyncDialectForDriver } from '../src';

describe('coreTableName', () => {
  it.each([
    [{ schema: 'public', table: 'CamelCase' }, 'public.CamelCase'],
    [{ schema: 'inventory', table: 'product' }, 'inventory.product'],
    [{ schema: null, table: 'author' }, 'author'],
    [{ schema: 'legacy.v1', table: 'order.lines' }, '"legacy.v1"."order.lines"'],
    [{ schema: 'public', table: '"quoted"' }, 'public."""quoted"""'],
  ])('%j is written %s', (table, expected) => {
    expect(coreTableName(table)).toBe(expected);
  });

  it.each([
    { schema: 'public', table: 'CamelCase' },
    { schema: 'legacy.v1', table: 'order.lines' },
    { schema: 'We"ird', table: '"x".y' },
  ])('core reads %j back as exactly the same schema and table', (table) => {
    expect(parseTableName(coreTableName(table))).toEqual({ schema: table.schema, name: table.table });
  });
});

describe('seqsyncDialectForDriver', () => {
  it.each([
    ['postgres', 'postgres'], ['mysql', 'mysql'], ['mariadb', 'mysql'], ['better-sqlite3', 'sqlite'], ['sqljs', 'sqlite'],
  ])('TypeORM driver %s maps to the seqsync dialect %s', (driver, dialect) => {
    expect(seqsyncDialectForDriver(driver)).toBe(dialect);
  });

  it.each(['mysql', 'mariadb', 'sqlite'])('core has a %s dialect: a Queryable declaring it reaches the database', async (dialect) => {
    const sent: string[] = [];
    await realign({ dialect, query: async (sql: string) => { sent.push(sql); return []; } }, { tables: ['author'] }).catch(() => undefined);
    expect(sent.length).toBeGreaterThan(0);
  });

  it.each(['mssql', 'oracle', 'cockroachdb', 'mongodb'])('TypeORM driver %s is refused with UNSUPPORTED_DATABASE', (driver) => {
    expect(() => seqsyncDialectForDriver(driver)).toThrow(expect.objectContaining({
      code: 'UNSUPPORTED_DATABASE',
      message: `TypeORM driver "${driver}" is not supported: seqsync realigns PostgreSQL ("postgres"), MySQL/MariaDB ("mysql", "mariadb") and SQLite ("better-sqlite3", "sqlite", "sqljs")`,
    }));
  });
});

import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { int, mysqlTable } from 'drizzle-orm/mysql-core';
import { drizzle } from 'drizzle-orm/node-postgres';
import { drizzle as drizzleProxy } from 'drizzle-orm/pg-proxy';
import { drizzleTargetOf } from '../src/drizzle-connection';
import { scopeOf } from '../src/realign-sequences';

const users = pgTable('users', { id: serial().primaryKey(), name: text() });
const accounts = pgTable('UserAccount', { accountId: integer().generatedByDefaultAsIdentity().primaryKey() });
const tags = pgTable('tags', { slug: text().primaryKey() });
const schema = { users, accounts, tags };

// drizzle.mock builds the real database object on a client that is never called: everything here is decided before a query.
const db = drizzle.mock({ schema, casing: 'snake_case' });

describe('the Drizzle db as seqsync reads it, before any query', () => {
  it('names the driver and database family, and takes the db\'s own schema and casing', () => {
    const target = drizzleTargetOf(db);
    expect({ driver: target.driver, dialect: target.dialect, inTransaction: target.inTransaction })
      .toEqual({ driver: 'drizzle-orm/node-postgres', dialect: 'postgresql', inTransaction: false });
    expect(target.fullSchema).toBe(schema);
    expect(target.columnNamer.getColumnCasing(accounts.accountId)).toBe('account_id');
  });

  it('scope: the schema\'s tables a counter feeds, by exact name; skipped ones stay out of core\'s list', () => {
    const scope = scopeOf(drizzleTargetOf(db), undefined, undefined);
    expect(scope.names).toEqual(['users', 'UserAccount']);
    expect(scope.described.tables.map((t) => t.columns[0].column)).toEqual(['id', 'account_id']);
    expect(scope.described.skipped.map((t) => t.table)).toEqual(['tags']);
  });

  it('scope with tables: table objects of the schema and its own names select those tables; other names go to core as given', () => {
    const scope = scopeOf(drizzleTargetOf(db), undefined, [accounts, 'tags', 'billing.Invoice']);
    expect(scope.names).toEqual(['UserAccount', 'billing.Invoice']);
    expect(scope.described.skipped.map((t) => t.table)).toEqual(['tags']);
  });

  it('refuses a table object from another schema file, naming it, though a table of that name is in the schema', () => {
    const otherUsers = pgTable('users', { id: serial().primaryKey() });
    expect(() => scopeOf(drizzleTargetOf(db), undefined, [users, otherUsers])).toThrow(expect.objectContaining({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('table "users" in tables is not a table object of the schema'),
    }));
  });

  it('refuses a MySQL schema on a PostgreSQL db, and a db made without a schema when none is passed', () => {
    const mysqlSchema = { users: mysqlTable('users', { id: int().autoincrement().primaryKey() }) };
    expect(() => scopeOf(drizzleTargetOf(db), mysqlSchema, undefined)).toThrow(expect.objectContaining({
      code: 'INVALID_OPTION',
      message: 'the schema\'s users (a mysqlTable) cannot be realigned on a postgresql database, whose tables are pgTables',
    }));
    expect(() => scopeOf(drizzleTargetOf(drizzle.mock()), undefined, undefined)).toThrow(expect.objectContaining({
      code: 'INVALID_OPTION', message: expect.stringContaining('this db was made without a schema: pass { schema }'),
    }));
  });

  it('refuses what is not a Drizzle db, and a Drizzle driver seqsync has no adapter for, by its session', () => {
    expect(() => drizzleTargetOf({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const proxy = drizzleProxy(async () => ({ rows: [] }));
    expect(() => drizzleTargetOf(proxy)).toThrow(expect.objectContaining({
      code: 'UNSUPPORTED_DATABASE',
      message: expect.stringMatching(/^a Drizzle database whose session is PgRemoteSession is not supported: seqsync adapts drizzle-orm\//),
    }));
  });
});

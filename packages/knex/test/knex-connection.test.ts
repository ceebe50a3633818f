import knexFactory from 'knex';
import type { Knex } from 'knex';
import { checkSequences, realignAfterSeed, realignSequencesMigration, realignSequences } from '../src';
import { searchPathOf } from '../src/knex-metadata';

/**
 * Real knex instances without a `connection`: knex builds the client (and its driver name) but loads no
 * driver and opens no pool, so any attempt to reach a database would fail with "Unable to acquire a connection".
 * The errors below prove seqsync refuses by client name first — never a silent no-op.
 */
describe('knex client detection', () => {
  const instances: Knex[] = [];
  const knexFor = (client: string): Knex => {
    const instance = knexFactory({ client, useNullAsDefault: true });
    instances.push(instance);
    return instance;
  };
  afterAll(() => Promise.all(instances.map((instance) => instance.destroy())));

  it.each([
    ['mysql', 'MySQL/MariaDB through the mysql driver (knex client "mysql") is not supported: use knex\'s "mysql2" client'],
    ['sqlite3', 'SQLite through the sqlite3 driver (knex client "sqlite3") is not supported: use knex\'s "better-sqlite3" client'],
  ])('knex client %s: UNSUPPORTED_DATABASE naming the client to use, '
    + 'from realign, check, the migration and the seed step', async (client, message) => {
    const knex = knexFor(client);
    const expected = { name: 'SeqsyncError', code: 'UNSUPPORTED_DATABASE', message };
    await expect(realignSequences(knex)).rejects.toMatchObject(expected);
    await expect(checkSequences(knex)).rejects.toMatchObject(expected);
    await expect(realignSequencesMigration().up(knex)).rejects.toMatchObject(expected);
    await expect(realignAfterSeed()(knex)).rejects.toMatchObject(expected);
  });

  it('knex client pgnative: UNSUPPORTED_DATABASE naming the pg client to use', async () => {
    await expect(realignSequences(knexFor('pgnative'))).rejects.toMatchObject({
      code: 'UNSUPPORTED_DATABASE',
      message: 'PostgreSQL through pg-native (knex client "pgnative") is not supported: use knex\'s "pg" client',
    });
  });

  it.each([
    ['mssql', 'SQL Server ("mssql") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['cockroachdb', 'CockroachDB ("cockroachdb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
  ])('knex client %s: core\'s UNSUPPORTED_DATABASE naming the database, before any connection', async (client, message) => {
    await expect(realignSequences(knexFor(client))).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE', message });
  });

  it.each(['pg', 'mysql2', 'better-sqlite3'])('the %s client gets past detection and only then needs a connection '
    + '(knex\'s own error, not seqsync\'s)', async (client) => {
    const error = await realignSequences(knexFor(client)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { name: string }).name).not.toBe('SeqsyncError');
  });

  it('anything but a knex instance or transaction is INVALID_OPTION', async () => {
    await expect(realignSequences({} as Knex)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(realignSequences('postgres://localhost/app' as unknown as Knex)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('the realign migration\'s down is a no-op: it resolves without touching the database', async () => {
    await expect(realignSequencesMigration().down(knexFor('mysql2'))).resolves.toBeUndefined();
  });
});

describe('searchPath from the knex config', () => {
  const client = (searchPath?: string | readonly string[]) => ({
    config: { searchPath }, acquireConnection: async () => undefined, releaseConnection: async () => undefined,
  });

  it('is one schema name for a string (knex never splits on commas), the list for an array, none when unset or empty', () => {
    expect(searchPathOf(client('app'))).toEqual(['app']);
    expect(searchPathOf(client('a,b'))).toEqual(['a,b']);
    expect(searchPathOf(client(['app', 'public']))).toEqual(['app', 'public']);
    expect(searchPathOf(client(undefined))).toBeNull();
    expect(searchPathOf(client([]))).toBeNull();
  });
});

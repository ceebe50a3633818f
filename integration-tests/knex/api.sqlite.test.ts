import knexFactory from 'knex';
import type { Knex } from 'knex';
import { checkSequences, realignSequences } from '@seqsync/knex';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../test-support/sqlite-database';

/** realignSequences / checkSequences through knex's better-sqlite3 client, on a real SQLite file. */
describe('realignSequences(knex) on SQLite through the better-sqlite3 client', () => {
  let file: SqliteTestFile;
  let knex: Knex;

  beforeEach(async () => {
    file = createSqliteFile('knex_sqlite');
    file.db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL DEFAULT 'x');
      CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);`);
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: file.path }, useNullAsDefault: true });
  });
  afterEach(async () => {
    await knex.destroy();
    file.remove();
  });

  it('a restore that left sqlite_sequence behind: check flags it, realign raises it, deleted top ids are not reused', async () => {
    await knex('posts').insert([1, 2, 3, 10].map((id) => ({ id })));
    // What a fixture loader or a partial restore does: the rows come back, the high-water mark does not.
    await knex.raw('DELETE FROM sqlite_sequence');
    await knex('tags').insert([{ id: 7 }]);

    const check = await checkSequences(knex);
    expect(check.sequences.map((s) => [s.sequence, s.uses[0].kind, s.behind, s.nextValueBefore, s.nextValueAfter])).toEqual([
      ['posts', 'auto_increment', true, 1n, 11n],
      ['tags', 'rowid', false, 8n, 8n],
    ]);
    const report = await realignSequences(knex);
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 11n });
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(10n);
    await knex('posts').where({ id: 10 }).del();
    expect(await knex('posts').insert({ title: 'next' })).toEqual([11]);
  });

  it('inside a knex transaction: no BEGIN/COMMIT of its own, and rolled back with the transaction', async () => {
    await knex('posts').insert([{ id: 5 }]);
    await knex.raw('DELETE FROM sqlite_sequence');
    await expect(knex.transaction(async (trx) => {
      const report = await realignSequences(trx);
      expect(report.statements).not.toContain('BEGIN IMMEDIATE');
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 6n });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(sqliteSequenceOf(file.db, 'posts')).toBeNull();
    await realignSequences(knex);
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(5n);
  });
});

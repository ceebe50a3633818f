import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { reset, seed } from 'drizzle-seed';
import { checkSequences, realignAfterSeed, realignSequences, type SequencesReport } from '@seqsync/drizzle';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../test-support/sqlite-database';
import * as schema from './fixtures/sqlite-schema';

const { posts, tags } = schema;

/** realignSequences / checkSequences through drizzle-orm/better-sqlite3, on a real SQLite file. */
describe('realignSequences(db) on SQLite through drizzle-orm/better-sqlite3', () => {
  let file: SqliteTestFile;
  let db: BetterSQLite3Database<typeof schema>;

  beforeEach(() => {
    file = createSqliteFile('drizzle_sqlite');
    file.db.exec(schema.SQLITE_DDL);
    db = drizzle(file.db, { schema, casing: 'snake_case' });
  });
  afterEach(() => file.remove());

  it('a restore that left sqlite_sequence behind: check flags it, realign raises it, the next insert gets exactly the next', async () => {
    db.insert(posts).values([1, 2, 3, 10].map((postId) => ({ postId }))).run();
    db.insert(tags).values([{ id: 7 }]).run();
    // What a fixture loader or a partial restore does: the rows come back, the high-water mark does not.
    file.db.exec('DELETE FROM sqlite_sequence');

    const check = await checkSequences(db);
    expect(check.sequences.map((s) => [s.sequence, s.uses[0].column, s.uses[0].kind, s.behind, s.nextValueAfter])).toEqual([
      ['posts', 'post_id', 'auto_increment', true, 11n],
      ['tags', 'id', 'rowid', false, 8n],
    ]);
    const report = await realignSequences(db);
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 11n });
    expect(report.schemaTables.map((t) => [t.table, t.columns[0].column, t.columns[0].strategy]))
      .toEqual([['posts', 'post_id', 'autoincrement'], ['tags', 'id', 'rowid']]);
    expect(report.skipped.map((t) => t.table)).toEqual(['slugs']);
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(10n);
    db.delete(posts).run();
    expect(db.insert(posts).values({ title: 'next' }).returning().all()).toEqual([{ postId: 11, title: 'next' }]);
  });

  it('realignAfterSeed around reset() and seed() with mode reset: sqlite_sequence brought back to exactly past the rows', async () => {
    // drizzle-seed 0.3.1 types its SQLite db without a schema, so this db is made without one and the schema is passed.
    const plain = drizzle(file.db, { casing: 'snake_case' });
    await realignAfterSeed(plain, (seeded) => seed(seeded, { posts }, { count: 8 }), { schema });
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(8n);

    const { report } = await realignAfterSeed(plain, async (seeded) => {
      await reset(seeded, { posts });
      await seed(seeded, { posts }, { count: 3 });
    }, { schema: { posts }, mode: 'reset' });

    expect(report.sequences[0]).toMatchObject({ sequence: 'posts', action: 'reset', nextValueAfter: 4n });
    expect(db.insert(posts).values({ title: 'next' }).returning().all()).toEqual([{ postId: 4, title: 'next' }]);
  });

  it('inside db.transaction: refused before any statement (better-sqlite3 commits when the synchronous callback returns)', async () => {
    db.insert(posts).values([{ postId: 5 }]).run();
    file.db.exec('DELETE FROM sqlite_sequence');
    let inside: Promise<SequencesReport> | undefined;

    db.transaction((tx) => {
      inside = realignSequences(tx);
    });

    await expect(inside).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('a drizzle-orm/better-sqlite3 transaction is synchronous'),
    });
    expect(sqliteSequenceOf(file.db, 'posts')).toBeNull();
    await realignSequences(db);
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(5n);
  });
});

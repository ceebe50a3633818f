import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { checkSequences, realignSequences } from '@seqsync/typeorm';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../test-support/sqlite-database';

@Entity()
class Article {
  @PrimaryGeneratedColumn() id!: number;
  @Column() title!: string;
}

@Entity()
class Country {
  @PrimaryColumn() code!: string;
}

/** realignSequences / checkSequences with TypeORM's better-sqlite3 driver on a real SQLite file. */
describe('realignSequences with TypeORM\'s better-sqlite3 driver', () => {
  let file: SqliteTestFile;
  let dataSource: DataSource;

  beforeEach(async () => {
    file = createSqliteFile('typeorm_sqlite');
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: file.path,
      entities: [Article, Country],
      synchronize: true,
    }).initialize();
  });
  afterEach(async () => {
    await dataSource?.destroy();
    file.remove();
  });

  it('a stale sqlite_sequence row: check flags it, realign raises it, a deleted top id is not handed out again', async () => {
    const repository = dataSource.getRepository(Article);
    await dataSource.createQueryBuilder().insert().into(Article, ['id', 'title'])
      .values([1, 2, 3, 20].map((id) => ({ id, title: `a${id}` }))).execute();
    await dataSource.query(`UPDATE sqlite_sequence SET seq = 3 WHERE name = 'article'`);

    const check = await checkSequences(dataSource);
    expect(check.dialect).toBe('sqlite');
    expect(check.sequences).toEqual([
      expect.objectContaining({ sequence: 'article', behind: true, nextValueBefore: 4n, nextValueAfter: 21n }),
    ]);
    expect(check.skipped.map((s) => s.entity)).toEqual(['Country']);

    const report = await realignSequences(dataSource);
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 21n });
    expect(sqliteSequenceOf(file.db, 'article')).toBe(20n);
    await repository.delete(20);
    expect((await repository.save({ title: 'next' })).id).toBe(21);
  });

  it('reset after deletes compacts the counter; inside dataSource.transaction it runs without BEGIN of its own', async () => {
    const repository = dataSource.getRepository(Article);
    for (let i = 0; i < 8; i += 1) await repository.save({ title: `a${i}` });
    await repository.delete([6, 7, 8]);
    const report = await dataSource.transaction((manager) => realignSequences(manager, { mode: 'reset' }));
    expect(report.sequences[0]).toMatchObject({ action: 'reset', nextValueBefore: 9n, nextValueAfter: 6n });
    expect(report.statements).not.toContain('BEGIN IMMEDIATE');
    expect((await repository.save({ title: 'next' })).id).toBe(6);
  });
});

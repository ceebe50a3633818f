import { check, realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';
import { createSqliteFile, type SqliteTestFile } from '../../../test-support/sqlite-database';

/*
 * Review of cutover (from) across kinds. SQLite's table and column names, and MySQL/MariaDB's column names, are
 * case-insensitive: `Users.Id` and `users.id` are one and the same there. pgloader (the README's MySQL → PostgreSQL
 * recipe) downcases identifiers by default, so the copy of `Users.Id` is `users.id`. Matched case-sensitively, the
 * counter goes unmatched, is "decided by the target alone", and the ids the source handed out above its data come
 * back — while check exits 0. Needs PostgreSQL, MariaDB and SQLite, so it is named like cutover-migrations.test.ts.
 */
describe('cutover review: names a case-insensitive source spells differently still match', () => {
  let pg: TestDatabase;
  let my: MysqlTestDatabase;
  let lite: SqliteTestFile;
  beforeEach(async () => {
    [pg, my] = await Promise.all([createTestDatabase('rv_case_pg'), createMysqlDatabase('rv_case_my')]);
    lite = createSqliteFile('rv-case');
  });
  afterEach(async () => {
    lite.remove();
    await Promise.all([pg.drop(), my.drop()]);
  });

  it('SQLite Users.Id (AUTOINCREMENT at 100, rows up to 50) feeds PostgreSQL users.id: the next insert gets 101, not 51', async () => {
    lite.db.exec(`CREATE TABLE Users (Id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
      INSERT INTO Users (Id) VALUES (100); DELETE FROM Users WHERE Id = 100; INSERT INTO Users (Id) VALUES (50);`);
    await pg.sql('CREATE TABLE users (id serial PRIMARY KEY, name text); INSERT INTO users (id) VALUES (50)');

    const planned = await check(pg.url, { from: lite.url });
    expect(planned.cutover?.unmatchedTarget).toEqual([]);
    expect(planned.sequences[0]?.cutover).toEqual(expect.objectContaining({ sourceNextValue: 101n, requiredNextValue: 101n }));

    await realign(pg.url, { from: lite.url });
    expect(await nextValue(pg, 'users_id_seq')).toBe(101n);
  });

  it('MariaDB users.ID (AUTO_INCREMENT 101) feeds PostgreSQL users.id: matched, the next insert gets 101', async () => {
    await my.sql(`CREATE TABLE users (ID INT AUTO_INCREMENT PRIMARY KEY);
      INSERT INTO users VALUES (50), (100); DELETE FROM users WHERE ID = 100`);
    await pg.sql('CREATE TABLE users (id serial PRIMARY KEY); INSERT INTO users (id) VALUES (50)');

    const planned = await check(pg.url, { from: my.url });
    expect(planned.cutover?.unmatchedSource).toEqual([]);
    expect(planned.sequences[0]?.cutover?.sourceNextValue).toBe(101n);

    await realign(pg.url, { from: my.url });
    expect(await nextValue(pg, 'users_id_seq')).toBe(101n);
  });
});

describe('cutover review: the evidence of a counter the requirement could not move', () => {
  let pg: TestDatabase;
  let lite: SqliteTestFile;
  beforeEach(async () => {
    pg = await createTestDatabase('rv_evidence_pg');
    lite = createSqliteFile('rv-evidence');
  });
  afterEach(async () => {
    lite.remove();
    await pg.drop();
  });

  it('a SQLite rowid table skipped (no counter to hold the source\'s 101) does not say the source decided its next value 6', async () => {
    await pg.sql(`CREATE TABLE t (id serial PRIMARY KEY); SELECT setval('t_id_seq', 100)`);
    lite.db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (id) VALUES (5)');

    const [counter] = (await check(lite.url, { from: pg.url })).sequences;
    expect(counter).toEqual(expect.objectContaining({ action: 'skipped', nextValueAfter: 6n, behind: true }));
    // decidedBy 'source' promises nextValueAfter = the source's position (+ margin); 6 is not 101.
    expect(counter?.cutover?.decidedBy).not.toBe('source');
  });
});

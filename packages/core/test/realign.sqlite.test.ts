import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { check, realign, type Queryable } from '../src';
import { quoteIdent } from '../src/dialects/sqlite/sqlite-sql';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../../test-support/sqlite-database';

function insertDefault(file: SqliteTestFile, table: string): number {
  return Number(file.db.prepare(`INSERT INTO ${table} DEFAULT VALUES`).run().lastInsertRowid);
}

/** SQLite AUTOINCREMENT on real database files: sqlite_sequence behind, missing, left high; rowid tables untouched. */
describe('realign on SQLite', () => {
  let file: SqliteTestFile;
  beforeEach(() => { file = createSqliteFile('sqlite'); });
  afterEach(() => file.remove());

  it('a sqlite_sequence row left behind by a restore is raised to MAX, so ids deleted from the top are never handed out again', () => {
    file.db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
      INSERT INTO notes (id) VALUES (1), (2), (10); UPDATE sqlite_sequence SET seq = 2 WHERE name = 'notes';`);
    return (async () => {
      const before = await check(file.url);
      expect(before.dialect).toBe('sqlite');
      expect(before.sequences).toEqual([expect.objectContaining({
        schema: 'main', sequence: 'notes', uses: [{ schema: 'main', table: 'notes', column: 'id', kind: 'auto_increment' }],
        dataMax: 10n, nextValueBefore: 3n, nextValueAfter: 11n, behind: true, action: 'would_advance',
      })]);
      const report = await realign(file.url);
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 11n });
      expect(report.statements)
        .toContain(`UPDATE "main".sqlite_sequence SET seq = CASE name WHEN 'notes' THEN 10 END WHERE name IN ('notes')`);
      expect(sqliteSequenceOf(file.db, 'notes')).toBe(10n);
      file.db.exec('DELETE FROM notes WHERE id = 10');
      expect(insertDefault(file, 'notes')).toBe(11);
    })();
  });

  it('without realign, the same stale row lets SQLite reuse a deleted id — the guarantee AUTOINCREMENT exists for', () => {
    file.db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO notes (id) VALUES (1), (10);
      UPDATE sqlite_sequence SET seq = 1 WHERE name = 'notes'; DELETE FROM notes WHERE id = 10;`);
    expect(insertDefault(file, 'notes')).toBe(2);
  });

  it('a missing sqlite_sequence row is inserted', async () => {
    file.db.exec('CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT); '
      + 'INSERT INTO tags (id) VALUES (7); DELETE FROM sqlite_sequence;');
    const report = await realign(file.url);
    expect(report.sequences[0]).toMatchObject({ behind: true, nextValueBefore: 1n, nextValueAfter: 8n, action: 'advanced' });
    expect(report.sequences[0].reason).toContain('(the table has no sqlite_sequence row)');
    expect(report.statements).toContain(`INSERT INTO "main".sqlite_sequence (name, seq) VALUES ('tags', 7)`);
    expect(sqliteSequenceOf(file.db, 'tags')).toBe(7n);
  });

  it('an INTEGER PRIMARY KEY without AUTOINCREMENT is reported and left untouched: SQLite always takes max(rowid)+1', async () => {
    file.db.exec(`CREATE TABLE plain (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO plain (id) VALUES (4), (9);
      CREATE TABLE natural (code TEXT PRIMARY KEY);`);
    const report = await realign(file.url, { mode: 'reset', tables: ['plain', 'natural'] });
    expect(report.sequences).toEqual([expect.objectContaining({
      sequence: 'plain', uses: [{ schema: 'main', table: 'plain', column: 'id', kind: 'rowid' }],
      nextValueBefore: 10n, nextValueAfter: 10n, behind: false, action: 'unchanged',
      reason: 'INTEGER PRIMARY KEY without AUTOINCREMENT: SQLite gives each insert max(rowid)+1, so there is no counter to realign',
    })]);
    expect(report.tablesWithoutSequence).toEqual(['main.natural']);
    expect(report.statements.filter((s) => /sqlite_sequence/.test(s))).toEqual([]);
    expect(insertDefault(file, 'plain')).toBe(10);
  });

  it('an exclusion that names no table fails before anything changes; a real one keeps its table out', async () => {
    file.db.exec('CREATE TABLE keep (id INTEGER PRIMARY KEY AUTOINCREMENT); '
      + 'INSERT INTO keep (id) VALUES (5); UPDATE sqlite_sequence SET seq = 1;');
    await expect(realign(file.url, { exclude: ['Keep'] })).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE', message: 'unknown excluded table "Keep": no such table in the database',
    });
    expect(sqliteSequenceOf(file.db, 'keep')).toBe(1n);
    expect((await realign(file.url, { exclude: ['main.keep'] })).sequences).toEqual([]);
    expect(sqliteSequenceOf(file.db, 'keep')).toBe(1n);
  });

  it('reset compacts sqlite_sequence after deletes; advance never lowers it', async () => {
    file.db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, v INT);
      INSERT INTO events (v) VALUES ${Array.from({ length: 10 }, () => '(1)').join(', ')}; DELETE FROM events WHERE id > 5;`);
    expect((await realign(file.url)).sequences[0]).toMatchObject({ action: 'unchanged', nextValueAfter: 11n });
    const reset = await realign(file.url, { mode: 'reset' });
    expect(reset.sequences[0]).toMatchObject({ action: 'reset', dataMax: 5n, nextValueBefore: 11n, nextValueAfter: 6n });
    expect(reset.statements).toEqual(expect.arrayContaining(['BEGIN IMMEDIATE', 'COMMIT']));
    expect(insertDefault(file, 'events')).toBe(6);
  });

  it('hostile table names are realigned exactly, and nothing else runs', async () => {
    const names = [`we"ird'; DROP TABLE canary; --`, 'with spaces', '[bracket]', 'ünïcødé'];
    file.db.exec('CREATE TABLE canary (x INT)');
    for (const [index, name] of names.entries()) {
      file.db.exec(`CREATE TABLE ${quoteIdent(name)} (${quoteIdent(`${name} id`)} INTEGER PRIMARY KEY AUTOINCREMENT);
        INSERT INTO ${quoteIdent(name)} VALUES (${100 + index}); DELETE FROM sqlite_sequence WHERE name = '${name.replace(/'/g, "''")}';`);
    }
    const report = await realign(file.url, { tables: names.map((name) => `"${name.replace(/"/g, '""')}"`) });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual(
      names.map((name, index) => [name, BigInt(101 + index)]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)));
    for (const [index, name] of names.entries()) expect(sqliteSequenceOf(file.db, name)).toBe(BigInt(100 + index));
    expect(file.db.prepare('SELECT count(*) AS n FROM canary').get()).toEqual({ n: 0 });
  });

  it('check and realign take a constant number of queries, for 5 tables and for 600 alike', async () => {
    // One transaction: each autocommitted CREATE TABLE would sync the file on its own.
    const drift = (from: number, to: number) => {
      file.db.exec('BEGIN');
      for (let i = from; i <= to; i += 1) {
        file.db.exec(`CREATE TABLE t${i} (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t${i} VALUES (${i});`);
      }
      file.db.exec('DELETE FROM sqlite_sequence; COMMIT');
    };
    drift(1, 5);
    const small = { check: (await check(file.url)).roundTrips, realign: (await realign(file.url)).roundTrips };
    drift(6, 600);
    const checkLarge = await check(file.url);
    const realignLarge = await realign(file.url);
    expect({ check: checkLarge.roundTrips, realign: realignLarge.roundTrips }).toEqual(small);
    expect(small).toEqual({ check: 3, realign: 9 });
    expect(realignLarge.sequences.filter((s) => s.action === 'advanced')).toHaveLength(600);
    expect(sqliteSequenceOf(file.db, 't600')).toBe(600n);
  });

  it('a better-sqlite3 Database is used as given; inside its own transaction seqsync neither begins nor commits', async () => {
    file.db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t VALUES (3); DELETE FROM sqlite_sequence;`);
    file.db.exec('BEGIN');
    const report = await realign(file.db);
    expect(report.statements).not.toContain('BEGIN IMMEDIATE');
    expect(report.statements).not.toContain('COMMIT');
    file.db.exec('ROLLBACK');
    expect(sqliteSequenceOf(file.db, 't')).toBeNull();
    expect((await realign(file.db)).sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 4n });
    expect(sqliteSequenceOf(file.db, 't')).toBe(3n);
  });

  it('another connection holding the write lock makes realign time out, with nothing changed', async () => {
    file.db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t VALUES (3); DELETE FROM sqlite_sequence;`);
    const other = new Database(file.path);
    try {
      other.exec('BEGIN IMMEDIATE');
      await expect(realign(file.url, { lockTimeoutMs: 200 })).rejects.toMatchObject({
        code: 'LOCK_TIMEOUT', message: expect.stringContaining('lock timeout after 200 ms waiting for the database write lock') });
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(sqliteSequenceOf(file.db, 't')).toBeNull();
  });

  it('file: and sqlite: URLs open the file; a missing file fails without creating one', async () => {
    file.db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t VALUES (3); DELETE FROM sqlite_sequence;`);
    expect((await check(`file:${file.path}`)).sequences[0].behind).toBe(true);
    expect((await check(`sqlite://${file.path}`)).sequences[0].behind).toBe(true);
    const missing = join(file.path, '..', 'missing.db');
    await expect(check(`sqlite:${missing}`))
      .rejects.toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining('missing.db') });
    expect(existsSync(missing)).toBe(false);
    await expect(check('sqlite::memory:')).rejects.toMatchObject({ code: 'INVALID_URL' });
  });

  it('a plain Queryable declared sqlite works one statement at a time', async () => {
    file.db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t VALUES (3); DELETE FROM sqlite_sequence;`);
    const queryable: Queryable = {
      dialect: 'sqlite',
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
        const statement = file.db.prepare(sql);
        return (statement.reader ? statement.all(...(params ?? [])) : (statement.run(...(params ?? [])), [])) as Row[];
      },
    };
    expect((await realign(queryable)).sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 4n });
  });
});

import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createSqliteFile, sqliteSequenceOf, type SqliteTestFile } from '../../../test-support/sqlite-database';
import { seqsync } from './cli-run';

/** The built `seqsync` binary on a real SQLite file through sqlite: and file: URLs. */
describe('seqsync CLI on SQLite', () => {
  let file: SqliteTestFile;
  beforeAll(() => {
    file = createSqliteFile('cli_sqlite');
    file.db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT); INSERT INTO posts (id) VALUES (1), (2), (9);
      UPDATE sqlite_sequence SET seq = 2 WHERE name = 'posts';
      CREATE TABLE plain (id INTEGER PRIMARY KEY); INSERT INTO plain VALUES (5);`);
  });
  afterAll(() => file.remove());

  it('check exits 1 for a stale sqlite_sequence row and reports the rowid table as clear', () => {
    const result = seqsync(['check', '--url', file.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 of 2 sequences are behind their data');
    expect(result.stdout).toMatch(/\nmain\.posts\s+main\.posts\.id\s+9\s+3\s+10\n/);
    expect(result.stdout.trimEnd().split('\n').at(-1))
      .toBe('1 of 2 sequences are behind their data: run seqsync realign with the same options to move it past its data.');
  });

  it('realign through a relative file: URL (Prisma\'s form) fixes it; check then exits 0', () => {
    const cwd = dirname(file.path);
    const url = `file:./${relative(cwd, file.path)}`;
    const result = seqsync(['realign', '--url', url], {}, cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Moved 1 of 2 sequences in 1 transaction.');
    expect(sqliteSequenceOf(file.db, 'posts')).toBe(9n);
    expect(seqsync(['check', '--url', file.url]).code).toBe(0);
  });

  it('a missing database file exits 2 with one line and is not created', () => {
    const missing = join(dirname(file.path), 'typo.db');
    const result = seqsync(['check', '--url', `sqlite:${missing}`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`seqsync: cannot open SQLite database: ${JSON.stringify(missing)}: unable to open database file\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('a file that is not a database exits 2', () => {
    const result = seqsync(['check', '--url', `file:${join(__dirname, 'cli-run.ts')}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^seqsync: cannot open SQLite database: ".*cli-run\.ts": not a database\n$/);
  });
});


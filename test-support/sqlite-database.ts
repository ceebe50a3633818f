import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A SQLite database file in its own temporary directory, removed by remove(). */
export interface SqliteTestFile {
  readonly path: string;
  /** sqlite:<path> */
  readonly url: string;
  /** A better-sqlite3 connection on the file, closed by remove(). */
  readonly db: Database.Database;
  remove(): void;
}

export function createSqliteFile(label: string): SqliteTestFile {
  const directory = mkdtempSync(join(tmpdir(), `seqsync-${label.replace(/[^a-z0-9]/gi, '_')}-`));
  const path = join(directory, 'test.db');
  const db = new Database(path);
  return {
    path,
    url: `sqlite:${path}`,
    db,
    remove: () => {
      if (db.open) db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The sqlite_sequence value of a table; null when it has no row there. */
export function sqliteSequenceOf(db: Database.Database, table: string): bigint | null {
  const row = db.prepare('SELECT CAST(seq AS TEXT) AS seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: string } | undefined;
  return row === undefined ? null : BigInt(row.seq);
}

import type { OpenDatabase } from '../../dialect';
import type { BetterSqlite3Like } from './better-sqlite3-adapter';
import { SeqsyncError } from '../../errors';
import { loadOptionalDriver } from '../../optional-driver';
import { fromBetterSqlite3 } from './better-sqlite3-adapter';
import { translateSqliteError } from './sqlite-errors';

type BetterSqlite3Constructor = new (
  filename: string, options: { fileMustExist: boolean; timeout: number },
) => BetterSqlite3Like & { close(): void };

/**
 * Opens the database file of a `sqlite:` / `file:` URL with better-sqlite3 (an optional peer dependency,
 * loaded on demand). `fileMustExist`: a mistyped path fails instead of silently creating an empty database.
 */
export async function connectSqlite(url: URL): Promise<OpenDatabase> {
  const path = filePathOf(url);
  const Database = await loadOptionalDriver('better-sqlite3', 'SQLite',
    (loaded) => (typeof loaded === 'function' ? loaded as BetterSqlite3Constructor : undefined));
  let db: BetterSqlite3Like & { close(): void };
  try {
    db = new Database(path, { fileMustExist: true, timeout: 5_000 });
    // Opening is lazy about the file's contents: reading the schema proves it is a database at all.
    db.prepare('SELECT count(*) FROM sqlite_master').all();
  } catch (error) {
    const reason = (error as { code?: string }).code === 'SQLITE_NOTADB' ? 'not a database' : (error as Error).message;
    throw translateSqliteError(Object.assign(new Error(`${JSON.stringify(path)}: ${reason}`), { cause: error }), { phase: 'connect' });
  }
  return { queryable: fromBetterSqlite3(db), close: async () => db.close() };
}

/** `sqlite:/abs/app.db`, `sqlite:///abs/app.db`, `sqlite:./rel/app.db`, `file:./dev.db` (Prisma's form). */
export function filePathOf(url: URL): string {
  const raw = url.host.length > 0 ? `${url.host}${url.pathname}` : url.pathname;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  if (path.length === 0 || path === ':memory:') {
    throw new SeqsyncError('INVALID_URL',
      `${JSON.stringify(url.href)} names no database file: expected e.g. sqlite:./data/app.db or file:/var/lib/app.db`);
  }
  return path;
}

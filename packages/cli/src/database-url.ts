import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args';
import { parseDotenv } from './dotenv';

/** The URL a run connects with and, when the user neither typed nor exported it, one line saying where it came from. */
export interface DatabaseUrl {
  readonly url: string;
  readonly note?: string;
}

/** libpq's variables that name a server, a user or a database: any of them set means "connect as psql would". */
export const LIBPQ_VARIABLES = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE'] as const;

/** Shown as written, so the note reads as a path the user can open. */
const DOTENV_FILE = './.env';

/**
 * The first of: --url; DATABASE_URL in the environment; DATABASE_URL in the working directory's .env, as Prisma and
 * drizzle-kit read it; `postgresql://` when a libpq variable is set — a URL with nothing in it, so the server, user,
 * database and password come from libpq's environment as they do for psql. An empty value counts as unset. .env is
 * read only when nothing before it gave a URL, so a URL typed or exported is never second-guessed by a file.
 */
export function findDatabaseUrl(given: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): DatabaseUrl {
  if (given !== undefined) return { url: given };
  if (isSet(env.DATABASE_URL)) return { url: env.DATABASE_URL };
  const fromFile = databaseUrlFromDotenv(cwd);
  if (fromFile !== undefined) return { url: fromFile, note: `DATABASE_URL from ${DOTENV_FILE}` };
  // pg reads no pg_service.conf: connecting to the defaults instead of the service named would reach another server.
  if (isSet(env.PGSERVICE)) {
    throw new UsageError(`PGSERVICE=${env.PGSERVICE} is set, but seqsync cannot read pg_service.conf: pass --url or set DATABASE_URL`);
  }
  const libpq = LIBPQ_VARIABLES.filter((name) => isSet(env[name]));
  if (libpq.length > 0) return { url: 'postgresql://', note: `connecting to postgresql:// with ${libpq.join(', ')} from the environment` };
  throw new UsageError(`no database URL: pass --url or set DATABASE_URL (in the environment or ${DOTENV_FILE}), `
    + `or for PostgreSQL set ${LIBPQ_VARIABLES.slice(0, -1).join(', ')} or ${LIBPQ_VARIABLES.at(-1)}`);
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.length > 0;
}

function databaseUrlFromDotenv(cwd: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${DOTENV_FILE}: ${(error as Error).message}`);
  }
  const entry = parseDotenv(text, DOTENV_FILE).get('DATABASE_URL');
  if (entry === undefined || entry.value.length === 0) return undefined;
  // dotenv-expand (Prisma) would substitute ${VAR} here; a URL taken literally with it would fail far from the cause.
  if (entry.value.includes('${')) {
    throw new UsageError(`${DOTENV_FILE} line ${entry.line}: DATABASE_URL holds \${...}, which seqsync does not expand: `
      + 'write the URL out, or set DATABASE_URL in the environment');
  }
  return entry.value;
}

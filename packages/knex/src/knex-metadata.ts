import type { Options, Queryable } from '@seqsync/core';
import { SeqsyncError, dialectTraits } from '@seqsync/core';
import type { KnexClientLike } from './knex-connection';

/**
 * What knex knows about the tables: it has no models, only its config's `searchPath` — the schemas the
 * application's unqualified table names resolve to. That is the default scope; without a `searchPath`,
 * core's default (every non-system schema). An explicit `schemas` or `tables` option is the caller's
 * exact word and is left as given.
 */
export async function scopeToSearchPath(client: KnexClientLike, db: Queryable, options: Options): Promise<Options> {
  // A search path names schemas only where the database has one (MySQL scopes to the connection's database, SQLite to its files).
  if (options.schemas !== undefined || options.tables !== undefined || !dialectTraits(db.dialect).searchPathSchemas) return options;
  const searchPath = searchPathOf(client);
  if (searchPath === null) return options;
  return { ...options, schemas: await resolveUserSchema(db, searchPath) };
}

/** knex takes a string as one schema name (a comma in it is not a list), or an array of names. */
export function searchPathOf(client: KnexClientLike): string[] | null {
  const configured = client.config?.searchPath;
  if (configured === undefined || configured === null) return null;
  const names = typeof configured === 'string' ? [configured] : [...configured];
  return names.length === 0 ? null : names;
}

/**
 * PostgreSQL reads `$user` in a search path as the schema named after the session user, skipped when
 * there is none. Any other name is passed on, so a misspelt schema fails as UNKNOWN_SCHEMA.
 */
async function resolveUserSchema(db: Queryable, searchPath: readonly string[]): Promise<string[]> {
  if (!searchPath.includes('$user')) return [...searchPath];
  const rows = await db.query<{ schema: string | null }>(
    'SELECT (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname = current_user) AS "schema"');
  const userSchema = rows[0]?.schema ?? null;
  const schemas = searchPath.flatMap((name) => (name !== '$user' ? [name] : userSchema === null ? [] : [userSchema]));
  if (schemas.length === 0) {
    throw new SeqsyncError('UNKNOWN_SCHEMA', `knex searchPath ${JSON.stringify(searchPath)} names no existing schema`);
  }
  return [...new Set(schemas)];
}

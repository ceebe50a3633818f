import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgresJs } from 'drizzle-orm/postgres-js/migrator';
import type { MigrationConfig } from 'drizzle-orm/migrator';
import { Pool } from 'pg';
import postgres from 'postgres';
import { createTestDatabase } from '../../../test-support/test-database';
import * as schema from '../fixtures/pg-schema';

export { schema };
export type PgSchema = typeof schema;
/** A Drizzle database of the fixture schema, whichever PostgreSQL driver is under it. */
export type PgDb = PgDatabase<PgQueryResultHKT, PgSchema>;

export const pgMigrations = join(__dirname, '..', 'fixtures', 'pg-migrations');

/** drizzle-kit's DDL for the fixture schema (pg-migrations/0000), as one script. */
const schemaDdl = readFileSync(join(pgMigrations, '0000_schema.sql'), 'utf8').replace(/--> statement-breakpoint/g, '');

/** One PostgreSQL database of a suite's own, behind one Drizzle driver. */
export interface PgHarness {
  /** drizzle(client, { schema, casing: 'snake_case' }). */
  readonly db: PgDb;
  /** Runs SQL on the same database outside Drizzle (a script is fine without params). */
  sql<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Drops every table and applies drizzle-kit's DDL again: each test starts from an empty schema. */
  recreate(): Promise<void>;
  /** Drops every table, drizzle's migration journal too: for the migrator to start from nothing. */
  clear(): Promise<void>;
  /** This driver's `migrate()` of drizzle-orm/<driver>/migrator. */
  migrate(db: PgDb, config: MigrationConfig): Promise<void>;
  close(): Promise<void>;
}

/** Every PostgreSQL driver of Drizzle that seqsync adapts: each suite runs once per driver. */
export interface PgDriver {
  readonly name: string;
  open(label: string): Promise<PgHarness>;
}

const RESET = 'DROP SCHEMA IF EXISTS billing, drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;';

export const nodePostgres: PgDriver = {
  name: 'drizzle-orm/node-postgres',
  async open(label) {
    const database = await createTestDatabase(label);
    const pool = new Pool({ connectionString: database.url, max: 4 });
    // An idle client the server ends (57P01) is otherwise re-emitted by the pool as an unhandled 'error' that fails
    // whichever test is running (seen once in CI, during a test that had no query in flight); a query on a client ended
    // so still fails on its own. test-database.ts's clients listen the same way.
    pool.on('error', () => undefined);
    return {
      db: drizzleNodePostgres(pool, { schema, casing: 'snake_case' }),
      sql: database.sql,
      recreate: async () => { await database.sql(RESET + schemaDdl); },
      clear: async () => { await database.sql(RESET); },
      migrate: (db, config) => migrateNodePostgres(db as Parameters<typeof migrateNodePostgres>[0], config),
      close: async () => {
        await pool.end();
        await database.drop();
      },
    };
  },
};

export const postgresJs: PgDriver = {
  name: 'drizzle-orm/postgres-js',
  async open(label) {
    const database = await createTestDatabase(label);
    // onnotice: PostgreSQL's NOTICEs (DROP … IF EXISTS of nothing) would otherwise be printed by postgres.js.
    const client = postgres(database.url, { max: 4, onnotice: () => undefined });
    return {
      db: drizzlePostgresJs(client, { schema, casing: 'snake_case' }),
      sql: database.sql,
      recreate: async () => { await database.sql(RESET + schemaDdl); },
      clear: async () => { await database.sql(RESET); },
      migrate: (db, config) => migratePostgresJs(db as Parameters<typeof migratePostgresJs>[0], config),
      close: async () => {
        await client.end();
        await database.drop();
      },
    };
  },
};

export const pglite: PgDriver = {
  name: 'drizzle-orm/pglite',
  async open() {
    // In process and in memory: a new PGlite is a new database.
    const client = new PGlite();
    const sql = async <Row extends object>(text: string, params?: unknown[]) => (params === undefined
      ? ((await client.exec(text)).at(-1)?.rows ?? []) : (await client.query(text, params)).rows) as Row[];
    return {
      db: drizzlePglite(client, { schema, casing: 'snake_case' }),
      sql,
      recreate: async () => { await client.exec(RESET + schemaDdl); },
      clear: async () => { await client.exec(RESET); },
      migrate: (db, config) => migratePglite(db as Parameters<typeof migratePglite>[0], config),
      close: () => client.close(),
    };
  },
};

export const PG_DRIVERS: readonly PgDriver[] = [nodePostgres, postgresJs, pglite];

/** The value the sequence's next nextval() returns, read without consuming it. */
export async function nextValue(harness: PgHarness, sequence: string): Promise<bigint> {
  const [row] = await harness.sql<{ last_value: string; is_called: boolean; increment: string }>(
    `SELECT s.last_value::text AS last_value, s.is_called, p.seqincrement::text AS increment
     FROM ${sequence} s, pg_catalog.pg_sequence p WHERE p.seqrelid = '${sequence}'::regclass`);
  return row.is_called ? BigInt(row.last_value) + BigInt(row.increment) : BigInt(row.last_value);
}

/**
 * The failure of a plain insert when a sequence is behind: Drizzle's DrizzleQueryError carrying the driver's
 * error, SQLSTATE 23505 on the table's primary key.
 */
export async function expectDuplicateKey(insert: PromiseLike<unknown>, constraint: string): Promise<void> {
  const error = await Promise.resolve(insert).then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  const cause = (error as { cause?: unknown }).cause ?? error;
  expect(cause).toMatchObject({ code: '23505' });
  expect((cause as Error).message).toBe(`duplicate key value violates unique constraint "${constraint}"`);
}

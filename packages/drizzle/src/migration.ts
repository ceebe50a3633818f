import type { DrizzleDatabase } from './drizzle-connection';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import { realignSequences } from './realign-sequences';

/** A call of drizzle's migrator with its config bound: `(db) => migrate(db, { migrationsFolder })`. */
export type MigrateFunction<DB extends DrizzleDatabase> = (db: DB) => PromiseLike<unknown>;

/**
 * Runs drizzle's migrator, then realigns the schema's sequences, so migrations that insert rows with explicit ids
 * (reference data, an import in a `drizzle-kit generate --custom` migration) leave the next insert working.
 *
 * drizzle-orm's `migrate()` applies every pending migration in one transaction of its own and commits before it
 * resolves, and hands nothing of that transaction out: the realign runs right after, on the same db, and only
 * when the migrations succeeded. Drizzle's journal table (`drizzle.__drizzle_migrations`) is not in the schema,
 * so it is left alone.
 *
 * @example
 * import { migrate } from 'drizzle-orm/node-postgres/migrator';
 * const report = await realignAfterMigration(db, (db) => migrate(db, { migrationsFolder: './drizzle' }), { schema });
 */
export async function realignAfterMigration<DB extends DrizzleDatabase>(
  db: DB,
  migrate: MigrateFunction<DB>,
  options: RealignSequencesOptions = {},
): Promise<SequencesReport> {
  await migrate(db);
  return realignSequences(db, options);
}

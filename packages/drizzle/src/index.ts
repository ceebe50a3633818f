/**
 * Realign the key sequences behind a Drizzle schema's tables: an API on the db's own connection (or inside its
 * transaction), and hooks after drizzle's migrator and around drizzle-seed. PostgreSQL (node-postgres,
 * postgres.js, PGlite), MySQL/MariaDB (mysql2) and SQLite (better-sqlite3).
 */
export { realignSequences, checkSequences } from './realign-sequences';
export type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
export { realignAfterMigration } from './migration';
export type { MigrateFunction } from './migration';
export { realignAfterSeed } from './seed';
export type { RealignAfterSeedOptions, SeedOutcome } from './seed';
export { healOnDuplicateKey } from './heal';
export type { HealOnDuplicateKeyOptions } from './heal';
export { describeSchema } from './drizzle-metadata';
export type {
  SchemaTables, SchemaTable, SkippedTable, SequenceColumn, SequenceStrategy, DrizzleSchema, DrizzleDialect,
} from './drizzle-metadata';
export type { DrizzleDatabase } from './drizzle-connection';
export { SeqsyncError, isSeqsyncError, healAttemptOf } from '@seqsync/core';
export type { Report, SequenceReport, Options, ErrorCode, HealAttempt, HealCause } from '@seqsync/core';

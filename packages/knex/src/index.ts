/**
 * Realign key sequences from knex: after seeds and migrations that insert explicit ids, the next ordinary
 * insert gets the next free id instead of a duplicate key error. PostgreSQL, MySQL/MariaDB and SQLite.
 */
export { realignSequences, checkSequences } from './realign-sequences';
export type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
export { realignSequencesMigration, realignAfterMigration } from './migration';
export type { RealignSequencesMigrationOptions, RealignSequencesMigration, MigrationFunction } from './migration';
export { realignAfterSeed } from './seed';
export type { RealignAfterSeedOptions } from './seed';
export { healOnDuplicateKey } from './heal';
export type { HealOnDuplicateKeyOptions } from './heal';
export { SeqsyncError, isSeqsyncError, healAttemptOf } from '@seqsync/core';
export type { Report, SequenceReport, Options, ErrorCode, HealAttempt, HealCause } from '@seqsync/core';

/**
 * Realign PostgreSQL key sequences from knex: after seeds and migrations that insert explicit ids, the
 * next ordinary insert gets the next free id instead of `duplicate key value violates unique constraint`.
 */
export { realignSequences, checkSequences } from './realign-sequences';
export type { KnexRealignOptions } from './realign-sequences';
export { realignMigration, withRealign } from './migration';
export type { MigrationFunction, RealignMigration } from './migration';
export { realignAfterSeeds } from './seed';
export type { RealignStepOptions } from './step-options';
export { SeqsyncError, isSeqsyncError } from '@seqsync/core';
export type { Report, SequenceReport, Options, ErrorCode } from '@seqsync/core';

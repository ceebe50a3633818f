/**
 * Realign the key sequences behind TypeORM entities: an API, a subscriber that follows inserts with explicit
 * keys, and a migration step. PostgreSQL, MySQL/MariaDB and SQLite.
 */
export { realignSequences, checkSequences } from './realign-sequences';
export type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
export { realignSequencesMigration } from './migration';
export type { RealignSequencesMigrationOptions } from './migration';
export { RealignSequencesSubscriber, realignSequencesSubscriber } from './subscriber';
export type { RealignSequencesSubscriberOptions } from './subscriber';
export { healOnDuplicateKey } from './heal';
export type { HealOnDuplicateKeyOptions } from './heal';
export { describeEntities } from './typeorm-metadata';
export type { EntityTable, EntityTables, SkippedEntity, SequenceColumn, SequenceStrategy } from './typeorm-metadata';
export type { TypeormTarget } from './typeorm-connection';
export { SeqsyncError, isSeqsyncError, healAttemptOf } from '@seqsync/core';
export type { Report, SequenceReport, Options, ErrorCode, HealAttempt, HealCause } from '@seqsync/core';

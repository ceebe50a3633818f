/**
 * Realign the counters behind Prisma models' autoincrement keys: an API, a seed hook (`realignAfterSeed`
 * and the `seqsync-prisma` seed step), a client extension and a generator. PostgreSQL, MySQL/MariaDB and SQLite.
 */
export { realignSequences, checkSequences } from './realign-sequences';
export type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
export { realignAfterSeed, formatSequencesReport } from './seed';
export type { RealignAfterSeedOptions, SeedOutcome } from './seed';
export { realignSequencesExtension } from './extension';
export type { RealignSequencesExtensionOptions, RealignSequencesExtension, RealignSequencesExtendedClient } from './extension';
export type { PrismaHealCause } from './heal';
export { fromPrismaClient } from './prisma-connection';
export type { PrismaQueryableOptions, PrismaClientLike } from './prisma-connection';
export { metadataFromDmmf } from './from-dmmf';
export type { DmmfDocumentLike, DmmfModelLike, DmmfFieldLike } from './from-dmmf';
export type {
  PrismaSchemaMetadata, PrismaModelMetadata, PrimaryKeyField, SequencedField,
  RelationField, KeyDefault, SkippedModel, MetadataSource,
} from './prisma-metadata';
export { SeqsyncError, isSeqsyncError, healAttemptOf } from '@seqsync/core';
export type { Report, SequenceReport, Options, ErrorCode, HealAttempt, HealCause } from '@seqsync/core';

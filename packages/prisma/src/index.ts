export { realignSequences, checkSequences } from './realign-sequences';
export type { PrismaSequenceOptions, PrismaReport } from './realign-sequences';
export { withRealign } from './seed/with-realign';
export type { WithRealignOptions, SeedOutcome } from './seed/with-realign';
export { formatSummary } from './seed/summary';
export { seqsyncExtension } from './extension/seqsync-extension';
export type { SeqsyncExtensionOptions, SeqsyncExtension, SeqsyncExtendedClient } from './extension/seqsync-extension';
export { fromPrismaClient, prismaQueryable } from './connection/prisma-queryable';
export type { PrismaQueryableOptions } from './connection/prisma-queryable';
export type { PrismaClientLike } from './connection/prisma-client-like';
export { metadataFromDmmf } from './metadata/from-dmmf';
export type { DmmfDocumentLike, DmmfModelLike, DmmfFieldLike } from './metadata/from-dmmf';
export type {
  PrismaSchemaMetadata, PrismaModelMetadata, PrimaryKeyField, SequencedField,
  RelationField, KeyDefault, SkippedModel,
} from './metadata/model-metadata';
export type { MetadataSource } from './model-scope';
export { SeqsyncError, isSeqsyncError } from '@seqsync/core';
export type { Report, SequenceReport, Options } from '@seqsync/core';

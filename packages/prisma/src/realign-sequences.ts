import type { Options, Report } from '@seqsync/core';
import type { PrismaClientLike } from './prisma-connection';
import type { MetadataSource, ModelScope, ScopeRequest, SkippedModel } from './prisma-metadata';
import { check, dialectNameOf, realign, withJson } from '@seqsync/core';
import { fromPrismaClient, providerOf } from './prisma-connection';
import { modelsWithoutSequence, resolveModelScope } from './prisma-metadata';

/** Core's options, with Prisma models in place of raw table names. */
export interface RealignSequencesOptions extends Omit<Options, 'tables'>, ScopeRequest {
  /** Limit for each interactive transaction seqsync opens (one per batch). Default 60 s. */
  readonly transactionTimeoutMs?: number;
}

/** Core's report, plus the models that were left alone and why. */
export interface SequencesReport extends Report {
  readonly skipped: readonly SkippedModel[];
  /** `metadata` (generator or DMMF) or `client` (table names only, from the client's data model). */
  readonly metadataSource: MetadataSource;
}

/**
 * Moves the counters behind the Prisma models' autoincrement keys past the data, through the client's
 * own connection, so the next `create()` cannot fail with P2002 on `<table>_pkey`: PostgreSQL sequences,
 * MariaDB sequences, MySQL/MariaDB AUTO_INCREMENT and SQLite's sqlite_sequence. Default mode never moves
 * a counter backwards; `mode: 'reset'` also brings it back to just past the data after deletes.
 *
 * @example
 * import { seqsyncMetadata } from '../generated/seqsync/index.js';
 * const report = await realignSequences(prisma, { metadata: seqsyncMetadata });
 * for (const s of report.sequences) if (s.action === 'advanced') console.log(s.sequence, '→', s.nextValueAfter);
 */
export function realignSequences(prisma: PrismaClientLike, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(prisma, options, realign);
}

/**
 * Read-only: reports each model sequence, whether it is behind its data, and what `realignSequences`
 * would do. Nothing is written.
 *
 * @example
 * const report = await checkSequences(prisma, { metadata: seqsyncMetadata });
 * if (report.sequences.some((s) => s.behind)) throw new Error('sequences behind: run realignSequences');
 */
export function checkSequences(prisma: PrismaClientLike, options: RealignSequencesOptions = {}): Promise<SequencesReport> {
  return run(prisma, options, check);
}

/** The datasource provider of a client or its metadata, refused before any query when core has no dialect for it. */
export function supportedProviderOf(prisma: object, metadata: ScopeRequest['metadata']): string | undefined {
  const provider = providerOf(prisma, metadata !== undefined && 'provider' in metadata ? metadata.provider : undefined);
  dialectNameOf(provider);
  return provider;
}

async function run(prisma: PrismaClientLike, options: RealignSequencesOptions, action: typeof realign): Promise<SequencesReport> {
  const { metadata, models, allTables, transactionTimeoutMs, ...coreOptions } = options;
  const provider = supportedProviderOf(prisma, metadata);
  const scope = resolveModelScope(prisma, { metadata, models, allTables }, provider);
  const report = await action(fromPrismaClient(prisma, { provider, transactionTimeoutMs }), { ...coreOptions, tables: scope.tables });
  return withSkippedModels(report, scope);
}

/**
 * Core's report with the models the scope left out, and those whose table the database shows without a sequence.
 * `withJson` keeps the report's `toJSON` on the copy, so `JSON.stringify(report)` still writes BigInts as strings.
 */
export function withSkippedModels(report: Report, scope: ModelScope): SequencesReport {
  const skipped = [...scope.skipped, ...modelsWithoutSequence(scope, report.tablesWithoutSequence)];
  return withJson({ ...report, skipped, metadataSource: scope.source });
}

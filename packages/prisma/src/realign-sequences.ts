import type { Options, Report } from '@seqsync/core';
import type { PrismaClientLike } from './connection/prisma-client-like';
import type { SkippedModel } from './metadata/model-metadata';
import type { MetadataSource, ScopeRequest } from './model-scope';
import { check, realign } from '@seqsync/core';
import { prismaQueryable } from './connection/prisma-queryable';
import { assertSupportedProvider, providerOf } from './connection/provider';
import { modelsWithoutSequence, resolveModelScope } from './model-scope';

/** Core's options, with Prisma models in place of raw table names. */
export interface PrismaSequenceOptions extends Omit<Options, 'tables'>, ScopeRequest {
  /** Limit for each interactive transaction seqsync opens (one per batch). Default 60 s. */
  readonly transactionTimeoutMs?: number;
}

/** Core's report, plus the models that were left alone and why. */
export interface PrismaReport extends Report {
  readonly skippedModels: readonly SkippedModel[];
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
 * import { seqsyncMetadata } from '../generated/seqsync';
 * const report = await realignSequences(prisma, { metadata: seqsyncMetadata });
 * for (const s of report.sequences) if (s.action === 'advanced') console.log(s.sequence, '→', s.nextValueAfter);
 */
export function realignSequences(prisma: PrismaClientLike, options: PrismaSequenceOptions = {}): Promise<PrismaReport> {
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
export function checkSequences(prisma: PrismaClientLike, options: PrismaSequenceOptions = {}): Promise<PrismaReport> {
  return run(prisma, options, check);
}

async function run(prisma: PrismaClientLike, options: PrismaSequenceOptions, action: typeof realign): Promise<PrismaReport> {
  const { metadata, models, allTables, transactionTimeoutMs, ...coreOptions } = options;
  const declared = metadata !== undefined && 'provider' in metadata ? metadata.provider : undefined;
  const provider = providerOf(prisma, declared);
  assertSupportedProvider(provider);
  const scope = resolveModelScope(prisma, { metadata, models, allTables }, provider);
  const report = await action(await prismaQueryable(prisma, { provider, transactionTimeoutMs }), { ...coreOptions, tables: scope.tables });
  return {
    ...report,
    skippedModels: [...scope.skipped, ...modelsWithoutSequence(scope, report.tablesWithoutSequence)],
    metadataSource: scope.source,
  };
}

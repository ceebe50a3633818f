import type { DmmfDocumentLike } from './from-dmmf';
import type { PrismaModelMetadata, PrismaSchemaMetadata } from './prisma-metadata';
import type { PrismaClientLike } from './prisma-connection';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import type { WatchedOperation } from './explicit-keys';
import type { Report } from '@seqsync/core';
import type { PrismaHealCause } from './heal';
import { SeqsyncError } from '@seqsync/core';
import { toSchemaMetadata } from './prisma-metadata';
import { realignSequences, supportedProviderOf } from './realign-sequences';
import { WATCHED_OPERATIONS, modelsGivenExplicitKeys } from './explicit-keys';
import { clientForCall } from './transaction-context';
import { fromPrismaClient } from './prisma-connection';
import { PrismaHealer } from './heal';

export interface RealignSequencesExtensionOptions extends Omit<RealignSequencesOptions, 'metadata' | 'models' | 'allTables' | 'dryRun'> {
  /** Which fields are sequence-fed: the `seqsyncMetadata` export written by `generator seqsync`, or a DMMF document. */
  readonly metadata: PrismaSchemaMetadata | DmmfDocumentLike;
  /** Called after each realign the extension runs, e.g. to log it. */
  readonly onReport?: (report: SequencesReport, cause: { readonly model: string; readonly operation: string }) => void;
  /**
   * Opt-in self-heal: a create, createMany, createManyAndReturn or upsert (nested creates too) that leaves a model's
   * sequence-fed key to the sequence and fails with P2002 on that key — its sequence fell behind — realigns that one
   * table (advance mode, a 2 s lock wait) and runs the call once more. A safety net, not a substitute for realigning
   * where the explicit ids were inserted (see the README's "Self-heal"). Default false.
   */
  readonly heal?: boolean;
  /** Called every time a heal realigns a table, with core's report and the table, model and operation that failed. */
  readonly onHeal?: (report: Report, cause: PrismaHealCause) => void;
}

/** What `$extends` needs from an extension function: the extended client. Adds no types (query hooks only). */
export interface RealignSequencesExtendedClient {
  readonly $extends: { readonly extArgs: { result: {}; model: {}; query: {}; client: {} } };
}

/** The extension as a function of the client, the form `prisma.$extends(…)` and `Prisma.defineExtension` take. */
export type RealignSequencesExtension = (client: unknown) => RealignSequencesExtendedClient;

interface ExtendableClient extends PrismaClientLike {
  $extends(extension: object): RealignSequencesExtendedClient;
}

interface QueryHookParams {
  readonly model?: string;
  readonly operation: string;
  readonly args: unknown;
  readonly query: (args: unknown) => Promise<unknown>;
  readonly __internalParams?: { readonly transaction?: { readonly kind: string; readonly id?: unknown } };
}

/**
 * A client extension that realigns a model's sequence right after a `create`, `upsert`, `createMany`
 * or `createManyAndReturn` that gave its sequence-fed key an explicit value — only then, and only the
 * tables that call wrote. Ordinary inserts run untouched: no extra query.
 *
 * @example
 * import { seqsyncMetadata } from '../generated/seqsync/index.js';
 * const prisma = new PrismaClient({ adapter }).$extends(realignSequencesExtension({ metadata: seqsyncMetadata }));
 * await prisma.user.createMany({ data: [{ id: 1, email: 'ada@example.com' }] }); // realigns "User" afterwards
 * await prisma.user.create({ data: { email: 'bob@example.com' } });                // id 2, no P2002
 *
 * With `heal: true` it also heals a P2002 that a sequence left behind elsewhere (a restore, a script) caused:
 * @example
 * const prisma = base.$extends(realignSequencesExtension({ metadata: seqsyncMetadata, heal: true, onHeal: (r, c) => log.warn(c) }));
 */
export function realignSequencesExtension(options: RealignSequencesExtensionOptions): RealignSequencesExtension {
  if (options?.metadata === undefined) {
    throw new SeqsyncError('INVALID_OPTION',
      'realignSequencesExtension needs `metadata` to know which fields are autoincrement keys: '
      + 'add `generator seqsync { provider = "seqsync-prisma" }` and pass its `seqsyncMetadata` export');
  }
  const { metadata: source, onReport, heal, onHeal, ...realignOptions } = options;
  return (client: unknown): RealignSequencesExtendedClient => {
    const base = client as ExtendableClient;
    // Refuse at $extends time: a CockroachDB or SQL Server project learns at startup, not after its first seed.
    const provider = supportedProviderOf(base, source);
    const metadata = toSchemaMetadata(source, provider);
    const byModel = new Map<string, PrismaModelMetadata>(metadata.models.map((m) => [m.model, m]));
    const healer = heal === true ? new PrismaHealer(byModel, fromPrismaClient(base, { provider }), onHeal) : null;
    const hook = async ({ model, operation, args, query, __internalParams }: QueryHookParams): Promise<unknown> => {
      const explicit = model === undefined ? new Set<string>() : modelsGivenExplicitKeys(byModel, model, operation, args);
      const transaction = __internalParams?.transaction;
      const run = () => (healer === null || model === undefined ? query(args)
        : healer.run({ model, operation, args, query, transaction }));
      if (explicit.size === 0) return run();
      // Resolved before the write, so a call seqsync cannot follow fails without writing anything.
      const target = clientForCall(base, transaction);
      const result = await run();
      const report = await realignSequences(target, { ...realignOptions, metadata, models: [...explicit] });
      onReport?.(report, { model: model!, operation });
      return result;
    };
    const hooks = Object.fromEntries(WATCHED_OPERATIONS.map((operation: WatchedOperation) => [operation, hook]));
    return base.$extends({ name: 'seqsync', query: { $allModels: hooks } });
  };
}

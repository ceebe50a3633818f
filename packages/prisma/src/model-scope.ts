import type { DmmfDocumentLike } from './metadata/from-dmmf';
import type { PrismaSchemaMetadata, SkippedModel } from './metadata/model-metadata';
import type { ModelTable } from './metadata/model-tables';
import type { PrismaClientLike } from './connection/prisma-client-like';
import { SeqsyncError } from '@seqsync/core';
import { coreTableName, selectModels, tablesFromClient, toSchemaMetadata } from './metadata/model-tables';

/** Where the model list came from. */
export type MetadataSource = 'metadata' | 'client';

/** Which tables a run covers, and the models it leaves out with their reasons. */
export interface ModelScope {
  /** Core's `tables` option; undefined means every table (`allTables`). */
  readonly tables: string[] | undefined;
  readonly skipped: SkippedModel[];
  /** Every model in scope, to name the models behind tables the database shows without a sequence. */
  readonly modelTables: readonly ModelTable[];
  readonly source: MetadataSource;
}

export interface ScopeRequest {
  readonly metadata?: PrismaSchemaMetadata | DmmfDocumentLike;
  readonly models?: readonly string[];
  readonly allTables?: boolean;
}

/**
 * Turns the Prisma models into core's `tables`: only tables whose model has a sequence-fed field, by
 * exact name (Prisma's `User` is case-sensitive). Models with composite, String or UUID keys are
 * listed as skipped with the reason, not silently dropped.
 */
export function resolveModelScope(client: PrismaClientLike | null, request: ScopeRequest, provider: string): ModelScope {
  if (request.allTables === true && request.models !== undefined) {
    throw new SeqsyncError('INVALID_OPTION', '`models` and `allTables` exclude each other: name models, or realign every table');
  }
  if (request.metadata !== undefined) {
    const metadata = toSchemaMetadata(request.metadata, provider);
    const models = selectModels(metadata.models, request.models);
    const skipped = models.filter((m) => !m.realign).map(({ model, table, schema, reason }) => ({ model, table, schema, reason }));
    const realigned = models.filter((m) => m.realign);
    return {
      tables: request.allTables === true ? undefined : realigned.map(coreTableName),
      skipped,
      modelTables: realigned,
      source: 'metadata',
    };
  }
  const fromClient = client === null ? null : tablesFromClient(client);
  if (fromClient === null) {
    if (request.allTables === true) return { tables: undefined, skipped: [], modelTables: [], source: 'client' };
    throw new SeqsyncError('INVALID_OPTION',
      'cannot tell which tables belong to the Prisma models: pass `metadata` (written by `generator seqsync`) or `allTables: true`');
  }
  const models = selectModels(fromClient, request.models);
  return { tables: request.allTables === true ? undefined : models.map(coreTableName), skipped: [], modelTables: models, source: 'client' };
}

/**
 * Models whose table the database shows without any sequence. With generator metadata that means the
 * schema and the database disagree; from the client's data model (no key information) it is the normal
 * way composite, String and UUID keys show up.
 */
export function modelsWithoutSequence(scope: ModelScope, tablesWithoutSequence: readonly string[]): SkippedModel[] {
  const reason = scope.source === 'metadata'
    ? 'the schema gives this model a sequence-fed field, but the database has no sequence on its table (migrations not applied?)'
    : 'no sequence feeds any column of this table (add `generator seqsync` to the schema for the exact reason)';
  const skipped: SkippedModel[] = [];
  // Core names these `schema.table`, unquoted.
  for (const name of tablesWithoutSequence) {
    const model = scope.modelTables.find((m) => (m.schema === null ? name.endsWith(`.${m.table}`) : name === `${m.schema}.${m.table}`));
    if (model !== undefined) {
      skipped.push({ model: model.model, table: model.table, schema: model.schema ?? name.slice(0, name.length - model.table.length - 1), reason });
    }
  }
  return skipped;
}

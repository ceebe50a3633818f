import type { DmmfDocumentLike } from './from-dmmf';
import type { PrismaSchemaMetadata } from './model-metadata';
import { SeqsyncError } from '@seqsync/core';
import { metadataFromDmmf } from './from-dmmf';

/** A model and the table it maps to. */
export interface ModelTable {
  readonly model: string;
  readonly table: string;
  readonly schema: string | null;
}

/** The shape of a generated client's runtime data model (`_runtimeDataModel`): table names, no ids or defaults. */
interface RuntimeDataModel {
  readonly models: Readonly<Record<string, { readonly dbName: string | null; readonly schema?: string | null }>>;
}

/**
 * Without generator metadata, the client still knows each model's table and `@@schema`: Prisma keeps
 * them in its runtime data model to build SQL. That is an internal field, so it is only a fallback —
 * it says nothing about keys, which is why the generator is the documented route.
 */
export function tablesFromClient(client: object): ModelTable[] | null {
  const runtime = (client as { _runtimeDataModel?: RuntimeDataModel })._runtimeDataModel;
  if (runtime === undefined || runtime === null || typeof runtime.models !== 'object') return null;
  return Object.entries(runtime.models).map(([model, entry]) => ({ model, table: entry.dbName ?? model, schema: entry.schema ?? null }));
}

/**
 * The name core's `tables` option expects: `Table` or `schema.Table`, exact case. A part holding a dot
 * or starting with a quote is quoted so core reads it as one name. A model without `@@schema` is
 * named without a schema: Prisma's default schema is a connection setting, and core then matches the
 * table in whichever schema holds it.
 */
export function coreTableName(table: ModelTable): string {
  const part = (name: string) => (name.includes('.') || name.startsWith('"') ? `"${name.replace(/"/g, '""')}"` : name);
  return table.schema === null ? part(table.table) : `${part(table.schema)}.${part(table.table)}`;
}

/** Accepts the generator's output or a DMMF document, and returns seqsync's metadata. */
export function toSchemaMetadata(source: PrismaSchemaMetadata | DmmfDocumentLike, provider: string): PrismaSchemaMetadata {
  if ('datamodel' in source) return metadataFromDmmf(source, provider);
  if (source.version !== 1 || !Array.isArray(source.models)) {
    throw new SeqsyncError('INVALID_OPTION', 'metadata is not seqsync Prisma metadata: pass the `seqsyncMetadata` export written by `generator seqsync`, or a DMMF document');
  }
  return source;
}

/** Keeps the models named in `only` (Prisma model names); an unknown name is an error, not a silent skip. */
export function selectModels<T extends { readonly model: string }>(models: readonly T[], only: readonly string[] | undefined): readonly T[] {
  if (only === undefined) return models;
  const known = new Set(models.map((m) => m.model));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SeqsyncError('INVALID_OPTION', `unknown Prisma model${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}: expected one of ${[...known].join(', ')}`);
  }
  const wanted = new Set(only);
  return models.filter((m) => wanted.has(m.model));
}

import type { DmmfDocumentLike } from './from-dmmf';
import type { PrismaClientLike } from './prisma-connection';
import { SeqsyncError, formatTableName } from '@seqsync/core';
import { metadataFromDmmf } from './from-dmmf';

/**
 * What seqsync knows about a Prisma schema, in the spirit of Django's `Model._meta`: for each model the
 * table it maps to, its primary key, and whether a sequence feeds that key. Written by the `seqsync`
 * generator at `prisma generate` (see {@link metadataFromDmmf}); plain JSON so it can be imported or read from disk.
 */
export interface PrismaSchemaMetadata {
  /** Format version, bumped when the shape changes. */
  readonly version: 1;
  /** The datasource's provider as Prisma reports it: `postgresql`, `cockroachdb`, `mysql`, `sqlite`, … */
  readonly provider: string;
  readonly models: readonly PrismaModelMetadata[];
}

/** How a column gets its values when an insert leaves it out. */
export type KeyDefault =
  /** `@default(autoincrement())`: serial / identity (PostgreSQL), AUTO_INCREMENT (MySQL/MariaDB), AUTOINCREMENT (SQLite). */
  | 'autoincrement'
  /** `@default(sequence())` on CockroachDB. */
  | 'sequence'
  /** `@default(dbgenerated("nextval('…')"))` (or MariaDB's `nextval(…)` / `NEXT VALUE FOR …`): a sequence wired up by hand. */
  | 'nextval'
  /** `uuid()`, `cuid()`, `ulid()`, `nanoid()`, `now()`, another `dbgenerated(…)`, a literal. */
  | 'other'
  /** No `@default`: the application always supplies the value. */
  | 'none';

/** One field of a model's primary key. */
export interface PrimaryKeyField {
  /** Field name in the Prisma schema, as used in `data: { … }`. */
  readonly field: string;
  /** Column name in the database (`@map`, or the field name). */
  readonly column: string;
  /** Prisma scalar type: `Int`, `BigInt`, `String`, … */
  readonly type: string;
  readonly default: KeyDefault;
}

/** A field whose value a sequence supplies unless the insert gives one (the key, or any other serial column). */
export interface SequencedField {
  readonly field: string;
  readonly column: string;
}

/** A relation field, so nested writes (`posts: { create: [{ id: 7 }] }`) can be followed to their model. */
export interface RelationField {
  readonly field: string;
  readonly model: string;
}

export interface PrismaModelMetadata {
  /** Model name in the Prisma schema, e.g. `BlogPost`. */
  readonly model: string;
  /** Table name in the database: `@@map("blog_posts")`, or the model name (`User`, case kept). */
  readonly table: string;
  /** `@@schema("billing")` with multiSchema; null when the model lives in the connection's default schema. */
  readonly schema: string | null;
  /** The primary key's fields: one for `@id`, several for `@@id([a, b])`. */
  readonly primaryKey: readonly PrimaryKeyField[];
  /** Fields a sequence feeds. Explicit values for these are what put a sequence behind. */
  readonly sequencedFields: readonly SequencedField[];
  readonly relations: readonly RelationField[];
  /** True when the table has a sequence to realign. */
  readonly realign: boolean;
  /** Why the model is (or is not) realigned, e.g. `composite primary key (userId, groupId) has no sequence`. */
  readonly reason: string;
}

/** A model seqsync left alone, and why. */
export interface SkippedModel {
  readonly model: string;
  readonly table: string;
  readonly schema: string | null;
  readonly reason: string;
}

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
 * The name core's `tables` option expects: `formatTableName` quotes only what core would split, case kept.
 * A model without `@@schema` is named without a schema: Prisma's default schema is a connection setting,
 * and core then matches the table in whichever schema holds it.
 */
function tableNameOf(table: ModelTable): string {
  return formatTableName({ schema: table.schema, name: table.table });
}

/** Accepts the generator's output or a DMMF document, and returns seqsync's metadata. */
export function toSchemaMetadata(source: PrismaSchemaMetadata | DmmfDocumentLike, provider: string | undefined): PrismaSchemaMetadata {
  if ('datamodel' in source) {
    // Which defaults feed a counter depends on the provider (autoincrement() is no sequence on CockroachDB).
    if (provider === undefined) {
      throw new SeqsyncError('INVALID_OPTION',
        'cannot tell this client\'s datasource provider to read the DMMF: '
        + 'pass the `seqsyncMetadata` export written by `generator seqsync`');
    }
    return metadataFromDmmf(source, provider);
  }
  if (source.version !== 1 || !Array.isArray(source.models)) {
    throw new SeqsyncError('INVALID_OPTION',
      'metadata is not seqsync Prisma metadata: pass the `seqsyncMetadata` export written by `generator seqsync`, or a DMMF document');
  }
  return source;
}

/** Keeps the models named in `only` (Prisma model names); an unknown name is an error, not a silent skip. */
export function selectModels<T extends { readonly model: string }>(
  models: readonly T[],
  only: readonly string[] | undefined,
): readonly T[] {
  if (only === undefined) return models;
  const known = new Set(models.map((m) => m.model));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const names = unknown.map((n) => JSON.stringify(n)).join(', ');
    throw new SeqsyncError('INVALID_OPTION',
      `unknown Prisma model${unknown.length > 1 ? 's' : ''} ${names}: expected one of ${[...known].join(', ')}`);
  }
  const wanted = new Set(only);
  return models.filter((m) => wanted.has(m.model));
}

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
export function resolveModelScope(client: PrismaClientLike | null, request: ScopeRequest, provider: string | undefined): ModelScope {
  if (request.allTables === true && request.models !== undefined) {
    throw new SeqsyncError('INVALID_OPTION', '`models` and `allTables` exclude each other: name models, or realign every table');
  }
  if (request.metadata !== undefined) {
    const metadata = toSchemaMetadata(request.metadata, provider);
    const models = selectModels(metadata.models, request.models);
    const skipped = models.filter((m) => !m.realign).map(({ model, table, schema, reason }) => ({ model, table, schema, reason }));
    const realigned = models.filter((m) => m.realign);
    return {
      tables: request.allTables === true ? undefined : realigned.map(tableNameOf),
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
  return { tables: request.allTables === true ? undefined : models.map(tableNameOf), skipped: [], modelTables: models, source: 'client' };
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
      const schema = model.schema ?? name.slice(0, name.length - model.table.length - 1);
      skipped.push({ model: model.model, table: model.table, schema, reason });
    }
  }
  return skipped;
}

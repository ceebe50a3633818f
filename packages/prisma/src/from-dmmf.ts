import { SeqsyncError } from '@seqsync/core';
import type {
  KeyDefault, PrimaryKeyField, PrismaModelMetadata, PrismaSchemaMetadata, RelationField, SequencedField,
} from './prisma-metadata';

/** The parts of a DMMF field seqsync reads (`@prisma/dmmf`'s `Field`). */
export interface DmmfFieldLike {
  readonly name: string;
  readonly kind: string;
  readonly type: string;
  readonly isId: boolean;
  readonly dbName?: string | null;
  readonly default?: unknown;
}

/** The parts of a DMMF model seqsync reads (`@prisma/dmmf`'s `Model`). */
export interface DmmfModelLike {
  readonly name: string;
  readonly dbName: string | null;
  readonly schema?: string | null;
  readonly fields: readonly DmmfFieldLike[];
  readonly primaryKey: { readonly fields: readonly string[] } | null;
}

/** A DMMF document: what generators receive as `options.dmmf`, and `Prisma.dmmf` of a `prisma-client-js` client. */
export interface DmmfDocumentLike {
  readonly datamodel: { readonly models: readonly DmmfModelLike[] };
}

/**
 * Builds seqsync's model metadata from Prisma's DMMF. Pure: the generator calls it at `prisma generate`,
 * and anyone holding a DMMF (e.g. `Prisma.dmmf` from the `prisma-client-js` generator) can call it too.
 *
 * @example
 * const metadata = metadataFromDmmf(options.dmmf, options.datasources[0].activeProvider);
 */
export function metadataFromDmmf(dmmf: DmmfDocumentLike, provider: string): PrismaSchemaMetadata {
  assertHasKeys(dmmf);
  return { version: 1, provider, models: dmmf.datamodel.models.map((model) => modelMetadata(model, provider)) };
}

/**
 * Prisma 7's `Prisma.dmmf` (prisma-client-js) keeps only field names, kinds and types; reading it as if
 * complete would call every key "no primary key". Generators get the full DMMF, so say where to get it.
 */
function assertHasKeys(dmmf: DmmfDocumentLike): void {
  const complete = dmmf.datamodel.models.every((model) => model.primaryKey !== undefined
    && model.fields.every((field) => typeof field.isId === 'boolean'));
  if (!complete) {
    throw new SeqsyncError('INVALID_OPTION',
      'this DMMF carries no key information (Prisma 7 reduces the client\'s `Prisma.dmmf` to names and types): '
      + 'add `generator seqsync { provider = "seqsync-prisma" }` and pass its `seqsyncMetadata`');
  }
}

function modelMetadata(model: DmmfModelLike, provider: string): PrismaModelMetadata {
  const scalars = model.fields.filter((f) => f.kind === 'scalar');
  const keyNames = model.primaryKey !== null ? model.primaryKey.fields : scalars.filter((f) => f.isId).map((f) => f.name);
  const primaryKey: PrimaryKeyField[] = keyNames
    .map((name) => scalars.find((f) => f.name === name))
    .filter((f): f is DmmfFieldLike => f !== undefined)
    .map((f) => ({ field: f.name, column: columnOf(f), type: f.type, default: keyDefault(f, provider) }));
  const sequencedFields: SequencedField[] = scalars
    .filter((f) => isSequenced(keyDefault(f, provider)))
    .map((f) => ({ field: f.name, column: columnOf(f) }));
  const relations: RelationField[] = model.fields.filter((f) => f.kind === 'object').map((f) => ({ field: f.name, model: f.type }));
  return {
    model: model.name,
    table: model.dbName ?? model.name,
    schema: model.schema ?? null,
    primaryKey,
    sequencedFields,
    relations,
    realign: sequencedFields.length > 0,
    reason: reasonFor(primaryKey, sequencedFields, scalars, provider),
  };
}

function columnOf(field: DmmfFieldLike): string {
  return field.dbName ?? field.name;
}

function isSequenced(value: KeyDefault): boolean {
  return value === 'autoincrement' || value === 'sequence' || value === 'nextval';
}

/**
 * On CockroachDB `autoincrement()` is `unique_rowid()` — no sequence behind it, nothing to realign —
 * while `sequence()` is a real sequence. On SQLite an `Int` key's `autoincrement()` is
 * `INTEGER PRIMARY KEY AUTOINCREMENT` (a counter in sqlite_sequence), but a `BigInt` key's is created as
 * `BIGINT PRIMARY KEY`: not an alias of the rowid, so no counter at all. Everywhere else
 * `autoincrement()` is serial / identity / AUTO_INCREMENT.
 */
function keyDefault(field: DmmfFieldLike, provider: string): KeyDefault {
  const value = field.default;
  const name = defaultFunctionName(value);
  if (name === null) return value === undefined ? 'none' : 'other';
  if (name === 'autoincrement') return hasNoCounter(field, provider) ? 'other' : 'autoincrement';
  if (name === 'sequence') return 'sequence';
  // PostgreSQL's nextval('seq'), MariaDB's nextval(seq) and its standard NEXT VALUE FOR seq.
  const expression = String((value as { args?: unknown[] }).args?.[0] ?? '');
  if (name === 'dbgenerated' && /\bnextval\s*\(|\bnext\s+value\s+for\s/i.test(expression)) return 'nextval';
  return 'other';
}

function hasNoCounter(field: DmmfFieldLike, provider: string): boolean {
  return provider === 'cockroachdb' || (provider === 'sqlite' && field.type === 'BigInt');
}

function defaultFunctionName(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? name : null;
}

function reasonFor(
  primaryKey: readonly PrimaryKeyField[],
  sequenced: readonly SequencedField[],
  scalars: readonly DmmfFieldLike[],
  provider: string,
): string {
  const fieldList = (fields: readonly { field: string }[]) => fields.map((f) => f.field).join(', ');
  if (sequenced.length > 0) {
    const [key] = primaryKey;
    if (primaryKey.length === 1 && sequenced.some((s) => s.field === key.field)) {
      return `${key.type} id "${key.field}" (column "${key.column}") is filled by ${describeDefault(scalars, key.field)}`;
    }
    return `sequence-fed field${sequenced.length > 1 ? 's' : ''} ${fieldList(sequenced)}`;
  }
  if (primaryKey.length === 0) return 'no primary key and no sequence-fed field';
  if (primaryKey.length > 1) return `composite primary key (${fieldList(primaryKey)}) has no sequence`;
  const [key] = primaryKey;
  if (key.default === 'none') return `${key.type} id "${key.field}" has no @default: the application supplies every value, no sequence`;
  const described = describeDefault(scalars, key.field);
  if (provider === 'cockroachdb' && described === 'autoincrement()') {
    return `${key.type} id "${key.field}" uses autoincrement(), which is unique_rowid() on CockroachDB: no sequence (use sequence())`;
  }
  if (provider === 'sqlite' && described === 'autoincrement()') {
    return `${key.type} id "${key.field}" uses autoincrement(), which Prisma creates as BIGINT PRIMARY KEY on SQLite: `
      + 'not the rowid, no counter (use Int)';
  }
  return `${key.type} id "${key.field}" defaults to ${described}: no sequence`;
}

function describeDefault(scalars: readonly DmmfFieldLike[], fieldName: string): string {
  const value = scalars.find((f) => f.name === fieldName)?.default;
  const name = defaultFunctionName(value);
  if (name === null) return `the literal ${JSON.stringify(value)}`;
  const args = (value as { args?: unknown[] }).args ?? [];
  return name === 'dbgenerated' ? `dbgenerated(${args.map((a) => JSON.stringify(a)).join(', ')})` : `${name}()`;
}

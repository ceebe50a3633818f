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

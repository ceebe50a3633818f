import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { SeqsyncError, formatTableName } from '@seqsync/core';

/** TypeORM does not export ColumnMetadata from its entry point; it is reached through EntityMetadata. */
export type ColumnMetadata = EntityMetadata['columns'][number];

/** The TypeORM generation strategies a database sequence backs (SERIAL, or an IDENTITY column's own sequence). */
export type SequenceStrategy = 'increment' | 'identity';

/** A column whose values come from a sequence, named as it is in the database. */
export interface SequenceColumn {
  /** The column's name in the table, after naming strategies and embedded prefixes (`databaseName`). */
  readonly column: string;
  /** The entity property it maps to. */
  readonly property: string;
  readonly strategy: SequenceStrategy;
  readonly primary: boolean;
}

/**
 * One table that a sequence feeds, and every entity mapped onto it (single-table inheritance maps
 * several). Like Django's `_meta`: what the ORM knows, in the database's own names.
 */
export interface EntityTable {
  /** The table's schema; null only when the driver has no schema notion. */
  readonly schema: string | null;
  readonly table: string;
  /** Entity names (class names, or the schema name of an EntitySchema), parent first. */
  readonly entities: readonly string[];
  readonly columns: readonly SequenceColumn[];
}

/** An entity left out, and why: nothing a sequence feeds, so nothing can drift (a report's `skipped`). */
export interface SkippedEntity {
  readonly entity: string;
  readonly schema: string | null;
  readonly table: string;
  readonly reason: string;
}

export interface EntityTables {
  readonly tables: readonly EntityTable[];
  readonly skipped: readonly SkippedEntity[];
}

const SEQUENCE_STRATEGIES: ReadonlySet<string> = new Set<SequenceStrategy>(['increment', 'identity']);

/**
 * Reads `dataSource.entityMetadatas` (or the metadata of the given entities) into the tables whose
 * sequences can fall behind, and the entities that cannot, each with a reason.
 *
 * @example
 * const { tables, skipped } = describeEntities(dataSource);
 * // tables[0] → { schema: 'public', table: 'author', entities: ['Author'], columns: [{ column: 'id', strategy: 'increment', … }] }
 */
export function describeEntities(dataSource: DataSource, entities?: readonly EntityTarget<ObjectLiteral>[]): EntityTables {
  const metadatas = entities === undefined ? dataSource.entityMetadatas : entities.map((target) => metadataOf(dataSource, target));
  const tables = new Map<string, { schema: string | null; table: string; entities: string[]; columns: SequenceColumn[] }>();
  const skipped: SkippedEntity[] = [];
  for (const metadata of metadatas) {
    const table = entityTableOf(metadata, defaultSchemaOf(dataSource));
    if ('reason' in table) {
      skipped.push(table);
      continue;
    }
    const key = tableKeyOf(table);
    const existing = tables.get(key);
    if (existing === undefined) {
      tables.set(key, { ...table, entities: [...table.entities], columns: [...table.columns] });
    } else {
      // Single-table inheritance: the children share the parent's table and its key column.
      for (const name of table.entities) if (!existing.entities.includes(name)) existing.entities.push(name);
      for (const column of table.columns) if (!existing.columns.some((c) => c.column === column.column)) existing.columns.push(column);
    }
  }
  return { tables: [...tables.values()], skipped };
}

/** The table one entity writes to, when a sequence feeds one of its columns; otherwise why not. */
export function entityTableOf(metadata: EntityMetadata, defaultSchema: string | null): EntityTable | SkippedEntity {
  const schema = metadata.schema ?? defaultSchema;
  const table = metadata.tableName;
  const entity = metadata.name;
  if (metadata.tableType === 'view') {
    return { entity, schema, table, reason: 'a view entity: it has no sequence of its own' };
  }
  const columns = sequenceColumnsOf(metadata);
  if (columns.length > 0) {
    return {
      schema,
      table,
      entities: [entity],
      columns: columns.map((column) => ({
        column: column.databaseName,
        property: column.propertyPath,
        strategy: column.generationStrategy as SequenceStrategy,
        primary: column.isPrimary,
      })),
    };
  }
  return { entity, schema, table, reason: whyNoSequence(metadata.primaryColumns) };
}

/** Columns filled from a sequence when the INSERT leaves them out. */
export function sequenceColumnsOf(metadata: EntityMetadata): ColumnMetadata[] {
  // `generationStrategy` is typed "uuid" | "increment" | "rowid", yet TypeORM stores "identity" there too.
  return metadata.columns.filter((column) => column.isGenerated && SEQUENCE_STRATEGIES.has(String(column.generationStrategy)));
}

/**
 * The schema TypeORM writes unqualified entities to: the DataSource's `schema` option or, once connected,
 * the server's `current_schema()` (the PostgreSQL driver fills `driver.schema` with it).
 */
export function defaultSchemaOf(dataSource: DataSource): string | null {
  return dataSource.driver.schema ?? null;
}

/** The name core's exact-name `tables` option reads: `formatTableName` quotes only what core would split. */
export function tableNameOf(table: EntityTable): string {
  return formatTableName({ schema: table.schema, name: table.table });
}

/** One key per table, for de-duplicating the tables entities map to. */
export function tableKeyOf(table: { readonly schema: string | null; readonly table: string }): string {
  return `${table.schema ?? ''}\u0000${table.table}`;
}

function whyNoSequence(primary: readonly ColumnMetadata[]): string {
  if (primary.length === 0) return 'no primary key column, and no increment or identity column';
  if (primary.length > 1) {
    const names = primary.map((c) => c.databaseName).join(', ');
    return `composite primary key (${names}) with no increment or identity column: no sequence feeds it`;
  }
  const [key] = primary;
  if (key.isGenerated && key.generationStrategy === 'uuid') {
    return `primary key ${key.databaseName} is a generated uuid: no sequence to realign`;
  }
  if (key.isGenerated && key.generationStrategy === 'rowid') {
    return `primary key ${key.databaseName} uses rowid generation (unique_rowid()), not a sequence`;
  }
  return `primary key ${key.databaseName} is assigned by the application, not generated by a sequence`;
}

function metadataOf(dataSource: DataSource, target: EntityTarget<ObjectLiteral>): EntityMetadata {
  if (!dataSource.hasMetadata(target)) {
    throw new SeqsyncError('INVALID_OPTION',
      `unknown entity ${JSON.stringify(targetName(target))}: it is not among this DataSource's entities`);
  }
  return dataSource.getMetadata(target);
}

function targetName(target: EntityTarget<ObjectLiteral>): string {
  if (typeof target === 'function') return target.name;
  if (typeof target === 'string') return target;
  // An EntitySchema carries its name in `options`; `{ type, name }` targets carry it directly.
  const named = target as { name?: unknown; options?: { name?: unknown } };
  return String(named.options?.name ?? named.name ?? 'entity');
}

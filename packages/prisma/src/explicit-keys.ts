import type { PrismaModelMetadata } from './prisma-metadata';

/** The write operations after which a sequence can be behind its data. */
export const WATCHED_OPERATIONS = ['create', 'createMany', 'createManyAndReturn', 'upsert'] as const;
export type WatchedOperation = (typeof WATCHED_OPERATIONS)[number];

/**
 * The models whose sequence-fed fields this call gives explicit values — the only tables the call can
 * put behind. Pure and cheap, so an ordinary insert (no explicit id) costs nothing but this walk.
 * Follows nested writes (`create`, `createMany`, `connectOrCreate`, `upsert` under relation fields),
 * because `user.create({ data: { posts: { create: { id: 7 } } } })` puts `Post`'s sequence behind.
 */
export function modelsGivenExplicitKeys(
  models: ReadonlyMap<string, PrismaModelMetadata>,
  model: string,
  operation: string,
  args: unknown,
): Set<string> {
  const found = new Set<string>();
  visitCreates(models, model, operation, args, (meta, row) => {
    if (meta.realign && meta.sequencedFields.some((f) => given(row, f.field))) found.add(meta.model);
  });
  return found;
}

/**
 * The models this call creates rows of whose primary key is one sequence-fed field that no created row of the model
 * gives a value: the only ones a duplicate key of the call can be healed on. A model one row gives its key is left
 * out altogether, even if other rows leave it to the sequence — the duplicate may be that row's, a real one.
 */
export function modelsCreatedWithoutKeys(
  models: ReadonlyMap<string, PrismaModelMetadata>,
  model: string,
  operation: string,
  args: unknown,
): Set<string> {
  const created = new Set<string>();
  const keyed = new Set<string>();
  visitCreates(models, model, operation, args, (meta, row) => {
    const [key, ...more] = meta.primaryKey;
    if (key === undefined || more.length > 0 || !meta.sequencedFields.some((f) => f.field === key.field)) return;
    (given(row, key.field) ? keyed : created).add(meta.model);
  });
  return new Set([...created].filter((name) => !keyed.has(name)));
}

type CreateVisitor = (meta: PrismaModelMetadata, row: Record<string, unknown>) => void;

/** Every row the call creates, top-level and nested, with its model's metadata. */
function visitCreates(
  models: ReadonlyMap<string, PrismaModelMetadata>, model: string, operation: string, args: unknown, visit: CreateVisitor,
): void {
  const input = (args ?? {}) as { data?: unknown; create?: unknown };
  if (operation === 'upsert') visitCreate(models, model, input.create, visit);
  else if (operation === 'create' || operation === 'createMany' || operation === 'createManyAndReturn') {
    for (const row of asList(input.data)) visitCreate(models, model, row, visit);
  }
}

function given(row: Record<string, unknown>, field: string): boolean {
  return row[field] !== undefined && row[field] !== null;
}

function visitCreate(models: ReadonlyMap<string, PrismaModelMetadata>, model: string, data: unknown, visit: CreateVisitor): void {
  if (data === null || typeof data !== 'object') return;
  const row = data as Record<string, unknown>;
  const meta = models.get(model);
  if (meta === undefined) return;
  visit(meta, row);
  for (const relation of meta.relations) {
    const nested = row[relation.field];
    if (nested === null || typeof nested !== 'object') continue;
    const writes = nested as { create?: unknown; createMany?: { data?: unknown }; connectOrCreate?: unknown; upsert?: unknown };
    for (const child of asList(writes.create)) visitCreate(models, relation.model, child, visit);
    for (const child of asList(writes.createMany?.data)) visitCreate(models, relation.model, child, visit);
    for (const item of [...asList(writes.connectOrCreate), ...asList(writes.upsert)]) {
      visitCreate(models, relation.model, (item as { create?: unknown } | null)?.create, visit);
    }
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

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
  const input = (args ?? {}) as { data?: unknown; create?: unknown };
  if (operation === 'upsert') visitCreate(models, model, input.create, found);
  else if (operation === 'create' || operation === 'createMany' || operation === 'createManyAndReturn') {
    for (const row of asList(input.data)) visitCreate(models, model, row, found);
  }
  return found;
}

function visitCreate(models: ReadonlyMap<string, PrismaModelMetadata>, model: string, data: unknown, found: Set<string>): void {
  if (data === null || typeof data !== 'object') return;
  const row = data as Record<string, unknown>;
  const meta = models.get(model);
  if (meta === undefined) return;
  if (meta.realign && meta.sequencedFields.some((f) => row[f.field] !== undefined && row[f.field] !== null)) found.add(model);
  for (const relation of meta.relations) {
    const nested = row[relation.field];
    if (nested === null || typeof nested !== 'object') continue;
    const writes = nested as { create?: unknown; createMany?: { data?: unknown }; connectOrCreate?: unknown; upsert?: unknown };
    for (const child of asList(writes.create)) visitCreate(models, relation.model, child, found);
    for (const child of asList(writes.createMany?.data)) visitCreate(models, relation.model, child, found);
    for (const item of [...asList(writes.connectOrCreate), ...asList(writes.upsert)]) {
      visitCreate(models, relation.model, (item as { create?: unknown } | null)?.create, found);
    }
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

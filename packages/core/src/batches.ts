/** What batching needs to know about a counter: which tables it reads and what locking them costs. */
export interface Batchable {
  readonly tables: readonly string[];
  /** Lock-table entries the counter and its tables take. */
  readonly weight: number;
  /**
   * Its read under the lock is slow (a MAX without an index scans the table): its group gets a batch of its own,
   * so the writers of other tables do not wait for that scan.
   */
  readonly alone?: boolean;
}

/**
 * Packs counters into batches of at most `budget` weight (and `maxTables` tables), never splitting
 * counters that share a table — each batch must see every table feeding its counters under one lock.
 * One batch is one transaction: a database's lock table bounds how many relations one transaction may
 * hold, and PostgreSQL answers "out of shared memory" past it (measured: ~3,000 tables at defaults).
 */
export function packBatches<T extends Batchable>(items: readonly T[], budget: number, maxTables = Infinity): T[][] {
  const groups = connectedGroups(items);
  const batches: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  let tables = 0;
  for (const group of groups.filter((members) => !members.some((item) => item.alone === true))) {
    const groupWeight = group.reduce((sum, item) => sum + item.weight, 0);
    const groupTables = new Set(group.flatMap((item) => item.tables)).size;
    if (current.length > 0 && (weight + groupWeight > budget || tables + groupTables > maxTables)) {
      batches.push(current);
      current = [];
      weight = 0;
      tables = 0;
    }
    current.push(...group);
    weight += groupWeight;
    tables += groupTables;
  }
  if (current.length > 0) batches.push(current);
  batches.push(...groups.filter((members) => members.some((item) => item.alone === true)));
  return batches;
}

/** Counters linked through a shared table, in input order (union–find over table names). */
function connectedGroups<T extends Batchable>(items: readonly T[]): T[][] {
  const parent = items.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
    return index;
  };
  const ownerOfTable = new Map<string, number>();
  items.forEach((item, index) => {
    for (const table of item.tables) {
      const owner = ownerOfTable.get(table);
      if (owner === undefined) ownerOfTable.set(table, index);
      else parent[find(index)] = find(owner);
    }
  });
  const groups = new Map<number, T[]>();
  items.forEach((item, index) => {
    const root = find(index);
    const group = groups.get(root) ?? [];
    group.push(item);
    groups.set(root, group);
  });
  return [...groups.values()];
}

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
  const apart: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  let tables = 0;
  for (const members of groups) {
    const group = members.map((index) => items[index]);
    if (group.some((item) => item.alone === true)) {
      apart.push(group);
      continue;
    }
    const groupWeight = group.reduce((sum, item) => sum + item.weight, 0);
    const groupTables = tableCount(group);
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
  batches.push(...apart);
  return batches;
}

/** Distinct tables of a group; most groups are one counter feeding one table, which needs no set to count. */
function tableCount(group: readonly Batchable[]): number {
  if (group.length === 1 && group[0].tables.length <= 1) return group[0].tables.length;
  return new Set(group.flatMap((item) => item.tables)).size;
}

/**
 * Counters linked through a shared table, as lists of their indexes, in input order (union–find over table names).
 * At 100,000 counters this runs while the catalog's rows are still fresh garbage: it allocates one small list per
 * group and little else.
 */
function connectedGroups(items: readonly Batchable[]): number[][] {
  const parent = Int32Array.from(items, (_, index) => index);
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
  ownerOfTable.clear();
  // Each root's group, created when its first member is met: groups in the order of their first members.
  const groupOfRoot = new Int32Array(items.length).fill(-1);
  const groups: number[][] = [];
  items.forEach((_, index) => {
    const root = find(index);
    if (groupOfRoot[root] >= 0) groups[groupOfRoot[root]].push(index);
    else {
      groupOfRoot[root] = groups.length;
      groups.push([index]);
    }
  });
  return groups;
}

import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { HealOptions } from '@seqsync/core';
import { SeqsyncError, SequenceHealer } from '@seqsync/core';
import { defaultSchemaOf, entityTableOf, sequenceColumnsOf, tableNameOf } from './typeorm-metadata';
import { dialectOfDataSource, queryableFor } from './typeorm-connection';

/** Options of {@link healOnDuplicateKey}: core's heal options (`lockTimeoutMs`, default 2000 ms, and `onHeal`). */
export type HealOnDuplicateKeyOptions = HealOptions;

const WRAPPED = Symbol.for('seqsync.typeorm.heal');

/** `save` and `insert` as the wrapper calls them: overloads of TypeORM's, whose arguments it only passes on. */
type Call = (this: EntityManager, ...args: unknown[]) => Promise<unknown>;

/**
 * Opt-in self-heal for `save()` and `insert()` through the DataSource's own EntityManager — `dataSource.manager` and
 * every `dataSource.getRepository(Entity)`, which call it: when a new row whose sequence-fed primary key is left to the
 * sequence fails with 23505 (PostgreSQL) or 1062 (a MariaDB SEQUENCE key) on that key, seqsync realigns the entity's
 * table (advance mode, a 2 s lock wait) through the DataSource and runs the save or insert once more; concurrent
 * failures of one table share one realign. TypeORM's `save()` runs in a transaction of its own, rolled back by the
 * failure, so the retry redoes all of it. Returns the same DataSource.
 *
 * Not healed: rows that give the key a value (a real duplicate, or an update), another unique constraint, a composite
 * or unsequenced key, `save(…, { transaction: false })` (its INSERTs commit one by one, so a retry could insert twice),
 * query builders (`createQueryBuilder().insert()`), raw SQL, and anything inside
 * `dataSource.transaction()` or a QueryRunner's transaction — their EntityManager is another, and the failure aborted
 * their transaction: a retry of one statement could not be right there. A safety net, not a substitute for realigning
 * where the explicit ids were inserted (`realignSequencesMigration`, the subscriber).
 *
 * @example
 * const dataSource = healOnDuplicateKey(await new DataSource(options).initialize(), { onHeal: (r, c) => log.warn(c) });
 * await dataSource.getRepository(User).save({ name: 'Ada' }); // a behind user_id_seq is realigned, the save retried
 */
export function healOnDuplicateKey(dataSource: DataSource, options: HealOnDuplicateKeyOptions = {}): DataSource {
  const dialect = dialectOfDataSource(dataSource);
  const manager = dataSource.manager as EntityManager & { [WRAPPED]?: true };
  if (manager[WRAPPED] === true) throw new SeqsyncError('INVALID_OPTION', 'healOnDuplicateKey was already applied to this DataSource');
  const healer = new SequenceHealer(options);
  const database = queryableFor(dataSource, dialect);
  const healed = <T>(target: unknown, rows: unknown, operation: string, run: () => Promise<T>): Promise<T> => {
    const plan = healPlan(dataSource, target, rows);
    return plan === null ? run() : healer.run(run, { database, tables: [plan.table], operation, model: plan.entity });
  };
  const save = manager.save as unknown as Call;
  const insert = manager.insert as unknown as Call;
  // Own properties of this one manager: a transaction's EntityManager is another object and keeps TypeORM's methods.
  const healingSave: Call = function healingSave(...args) {
    const [first, second] = args;
    // TypeORM's own reading of save()'s arguments (EntityManager.save): a target first only when more follow.
    const named = args.length > 1 && (typeof first === 'function' || typeof first === 'string' || isEntitySchema(first));
    // Without its transaction a save commits each INSERT as it goes: a retry would insert again the rows before the failure.
    const saveOptions = args[named ? 2 : 1] as { transaction?: unknown } | null | undefined;
    if (saveOptions?.transaction === false) return save.apply(this, args);
    return healed(named ? first : constructorOf(first), named ? second : first, 'save', () => save.apply(this, args));
  };
  const healingInsert: Call = function healingInsert(...args) {
    return healed(args[0], args[1], 'insert', () => insert.apply(this, args));
  };
  manager.save = healingSave as unknown as EntityManager['save'];
  manager.insert = healingInsert as unknown as EntityManager['insert'];
  Object.defineProperty(manager, WRAPPED, { value: true });
  return dataSource;
}

/**
 * The table a save or insert may be healed on: the entity's, when its primary key is one column a sequence feeds
 * (increment or identity) and no row gives that column a value — read before the call, as the application wrote it.
 */
function healPlan(dataSource: DataSource, target: unknown, rows: unknown): { table: string; entity: string } | null {
  if (target === undefined || target === null || !dataSource.hasMetadata(target as EntityTarget<ObjectLiteral>)) return null;
  const metadata = dataSource.getMetadata(target as EntityTarget<ObjectLiteral>);
  const [key, ...more] = metadata.primaryColumns;
  if (key === undefined || more.length > 0 || !sequenceColumnsOf(metadata).includes(key)) return null;
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0 || list.some((row) => row === null || typeof row !== 'object')) return null;
  const given = (row: unknown) => {
    const value: unknown = key.getEntityValue(row as ObjectLiteral);
    return value !== undefined && value !== null;
  };
  if (list.some(given)) return null;
  const table = entityTableOf(metadata, defaultSchemaOf(dataSource));
  return 'reason' in table ? null : { table: tableNameOf(table), entity: metadata.name };
}

/** `save(entity)` without a target: TypeORM takes the entity's class (of the first one, for a list). */
function constructorOf(rows: unknown): unknown {
  const first: unknown = Array.isArray(rows) ? rows[0] : rows;
  if (first === null || typeof first !== 'object') return undefined;
  const type = (first as object).constructor;
  return type === Object ? undefined : type;
}

/** TypeORM's own test (InstanceChecker): an EntitySchema carries `@instanceof` = Symbol.for('EntitySchema'). */
function isEntitySchema(value: unknown): boolean {
  return value !== null && typeof value === 'object'
    && (value as { '@instanceof'?: unknown })['@instanceof'] === Symbol.for('EntitySchema');
}

import type { Table } from 'drizzle-orm';
import type { HealOptions } from '@seqsync/core';
import type { DrizzleDatabase, DrizzleTarget } from './drizzle-connection';
import { SeqsyncError, SequenceHealer } from '@seqsync/core';
import { drizzleTargetOf } from './drizzle-connection';
import { describeTables, tableNameOf } from './drizzle-metadata';

/** Options of {@link healOnDuplicateKey}: core's heal options (`lockTimeoutMs`, default 2000 ms, and `onHeal`). */
export type HealOnDuplicateKeyOptions = HealOptions;

/**
 * What the wrapper reads of drizzle-orm 0.45's insert builders: `db.insert(table)` makes a builder whose
 * `values(rows)` makes the query, a QueryPromise whose `then` runs `this.execute()` — an instance field of
 * PgInsertBase and MySqlInsertBase, so it can be replaced on the one query; `returning()` and `onConflict…()` return
 * that same query.
 */
interface InsertQueryLike {
  execute: (...args: unknown[]) => Promise<unknown>;
}
interface InsertBuilderLike {
  values: (rows: unknown) => InsertQueryLike;
}
interface Insertable {
  insert: (table: Table) => InsertBuilderLike;
}

const WRAPPED = Symbol.for('seqsync.drizzle.heal');

/**
 * Opt-in self-heal for `db.insert(table).values(rows)` on this db: when rows that leave the table's sequence-fed key to
 * the counter fail with 23505 (PostgreSQL) or 1062 (a MariaDB SEQUENCE key) on that key, seqsync realigns the table
 * (advance mode, a 2 s lock wait) on the db's own connection and runs the insert once more; concurrent failures of one
 * table share one realign. Returns the same db.
 *
 * Not healed: rows that give the key a value, another unique constraint, `db.execute(sql…)`, and anything inside
 * `db.transaction()` (another object, whose transaction the failure aborted). A safety net, not a substitute for
 * `realignAfterMigration` / `realignAfterSeed` where the explicit ids were inserted.
 *
 * @example
 * const db = healOnDuplicateKey(drizzle(pool, { schema }), { onHeal: (report, cause) => log.warn(cause) });
 * await db.insert(users).values({ name: 'Ada' }).returning(); // a behind users_id_seq is realigned, the insert retried
 */
export function healOnDuplicateKey<Db extends DrizzleDatabase>(db: Db, options: HealOnDuplicateKeyOptions = {}): Db {
  const target = drizzleTargetOf(db);
  if (target.inTransaction) {
    throw new SeqsyncError('INVALID_OPTION', 'healOnDuplicateKey takes the db, not a transaction: a failed insert aborts the '
      + 'transaction it ran in, so it cannot be retried alone');
  }
  const insertable = db as unknown as Insertable & { [WRAPPED]?: true };
  if (insertable[WRAPPED] === true) throw new SeqsyncError('INVALID_OPTION', 'healOnDuplicateKey was already applied to this db');
  const healer = new SequenceHealer(options);
  const insert = insertable.insert;
  insertable.insert = function healingInsert(this: unknown, table: Table): InsertBuilderLike {
    const builder = insert.call(this, table);
    const values = builder.values;
    builder.values = function healingValues(this: unknown, rows: unknown): InsertQueryLike {
      const query = values.call(this, rows);
      const healed = tableToHeal(target, table, rows);
      if (healed === null) return query;
      const execute = query.execute;
      query.execute = (...args) => healer.run(() => execute.apply(query, args),
        { database: target.client as object, tables: [healed], operation: `insert into ${healed}` });
      return query;
    };
    return builder;
  };
  Object.defineProperty(insertable, WRAPPED, { value: true });
  return db;
}

/** The table's name for core when its key is fed by a counter and no row gives it a value; else null. */
function tableToHeal(target: DrizzleTarget, table: Table, rows: unknown): string | null {
  const [described] = describeTables({ table }, target.columnNamer, target.dialect).tables;
  const keys = described?.columns.filter((column) => column.primary && column.strategy !== 'rowid') ?? [];
  if (keys.length !== 1) return null;
  const list = Array.isArray(rows) ? rows : [rows];
  const given = (row: unknown) => row === null || typeof row !== 'object'
    || ((row as Record<string, unknown>)[keys[0].property] ?? null) !== null;
  return list.length === 0 || list.some(given) ? null : tableNameOf(described);
}

import type { Knex } from 'knex';
import type { HealOptions } from '@seqsync/core';
import { SeqsyncError, SequenceHealer, formatTableName, parseTableName } from '@seqsync/core';
import { knexOf } from './knex-connection';

/** Options of {@link healOnDuplicateKey}: core's heal options (`lockTimeoutMs`, default 2000 ms, and `onHeal`). */
export type HealOnDuplicateKeyOptions = HealOptions;

/**
 * The parts of knex's query execution the wrapper reads, as knex 2 and 3 have them: `client.runner(builder)` makes
 * the Runner that runs a builder's statements on one leased `connection`, one `runner.query(statement)` each; the
 * builder keeps its table and rows in `_single` (`_method` is `insert`). Internal to knex, but the one place where a
 * statement can be run again on the connection it failed on.
 */
interface RunnerLike {
  connection: unknown;
  query(statement: unknown): Promise<unknown>;
}
interface BuilderLike {
  readonly _method?: unknown;
  readonly _single?: { readonly table?: unknown; readonly schema?: unknown; readonly insert?: unknown };
}
interface RunnerFactory {
  runner(builder: unknown): RunnerLike;
}

const WRAPPED = Symbol.for('seqsync.knex.heal');

/**
 * Opt-in self-heal for `knex(table).insert(rows)` on the knex instance: when an insert whose rows give the key no value
 * fails on the table's primary key because its sequence fell behind (23505 on PostgreSQL, 1062 on a MariaDB SEQUENCE
 * key), seqsync realigns that one table (advance mode, a 2 s lock wait) on the connection the insert failed on, and
 * runs the insert once more; concurrent failures of one table share one realign. Returns the same instance.
 *
 * Not healed: an insert whose rows give the key a value (a real duplicate), another unique constraint, a raw
 * statement (`knex.raw`), an insert into an aliased or raw table, and anything inside `knex.transaction()` — the
 * failure aborted that transaction, so a retry of the one statement cannot be right: realign and retry it yourself.
 * A safety net: realign in the migration or seed that inserted the explicit ids (`realignSequencesMigration`,
 * `realignAfterSeed`), so that no insert fails first.
 *
 * @example
 * const db = healOnDuplicateKey(knex(config), { onHeal: (report, cause) => log.warn(cause, report.sequences) });
 * await db('users').insert({ name: 'Ada' }).returning('id'); // a behind users_id_seq is realigned, the insert retried
 */
export function healOnDuplicateKey(knex: Knex, options: HealOnDuplicateKeyOptions = {}): Knex {
  const target = knexOf(knex);
  if (target.isTransaction === true) {
    throw new SeqsyncError('INVALID_OPTION', 'healOnDuplicateKey takes the knex instance, not a transaction: a failed insert aborts '
      + 'the transaction it ran in, so it cannot be retried alone');
  }
  const client = target.client as unknown as RunnerFactory & { [WRAPPED]?: true };
  if (client[WRAPPED] === true) throw new SeqsyncError('INVALID_OPTION', 'healOnDuplicateKey was already applied to this knex instance');
  const healer = new SequenceHealer(options);
  const makeRunner = client.runner;
  // An own property of this instance's client: a transaction's client is made from the class's prototype (knex's
  // makeTxClient), so queries inside knex.transaction() keep the plain runner.
  client.runner = function runner(this: unknown, builder: unknown): RunnerLike {
    const made = makeRunner.call(this, builder);
    const insert = insertOf(builder as BuilderLike);
    if (insert === null) return made;
    const query = made.query;
    made.query = (statement) => healer.run(() => query.call(made, statement), {
      database: made.connection as object,
      tables: [insert.table],
      operation: `insert into ${insert.table}`,
      suppliedKey: (column) => insert.rows.some((row) => row[column] !== undefined && row[column] !== null),
    });
    return made;
  };
  Object.defineProperty(client, WRAPPED, { value: true });
  return knex;
}

/** The table and rows of an insert builder; null for anything else, and for what it cannot tell (raw rows or tables). */
function insertOf(builder: BuilderLike): { table: string; rows: Record<string, unknown>[] } | null {
  const single = builder?._single;
  if (builder?._method !== 'insert' || single === undefined || typeof single.table !== 'string') return null;
  // `users as u` and `users.*` are knex syntax, not a table name core could look up.
  if (/\s|\*/.test(single.table)) return null;
  const rows = Array.isArray(single.insert) ? single.insert : [single.insert];
  if (!rows.every((row) => row !== null && typeof row === 'object' && Object.getPrototypeOf(row) === Object.prototype)) return null;
  const schema = typeof single.schema === 'string' ? single.schema : null;
  try {
    // knex reads `billing.invoices` as schema and table, as core does.
    const table = schema === null ? single.table : formatTableName({ schema, name: parseTableName(single.table).name });
    return { table: formatTableName(parseTableName(table)), rows: rows as Record<string, unknown>[] };
  } catch {
    // A name core cannot read (an unterminated quote) is no table it could heal; the insert runs as knex has it.
    return null;
  }
}

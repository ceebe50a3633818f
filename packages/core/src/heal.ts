import type { Database } from './connect';
import type { Report, TableName } from './types';
import type { SequenceKeyViolation } from './sequence-key';
import { check, realign } from './engine';
import { duplicateKeyIn, sequenceKeyOf } from './sequence-key';
import { parseTableName, tableKey } from './table-names';

/** A heal's lock wait: short, because the insert that failed — and every one failing beside it — waits on it. */
export const DEFAULT_HEAL_LOCK_TIMEOUT_MS = 2_000;

export interface HealOptions {
  /** How long a heal's realign waits for its table's lock; on timeout the insert fails with its own error. Default 2000 ms. */
  readonly lockTimeoutMs?: number;
  /**
   * Called every time a heal realigns a table, with the realign's report and what caused it (log it: the cause is
   * upstream). An error it throws is ignored: the realign is done, and the insert runs again all the same.
   */
  readonly onHeal?: (report: Report, cause: HealCause) => void;
}

/** What made a heal run. */
export interface HealCause {
  /** The table realigned, schema-qualified as core's `tables` takes it. */
  readonly table: TableName;
  /** The operation that failed, as its ORM names it (`create`, `insert into users`). */
  readonly operation: string;
  /** The ORM's model or entity whose insert failed, where it has one. */
  readonly model?: string;
}

/** One operation, as {@link SequenceHealer.run} runs it. */
export interface HealContext {
  /** The connection the heal reads and realigns on: the ORM's own pool, or the failed query's own connection. */
  readonly database: Database;
  /** The tables the operation inserts into without giving their key a value: only their primary keys are healed. */
  readonly tables: readonly TableName[];
  /** How {@link HealCause} names the operation, and its model or entity. */
  readonly operation: string;
  readonly model?: string;
  /**
   * The driver's error inside an ORM's own, when no `cause` leads to it (Prisma's P2002 keeps the driver's code and
   * constraint in `meta`). Only read: the error thrown is always the operation's own.
   */
  readonly driverErrorOf?: (error: unknown) => unknown;
  /**
   * False inside a transaction (the failed insert aborted it on PostgreSQL; retrying the one statement would not
   * redo the others): nothing is realigned or retried, and the error carries what would fix it. Default true.
   */
  readonly retry?: boolean;
  /**
   * Whether the operation gave the key `column` a value after all, for callers that learn the key's column only from
   * the catalog (knex has no models): a duplicate of a value the application chose is a real one, never healed.
   */
  readonly suppliedKey?: (column: string) => boolean;
}

/** What a heal did about one failed operation, on the error it throws as `seqsyncHeal` (see {@link healAttemptOf}). */
export interface HealAttempt {
  readonly table: TableName;
  readonly column: string;
  readonly constraint: string;
  /**
   * `realigned`: this operation's heal realigned the table (`report`). `joined`: a heal of the table that another
   * operation ran — still running, or finished after this one started — was waited for instead (`report` is its).
   * `not-retried`: inside a transaction; nothing was written, `report` is a `check` of the table saying what realign
   * would do. `failed`: the realign failed (`error`), so nothing was retried.
   */
  readonly outcome: 'realigned' | 'joined' | 'not-retried' | 'failed';
  readonly report: Report | null;
  /** True when the operation ran a second time (and, with the error thrown, failed again: `error`). */
  readonly retried: boolean;
  /** The retry's error, or the realign's. */
  readonly error?: unknown;
  /** One sentence on what happened and what would fix it. */
  readonly note: string;
}

/**
 * Runs operations so that an insert failing on a primary key its sequence fell behind (a restore, an import, a script
 * with explicit ids) realigns that one table (advance mode only) and runs once more. Keep one healer per database:
 * it is where concurrent failures meet. An operation notes the heal generation when it starts; failing, it waits for a
 * heal of its table already running, or retries at once if one finished after it started — so 20 inserts failing
 * together cost one realign, not 20. Healed only while the key's sequence is behind, or its table was healed since the
 * operation started (read for each failure).
 *
 * Never healed: an error that is not a duplicate key, another unique constraint, a composite or unsequenced key, a key
 * the operation gave a value; and never more than once per operation. A failed retry throws the ORIGINAL error, with
 * the attempt as `error.seqsyncHeal`.
 *
 * @example
 * const healer = new SequenceHealer({ onHeal: (report, cause) => log.warn({ cause, report }) });
 * await healer.run(() => pool.query('INSERT INTO users (name) VALUES ($1)', ['Ada']),
 *   { database: pool, tables: ['users'], operation: 'insert into users' });
 */
export class SequenceHealer {
  /** Heals finished, ever: the generation an operation notes when it starts. */
  private generation = 0;
  private readonly healedAt = new Map<string, { generation: number; report: Report }>();
  private readonly running = new Map<string, Promise<Report>>();

  constructor(private readonly options: HealOptions = {}) {}

  async run<T>(operation: () => Promise<T>, context: HealContext): Promise<T> {
    const startedAt = this.generation;
    try {
      return await operation();
    } catch (error) {
      // A failed catalog read leaves the operation's own error to speak: it is what the caller can act on.
      const key = await this.keyOf(error, context, startedAt).catch(() => null);
      if (key === null || context.suppliedKey?.(key.column) === true) throw error;
      const base = { table: key.tableName, column: key.column, constraint: key.constraint };
      if (context.retry === false) throw await this.diagnosed(error, key, context);
      let healed: { report: Report; joined: boolean };
      try {
        healed = await this.healOnce(key, startedAt, context);
      } catch (healError) {
        throw withAttempt(error, { ...base, outcome: 'failed', report: null, retried: false, error: healError,
          note: `realigning ${key.tableName} failed, so the operation was not retried: run realign on it` });
      }
      const attempt = { ...base, outcome: healed.joined ? 'joined' : 'realigned', report: healed.report } as const;
      try {
        return await operation();
      } catch (retryError) {
        throw withAttempt(error, { ...attempt, retried: true, error: retryError,
          note: `${key.tableName} was realigned and the operation ran once more, which failed too (error.seqsyncHeal.error)` });
      }
    }
  }

  /** Concurrent failures of one table meet here: one realign runs, the others wait for it or see it finished. */
  private healOnce(key: SequenceKeyViolation, startedAt: number, context: HealContext): Promise<{ report: Report; joined: boolean }> {
    const id = tableKey(key.schema, key.table);
    const inFlight = this.running.get(id);
    if (inFlight !== undefined) return inFlight.then((report) => ({ report, joined: true }));
    const last = this.healedAt.get(id);
    if (last !== undefined && last.generation > startedAt) return Promise.resolve({ report: last.report, joined: true });
    const lockTimeoutMs = this.options.lockTimeoutMs ?? DEFAULT_HEAL_LOCK_TIMEOUT_MS;
    const heal = realign(context.database, { tables: [key.tableName], mode: 'advance', lockTimeoutMs }).then((report) => {
      this.generation += 1;
      this.healedAt.set(id, { generation: this.generation, report });
      return report;
    }).finally(() => this.running.delete(id));
    this.running.set(id, heal);
    return heal.then((report) => {
      const model = context.model === undefined ? {} : { model: context.model };
      try {
        this.options.onHeal?.(report, { table: key.tableName, operation: context.operation, ...model });
      } catch {
        // The realign is done: a failing log must not turn into "realigning failed" and leave the insert unretried.
      }
      return { report, joined: false };
    });
  }

  /**
   * The key the error names, if a sequence behind its data now (or that may be) caused it, or a heal of its table since
   * the operation started: a trigger's insert into another table (MySQL/MariaDB's 1062 names only PRIMARY) or a key a
   * BEFORE trigger chose is a real duplicate, never healed. Read afresh for each failure, never remembered: the answer
   * changes with the data, with a DROP and CREATE, and (MySQL) with the connection's DATABASE().
   */
  private async keyOf(error: unknown, context: HealContext, startedAt: number): Promise<SequenceKeyViolation | null> {
    const reported = await duplicateKeyIn(context.database, context.driverErrorOf?.(error) ?? error);
    if (reported === null) return null;
    const key = await sequenceKeyOf(context.database, reported, context.tables.map(parseTableName));
    // `would_advance` without `behind`: a MariaDB sequence with CACHE, whose next value check cannot know.
    const behind = key?.sequence.behind === true || key?.sequence.action === 'would_advance';
    return key !== null && (behind || this.healedSince(key, startedAt)) ? key : null;
  }

  /** Whether a heal of the key's table is running, or finished after the operation started. */
  private healedSince(key: SequenceKeyViolation, startedAt: number): boolean {
    const id = tableKey(key.schema, key.table);
    return this.running.has(id) || (this.healedAt.get(id)?.generation ?? -1) > startedAt;
  }

  /** Inside a transaction: what realign would do, read now on the healer's connection (outside the transaction). */
  private async diagnosed(error: unknown, key: SequenceKeyViolation, context: HealContext): Promise<unknown> {
    const report = await check(context.database, { tables: [key.tableName] }).catch(() => null);
    const sequence = report?.sequences.find((s) => s.sequence === key.sequence.sequence && s.schema === key.sequence.schema);
    const state = sequence === undefined ? '' : sequence.behind
      ? `; its sequence is behind (the next value would go from ${sequence.nextValueBefore} to ${sequence.nextValueAfter})`
      : '; its sequence is no longer behind';
    return withAttempt(error, {
      table: key.tableName, column: key.column, constraint: key.constraint, outcome: 'not-retried', report, retried: false,
      note: `the insert failed inside a transaction, which the failure aborted: nothing was realigned or retried${state}. `
        + `Realign ${key.tableName} and run the transaction again`,
    });
  }
}

/** The attempt a heal attached to the error it threw, if any. */
export function healAttemptOf(error: unknown): HealAttempt | undefined {
  return error !== null && typeof error === 'object' ? (error as { seqsyncHeal?: HealAttempt }).seqsyncHeal : undefined;
}

/**
 * The original error, with the attempt: the caller's error handling (Prisma's P2002, TypeORM's QueryFailedError) sees
 * exactly the error it knows. Not enumerable, so logging and deep equality see the error as the driver made it.
 */
function withAttempt(error: unknown, attempt: HealAttempt): unknown {
  if (error !== null && typeof error === 'object') {
    Object.defineProperty(error, 'seqsyncHeal', { value: attempt, enumerable: false, writable: true, configurable: true });
  }
  return error;
}

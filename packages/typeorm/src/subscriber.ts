import type {
  EntityMetadata, EntitySubscriberInterface, InsertEvent, ObjectLiteral, QueryRunner,
  TransactionCommitEvent, TransactionRollbackEvent,
} from 'typeorm';
import type { Options } from '@seqsync/core';
import type { ColumnMetadata, EntityTable } from './typeorm-metadata';
import type { SequencesReport } from './realign-sequences';
import { EventSubscriber } from 'typeorm';
import { defaultSchemaOf, entityTableOf, sequenceColumnsOf, tableKeyOf } from './typeorm-metadata';
import { ExplicitKeyTracker } from './explicit-keys';
import { realignTables } from './realign-sequences';
import { dataSourceOfOwner, dialectOfDataSource, fromQueryRunner } from './typeorm-connection';

export interface RealignSequencesSubscriberOptions {
  /** How long each realign waits for its table locks. Default: core's 5000 ms. */
  readonly lockTimeoutMs?: number;
  /** Called after every realign the subscriber runs, with its report (logging, metrics). */
  readonly onReport?: (report: SequencesReport) => void;
  /**
   * Called instead of throwing when a realign fails. Default: the error propagates, so the
   * `save()` / `commitTransaction()` that triggered it rejects — after a commit, the data is committed.
   */
  readonly onError?: (error: unknown, tables: readonly EntityTable[]) => void;
}

/** What the subscriber needs per entity, worked out once per metadata. */
interface Watched {
  readonly table: EntityTable;
  readonly columns: readonly ColumnMetadata[];
}

type Touched = Map<string, EntityTable>;

/**
 * Realigns the sequences of tables that received rows with explicit keys, once per transaction:
 * `afterInsert` only notes the table; the realign runs on `afterTransactionCommit` of the outermost
 * transaction, for every table noted, in one core run (one LOCK, one setval statement). Inserts
 * outside any transaction (`.execute()` of a query builder, `save(…, { transaction: false })`) are
 * realigned once per statement, before the statement's promise resolves.
 *
 * Register the class: `new DataSource({ …, subscribers: [RealignSequencesSubscriber] })`; for options
 * use {@link realignSequencesSubscriber}.
 *
 * Not seen (TypeORM broadcasts nothing for them): raw SQL (`query('INSERT …')`), `insert().valuesFromSelect()`,
 * `.callListeners(false)`, and transactions ended with raw `COMMIT`. Run `realignSequences` after those.
 */
export class RealignSequencesSubscriber implements EntitySubscriberInterface<ObjectLiteral> {
  private readonly tracker = new ExplicitKeyTracker();
  private readonly watched = new WeakMap<EntityMetadata, Watched | null>();
  /** Tables touched inside a still-open transaction, per connection. */
  private readonly inTransaction = new WeakMap<QueryRunner, Touched>();
  /** Tables touched by the statement now finishing outside a transaction, and its one realign. */
  private readonly outsideTransaction = new WeakMap<QueryRunner, { tables: Touched; done: Promise<void> }>();

  constructor(private readonly options: RealignSequencesSubscriberOptions = {}) {}

  beforeInsert(event: InsertEvent<ObjectLiteral>): void {
    const watched = this.watch(event);
    if (watched !== null) this.tracker.remember(event.entity, watched.columns);
  }

  afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> | void {
    const watched = this.watch(event);
    if (watched === null || !this.tracker.carriedExplicitValue(event.entity, watched.columns)) return undefined;
    const queryRunner = event.queryRunner;
    if (queryRunner.isTransactionActive) {
      const touched = this.inTransaction.get(queryRunner) ?? new Map<string, EntityTable>();
      touched.set(tableKeyOf(watched.table), watched.table);
      this.inTransaction.set(queryRunner, touched);
      return undefined;
    }
    return this.realignAfterStatement(queryRunner, watched.table);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const queryRunner = event.queryRunner;
    // A released savepoint is not the end: the outer transaction can still roll back.
    if (queryRunner.isTransactionActive) return;
    const touched = this.inTransaction.get(queryRunner);
    if (touched === undefined) return;
    this.inTransaction.delete(queryRunner);
    await this.realign(queryRunner, [...touched.values()]);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // After a rollback to a savepoint, tables noted earlier in the transaction may still hold explicit
    // keys; keeping them all costs at most a realign that moves nothing.
    if (!event.queryRunner.isTransactionActive) this.inTransaction.delete(event.queryRunner);
  }

  /**
   * TypeORM broadcasts `afterInsert` for every row of a statement synchronously, then awaits all
   * returned promises; starting the realign a microtask later lets it cover every row and table of
   * the statement in one run.
   */
  private realignAfterStatement(queryRunner: QueryRunner, table: EntityTable): Promise<void> {
    let pending = this.outsideTransaction.get(queryRunner);
    if (pending === undefined) {
      const tables: Touched = new Map();
      const done = Promise.resolve().then(() => {
        this.outsideTransaction.delete(queryRunner);
        return this.realign(queryRunner, [...tables.values()]);
      });
      pending = { tables, done };
      this.outsideTransaction.set(queryRunner, pending);
    }
    pending.tables.set(tableKeyOf(table), table);
    return pending.done;
  }

  private async realign(queryRunner: QueryRunner, tables: readonly EntityTable[]): Promise<void> {
    try {
      const { lockTimeoutMs } = this.options;
      const options: Omit<Options, 'tables'> = lockTimeoutMs === undefined ? {} : { lockTimeoutMs };
      const dialect = dialectOfDataSource(dataSourceOfOwner(queryRunner));
      const report = await realignTables(fromQueryRunner(queryRunner, dialect), tables, options);
      this.options.onReport?.(report);
    } catch (error) {
      if (this.options.onError === undefined) throw error;
      this.options.onError(error, tables);
    }
  }

  private watch(event: InsertEvent<ObjectLiteral>): Watched | null {
    const metadata = event.metadata;
    let watched = this.watched.get(metadata);
    if (watched === undefined) {
      const table = entityTableOf(metadata, defaultSchemaOf(dataSourceOfOwner(event)));
      watched = 'reason' in table ? null : { table, columns: sequenceColumnsOf(metadata) };
      this.watched.set(metadata, watched);
    }
    return watched;
  }
}
EventSubscriber()(RealignSequencesSubscriber);

/**
 * A subscriber class with options, for `subscribers: [...]` (TypeORM instantiates subscribers itself,
 * without arguments).
 *
 * @example
 * const subscriber = realignSequencesSubscriber({ onReport: (r) => logger.info(r.statements) });
 * new DataSource({ type: 'postgres', url, entities, subscribers: [subscriber] });
 */
export function realignSequencesSubscriber(options: RealignSequencesSubscriberOptions): new () => RealignSequencesSubscriber {
  class ConfiguredRealignSequencesSubscriber extends RealignSequencesSubscriber {
    constructor() {
      super(options);
    }
  }
  EventSubscriber()(ConfiguredRealignSequencesSubscriber);
  return ConfiguredRealignSequencesSubscriber;
}

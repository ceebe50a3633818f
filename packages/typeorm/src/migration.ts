import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { RealignSequencesOptions, SequencesReport } from './realign-sequences';
import { SeqsyncError } from '@seqsync/core';
import { realignSequences } from './realign-sequences';
import { dataSourceOfOwner } from './typeorm-connection';

export interface RealignSequencesMigrationOptions extends RealignSequencesOptions {
  /**
   * The 13-digit millisecond timestamp TypeORM orders migrations by and reads from the end of the name:
   * pick one later than the data migrations this step follows. Default 9999999999999, after every
   * migration — it still runs only once, like any migration.
   */
  readonly timestamp?: number;
  /** Name prefix; the migration is recorded as `${name}${timestamp}`. Default `RealignSequences`. */
  readonly name?: string;
  /** TypeORM's per-migration `transaction` flag (only honoured with migrationsTransactionMode "each" or "none"). */
  readonly transaction?: boolean;
  /** Receives the report (TypeORM ignores what `up` returns). E.g. log the sequences that moved. */
  readonly onReport?: (report: SequencesReport) => void | Promise<void>;
}

const LAST_TIMESTAMP = 9_999_999_999_999;

/**
 * A migration class that realigns your entities' sequences, for `migrations: [...]` after seeding
 * or data-import migrations. Inside the migration transaction it neither begins nor commits; with
 * `migrationsTransactionMode: 'none'` it commits its own. `down()` does nothing: a sequence moved past
 * the data is just as safe once the data is gone.
 *
 * @example
 * new DataSource({ …, migrations: [CreateTables1700000000000, SeedCountries1700000000001,
 *   realignSequencesMigration({ timestamp: 1700000000002 })] });
 */
export function realignSequencesMigration(options: RealignSequencesMigrationOptions = {}): new () => MigrationInterface {
  const { timestamp = LAST_TIMESTAMP, name: prefix = 'RealignSequences', transaction, onReport, ...realignOptions } = options;
  if (!Number.isSafeInteger(timestamp) || String(timestamp).length !== 13) {
    throw new SeqsyncError('INVALID_OPTION', `invalid migration timestamp ${JSON.stringify(timestamp)}: `
      + `expected a 13-digit JavaScript millisecond timestamp such as ${Date.now()}`);
  }
  const name = `${prefix}${timestamp}`;

  class RealignSequencesMigration implements MigrationInterface {
    readonly name = name;
    readonly transaction = transaction;

    async up(queryRunner: QueryRunner): Promise<void> {
      if (realignOptions.entities === undefined && dataSourceOfOwner(queryRunner).entityMetadatas.length === 0) {
        // Migration-only DataSource configs often list no entities; realigning nothing would pass silently.
        throw new SeqsyncError('INVALID_OPTION',
          `${name}: the DataSource running migrations has no entities, so there is nothing to realign; `
          + 'list your entities in its options or pass { entities }');
      }
      const report = await realignSequences(queryRunner.manager, realignOptions);
      await onReport?.(report);
    }

    async down(): Promise<void> {
      // Nothing to undo: moving a sequence forward never breaks the schema the previous migration left.
    }
  }
  return RealignSequencesMigration;
}

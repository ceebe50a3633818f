import type { Queryable } from '../../types';
import type { BatchConnection, BatchForm, DatabaseIdentity, Dialect, RunRequest } from '../../dialect';
import type { MysqlCatalog, MysqlCounter } from './mysql-introspect';
import type { MysqlServerSql } from './mysql-apply';
import type { MysqlStep } from './mysql-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { tableKey } from '../../table-names';
import { loadCatalog } from './mysql-introspect';
import { planCounter } from './mysql-plan';
import { previewBatch, readBatch, writeBatch } from './mysql-apply';
import { qualifiedName, quoteIdent } from './mysql-sql';
import { mysqlDuplicateKey, translateMysqlError } from './mysql-errors';
import { mysqlPrimaryKeyColumn } from './mysql-primary-key';
import { connectMysql } from './mysql-connect';
import type { CounterOutline } from '../../cutover-match';
import { autoIncrementShape, integerRange } from './mysql-plan';
import { narrowestRange } from '../../sequence-math';

/**
 * Counters per transaction by default. MySQL has no lock-table ceiling like PostgreSQL's; the bound keeps
 * one live-state statement (a UNION ALL of a few hundred bytes per table) far below max_allowed_packet.
 */
const DEFAULT_BATCH_TABLES = 1_000;

/**
 * MySQL: each table's AUTO_INCREMENT, read live from information_schema and compacted with ALTER TABLE.
 * InnoDB moves AUTO_INCREMENT past any explicit id itself, so in `advance` mode it never needs moving; what
 * drifts is a counter left high by deletes or raised by hand, which `reset` brings back to MAX+1.
 * MariaDB (a subclass) adds SEQUENCE objects.
 */
export class MysqlDialect implements Dialect<MysqlCatalog, MysqlCounter, MysqlStep>, MysqlServerSql {
  readonly name: 'mysql' | 'mariadb' = 'mysql';
  /** REPEATABLE READ is what makes FOR UPDATE take next-key locks past the highest key (see mysql-apply). */
  readonly beginStatements = ['SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'START TRANSACTION'];
  readonly quoteIdent = quoteIdent;
  readonly connect = connectMysql;
  readonly introspect = loadCatalog;
  readonly translateError = translateMysqlError;
  readonly duplicateKeyOf = mysqlDuplicateKey;
  readonly primaryKeyColumn = mysqlPrimaryKeyColumn;

  /** A sequence's increment and bounds are read live (information_schema has no row for them): null here. */
  outline(catalog: MysqlCatalog): CounterOutline[] {
    return catalog.counters.map((counter) => {
      const ranges = counter.uses.map((use) => integerRange(use.dataType, use.unsigned))
        .filter((range): range is { min: bigint; max: bigint } => range !== null);
      const columns = narrowestRange(ranges);
      const autoIncrement = counter.kind === 'auto_increment';
      const shape = autoIncrement ? autoIncrementShape(catalog.autoIncrementStep, columns) : null;
      return {
        schema: counter.schema, name: counter.name,
        uses: counter.uses.map(({ schema, table, column }) => ({ schema, table, column })),
        start: shape?.start ?? null, increment: shape?.increment ?? null,
        bounds: autoIncrement && columns !== null ? { min: 1n, max: columns.max } : columns,
      };
    });
  }

  /**
   * The server and the connection's database; a URL naming none scopes a run to every database of the server, so it
   * overlaps any database there. MySQL's server is its `server_uuid`, generated once per data directory.
   */
  async identify(db: Queryable): Promise<DatabaseIdentity> {
    const [row] = await db.query<{ server: string; database: string | null }>(this.identifySql);
    return { server: `mysql:${row?.server ?? ''}`, database: row?.database ?? null };
  }

  protected readonly identifySql: string = 'SELECT @@server_uuid AS server, DATABASE() AS `database`';


  /** MySQL checks privileges per statement; a missing one fails the batch that needs it, rolled back. */
  assertPrivileges(): void {}

  batches(catalog: MysqlCatalog, request: RunRequest): MysqlCounter[][] {
    const items = catalog.counters.map((counter) => ({
      counter,
      tables: counter.uses.map((use) => tableKey(use.schema, use.table)),
      weight: counter.uses.length,
    }));
    return packBatches(items, Infinity, request.batchSize ?? DEFAULT_BATCH_TABLES).map((batch) => batch.map((item) => item.counter));
  }

  async inspectBatch(
    connection: BatchConnection, catalog: MysqlCatalog, batch: readonly MysqlCounter[], request: RunRequest,
  ): Promise<MysqlStep[]> {
    const states = await readBatch(connection, batch, this.liveReadSetup(catalog.serverVersion));
    return batch.map((counter, at) => planCounter(counter, states[at], request, catalog.autoIncrementStep));
  }

  previewStatements(
    form: BatchForm, catalog: MysqlCatalog, batch: readonly MysqlCounter[], steps: readonly MysqlStep[], request: RunRequest,
  ): string[] {
    return previewBatch(form, batch, steps, { lockTimeoutMs: request.lockTimeoutMs, serverVersion: catalog.serverVersion }, this);
  }

  writeBatch(
    connection: BatchConnection, catalog: MysqlCatalog, batch: readonly MysqlCounter[], request: RunRequest,
  ): Promise<MysqlStep[]> {
    return writeBatch(connection, batch, {
      rule: request, lockTimeoutMs: request.lockTimeoutMs,
      serverVersion: catalog.serverVersion, autoIncrementStep: catalog.autoIncrementStep,
    }, this);
  }

  async explainLockTimeout(
    _connection: Queryable | null, batch: readonly MysqlCounter[], error: SeqsyncError, request: RunRequest,
  ): Promise<SeqsyncError> {
    const tables = [...new Set(batch.flatMap((counter) => counter.uses.map((use) => qualifiedName(use.schema, use.table))))];
    return new SeqsyncError('LOCK_TIMEOUT', `lock timeout after ${request.lockTimeoutMs} ms waiting for table ${tables.join(', ')}: `
      + 'another session holds a lock on it; nothing in this batch was changed', { cause: error.cause ?? error });
  }

  /**
   * MySQL 8 serves information_schema.TABLES.AUTO_INCREMENT from a statistics cache (up to a day old by
   * default); `information_schema_stats_expiry = 0` makes this session read the live counter. MySQL 5.7
   * has no cache and no such variable.
   */
  liveReadSetup(serverVersion: string): string[] {
    return majorVersion(serverVersion) >= 8 ? ['SET SESSION information_schema_stats_expiry = 0'] : [];
  }

  /** MySQL has no anonymous compound statement: DDL goes one statement per round trip without scripts. */
  groupDdl(statements: readonly string[]): string[] {
    return [...statements];
  }
}

function majorVersion(serverVersion: string): number {
  return Number(/^(\d+)/.exec(serverVersion)?.[1] ?? 0);
}

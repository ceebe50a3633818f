import type { Queryable } from '../../types';
import type { Dialect, DialectResult, RunRequest } from '../../dialect';
import type { MysqlCatalog, MysqlCounter } from './mysql-introspect';
import type { MysqlServerSql } from './mysql-apply';
import type { MysqlStep } from './mysql-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { tableKey } from '../../table-names';
import { liveStateSql } from './mysql-catalog-sql';
import { liveReadsOf, loadCatalog, readLiveState } from './mysql-introspect';
import type { RawLiveRow } from './mysql-introspect';
import { ddlStatements, planCounter, setvalStatement } from './mysql-plan';
import { applyBatch } from './mysql-apply';
import { quoteIdent } from './mysql-sql';
import { translateMysqlError } from './mysql-errors';
import { connectMysql } from './mysql-connect';

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
export class MysqlDialect implements Dialect<MysqlCatalog>, MysqlServerSql {
  readonly name: string = 'mysql';

  quoteIdent(identifier: string): string {
    return quoteIdent(identifier);
  }

  connect = connectMysql;

  async introspect(db: Queryable, request: RunRequest): Promise<MysqlCatalog> {
    const catalog = await loadCatalog(db, { schemas: request.schemas, include: request.tables, exclude: request.exclude });
    this.assertServer(catalog.serverVersion);
    return catalog;
  }

  async inspect(db: Queryable, catalog: MysqlCatalog, request: RunRequest): Promise<DialectResult> {
    const batches = this.batchesOf(catalog, request);
    const steps: MysqlStep[] = [];
    const statements: string[] = [];
    for (const [index, batch] of batches.entries()) {
      const rows = await this.readUnlocked(db, catalog.serverVersion, batch);
      const states = readLiveState(batch, rows);
      const planned = batch.map((counter, at) => planCounter(counter, states[at], request.mode, catalog.autoIncrementStep));
      steps.push(...planned);
      const setval = setvalStatement(planned);
      const ddl = ddlStatements(planned);
      if (setval !== null || ddl.length > 0) {
        // What realign would send for this batch (it re-reads the data under its locks first).
        statements.push('START TRANSACTION', liveStateSql(liveReadsOf(batch), true), ...(setval === null ? [] : [setval]), 'COMMIT', ...ddl);
      }
      request.onProgress?.(index + 1, batches.length);
    }
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: 0 };
  }

  async apply(db: Queryable, catalog: MysqlCatalog, request: RunRequest): Promise<DialectResult> {
    const batches = this.batchesOf(catalog, request);
    const steps: MysqlStep[] = [];
    const statements: string[] = [];
    const options = { mode: request.mode, lockTimeoutMs: request.lockTimeoutMs, serverVersion: catalog.serverVersion, autoIncrementStep: catalog.autoIncrementStep, statements };
    for (const [index, batch] of batches.entries()) {
      try {
        steps.push(...(await inTransaction(db, (tx, owns) => applyBatch(tx, batch, options, owns, this))));
      } catch (error) {
        throw this.translateError(error, { phase: 'run', committedBatches: index });
      }
      request.onProgress?.(index + 1, batches.length);
    }
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: batches.length };
  }

  translateError = translateMysqlError;

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

  /** The catalog names the server it came from; a connection declared MySQL that reaches MariaDB would miss its sequences. */
  protected assertServer(serverVersion: string): void {
    if (/mariadb/i.test(serverVersion)) {
      throw new SeqsyncError('UNSUPPORTED_DATABASE',
        `the server is MariaDB (${serverVersion}) but the connection was declared MySQL: use a mariadb:// URL or a Queryable with dialect "mariadb"`);
    }
  }

  /** The session setting and the read must share a connection: on a pool they could land on two. */
  private async readUnlocked(db: Queryable, serverVersion: string, batch: readonly MysqlCounter[]): Promise<RawLiveRow[]> {
    const setup = this.liveReadSetup(serverVersion);
    const read = async (connection: Queryable) => {
      for (const sql of setup) await connection.query(sql);
      return connection.query<RawLiveRow>(liveStateSql(liveReadsOf(batch), false));
    };
    return setup.length > 0 && db.connection ? db.connection(read) : read(db);
  }

  private batchesOf(catalog: MysqlCatalog, request: RunRequest): MysqlCounter[][] {
    const items = catalog.counters.map((counter) => ({
      counter,
      tables: counter.uses.map((use) => tableKey(use.schema, use.table)),
      weight: counter.uses.length,
    }));
    return packBatches(items, Infinity, request.batchSize ?? DEFAULT_BATCH_TABLES).map((batch) => batch.map((item) => item.counter));
  }
}

/** Runs `fn` on one connection inside one transaction, owned by the caller's library when it has one. */
function inTransaction<T>(db: Queryable, fn: (tx: Queryable, ownsTransaction: boolean) => Promise<T>): Promise<T> {
  if (db.transaction) return db.transaction((tx) => fn(tx, false));
  if (db.connection) return db.connection((connection) => fn(connection, true));
  return fn(db, true);
}

function majorVersion(serverVersion: string): number {
  return Number(/^(\d+)/.exec(serverVersion)?.[1] ?? 0);
}

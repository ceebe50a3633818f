import type { Queryable } from '../../types';
import type { BatchConnection, BatchForm, CatalogScope, DatabaseIdentity, Dialect, DialectCatalog, RunRequest } from '../../dialect';
import type { PostgresCatalog, PostgresSequence } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { loadCatalog } from './postgres-introspect';
import { planCounter } from './postgres-plan';
import { lockTimeoutError, readBatch, withWriteWarnings, writeBatch } from './postgres-apply';
import { previewBatch } from './postgres-write-sql';
import { qualifiedName, quoteIdent } from './postgres-sql';
import { postgresDuplicateKey, translatePostgresError } from './postgres-errors';
import { postgresPrimaryKeyColumn } from './postgres-primary-key';
import { connectPostgres } from './postgres-connect';
import { assertReadable, assertWritable, planOnStandby, standbyWarnings } from './postgres-standby';
import type { CounterOutline } from '../../cutover-match';
import { narrowestRange, usableBounds } from '../../sequence-math';
import { keyRange } from './postgres-sql';

/**
 * The server (its postmaster's start, which no other running server shares) and the database within it: the same
 * database reached by two routes (a socket and TCP, a pooler) reads the same.
 */
const IDENTIFY_SQL = `SELECT pg_catalog.pg_postmaster_start_time()::pg_catalog.text AS server, d.oid::pg_catalog.text AS database
FROM pg_catalog.pg_database d WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()`;

/** PostgreSQL (and PGlite): sequences found from the catalog, moved with setval under table locks. */
export class PostgresDialect implements Dialect<PostgresCatalog, PostgresSequence, PostgresStep> {
  readonly name = 'postgres';
  readonly beginStatements = ['BEGIN'];
  readonly quoteIdent = quoteIdent;
  readonly connect = connectPostgres;
  readonly translateError = translatePostgresError;
  readonly duplicateKeyOf = postgresDuplicateKey;
  readonly primaryKeyColumn = postgresPrimaryKeyColumn;

  /** The catalog, and on a hot standby the run-level note on what can be known there. */
  async introspect(db: Queryable, scope: CatalogScope): Promise<PostgresCatalog & DialectCatalog> {
    const catalog: PostgresCatalog & DialectCatalog = await loadCatalog(db, scope);
    const standby = standbyWarnings(catalog);
    return standby.length === 0 ? catalog : { ...catalog, warnings: [...standby, ...(catalog.warnings ?? [])] };
  }

  outline(catalog: PostgresCatalog): CounterOutline[] {
    return catalog.sequences.map((sequence) => {
      const ranges = sequence.uses.map((use) => keyRange(use.columnType, use.typeModifier))
        .filter((range): range is { min: bigint; max: bigint } => range !== null);
      return {
        schema: sequence.schema, name: sequence.name, start: sequence.shape.start, increment: sequence.shape.increment,
        uses: sequence.uses.map(({ schema, table, column }) => ({ schema, table, column })),
        bounds: usableBounds(sequence.shape, narrowestRange(ranges)),
      };
    });
  }

  async identify(db: Queryable): Promise<DatabaseIdentity> {
    const [row] = await db.query<{ server: string; database: string }>(IDENTIFY_SQL);
    return { server: `postgres:${row?.server ?? ''}`, database: row?.database ?? '' };
  }

  /**
   * Checked before anything is written, so a missing privilege fails the run with nothing changed
   * rather than after earlier batches committed. setval needs UPDATE on the sequence; a SHARE ROW
   * EXCLUSIVE lock needs UPDATE, DELETE or TRUNCATE on the table (or, from PostgreSQL 17, MAINTAIN). None of these
   * is of use without USAGE on the object's schema, and no privilege reaches another session's temporary sequence.
   */
  assertPrivileges(catalog: PostgresCatalog, writing: boolean): void {
    const problems: string[] = [];
    for (const sequence of catalog.sequences) {
      const name = qualifiedName(sequence.schema, sequence.name);
      if (sequence.otherSessionTemporary) {
        const use = sequence.uses[0];
        throw new SeqsyncError('PERMISSION_DENIED', `sequence ${name}, used by ${qualifiedName(use.schema, use.table)}.`
          + `${quoteIdent(use.column)}, is another session's temporary sequence, which no other session can read or set. `
          + 'Nothing was changed.');
      }
      if (!sequence.canUseSchema) problems.push(`USAGE on schema ${quoteIdent(sequence.schema)} (for sequence ${name})`);
      if (!sequence.canRead) problems.push(`SELECT on sequence ${name}`);
      if (writing && !sequence.canUpdate) problems.push(`UPDATE on sequence ${name}`);
      for (const use of sequence.uses) {
        const table = qualifiedName(use.schema, use.table);
        if (!use.canUseSchema) problems.push(`USAGE on schema ${quoteIdent(use.schema)} (for table ${table})`);
        if (!use.canReadTable) problems.push(`SELECT on table ${table}`);
        if (writing && !use.canLockTable) problems.push(`UPDATE, DELETE or TRUNCATE on table ${table} (to lock it against writers)`);
      }
    }
    if (problems.length > 0) {
      const unique = [...new Set(problems)];
      throw new SeqsyncError('PERMISSION_DENIED',
        `permission denied: missing ${unique.slice(0, 5).join('; ')}`
        + `${unique.length > 5 ? `; and ${unique.length - 5} more` : ''}. Nothing was changed.`);
    }
  }

  /**
   * Half the shared lock table per batch: other sessions need the rest. A sequence feeding a key no index leads
   * is read by a scan while its tables are locked; it is batched apart, last, so only its own writers wait.
   */
  batches(catalog: PostgresCatalog, request: RunRequest): PostgresSequence[][] {
    const budget = Math.max(64, Math.floor(catalog.lockCapacity / 2));
    const items = catalog.sequences.map((sequence) => ({
      sequence,
      tables: sequence.uses.map((u) => u.tableOid),
      weight: 1 + sequence.uses.reduce((sum, u) => sum + u.lockWeight, 0),
      alone: sequence.uses.some((u) => !u.keyIndexed),
    }));
    return packBatches(items, budget, request.batchSize ?? Infinity).map((batch) => batch.map((item) => item.sequence));
  }

  /** On a standby the counters stay: every batch's check refuses the run naming each unlogged one (assertReadable). */
  withoutCounters(catalog: PostgresCatalog): PostgresCatalog {
    return catalog.inRecovery ? catalog : { ...catalog, sequences: [] };
  }

  async inspectBatch(
    connection: BatchConnection, catalog: PostgresCatalog, batch: readonly PostgresSequence[], request: RunRequest,
  ): Promise<PostgresStep[]> {
    // A dry run is refused as realign is: what it would write depends on positions a standby cannot know.
    if (request.command === 'realign') assertWritable(catalog);
    assertReadable(catalog);
    const states = await readBatch(connection, batch, request.lockTimeoutMs);
    // A standby's sequence positions may run ahead of the primary's: judged by what can be known there.
    const plan = catalog.inRecovery ? planOnStandby : planCounter;
    const steps = batch.map((sequence) => plan(sequence, states.get(sequence.oid)!, request));
    return request.command === 'realign' ? steps.map(withWriteWarnings) : steps;
  }

  previewStatements(
    form: BatchForm, _catalog: PostgresCatalog, batch: readonly PostgresSequence[], steps: readonly PostgresStep[], request: RunRequest,
  ): string[] {
    return previewBatch(form, batch, steps, request.mode, request.lockTimeoutMs);
  }

  writeBatch(
    connection: BatchConnection, catalog: PostgresCatalog, batch: readonly PostgresSequence[], request: RunRequest,
  ): Promise<PostgresStep[]> {
    // Before the batch's first statement, whose LOCK a standby would refuse without saying why or where to go instead.
    assertWritable(catalog);
    return writeBatch(connection, batch, request, request.lockTimeoutMs);
  }

  explainLockTimeout(
    connection: Queryable | null, batch: readonly PostgresSequence[], error: SeqsyncError, request: RunRequest,
  ): Promise<SeqsyncError> {
    return lockTimeoutError(connection, batch, request.lockTimeoutMs, error);
  }
}

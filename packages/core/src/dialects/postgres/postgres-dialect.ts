import type { Queryable } from '../../types';
import type { BatchConnection, Dialect, RunRequest } from '../../dialect';
import type { PostgresCatalog, PostgresSequence } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { loadCatalog } from './postgres-introspect';
import { planCounter } from './postgres-plan';
import { lockTimeoutError, previewBatch, readBatch, writeBatch } from './postgres-apply';
import { qualifiedName, quoteIdent } from './postgres-sql';
import { translatePostgresError } from './postgres-errors';
import { connectPostgres } from './postgres-connect';

/** PostgreSQL (and PGlite): sequences found from the catalog, moved with setval under table locks. */
export class PostgresDialect implements Dialect<PostgresCatalog, PostgresSequence, PostgresStep> {
  readonly name = 'postgres';
  readonly beginStatements = ['BEGIN'];
  readonly quoteIdent = quoteIdent;
  readonly connect = connectPostgres;
  readonly introspect = loadCatalog;
  readonly translateError = translatePostgresError;


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

  /** Half the shared lock table per batch: other sessions need the rest. */
  batches(catalog: PostgresCatalog, request: RunRequest): PostgresSequence[][] {
    const budget = Math.max(64, Math.floor(catalog.lockCapacity / 2));
    const items = catalog.sequences.map((sequence) => ({
      sequence,
      tables: sequence.uses.map((u) => u.tableOid),
      weight: 1 + sequence.uses.reduce((sum, u) => sum + u.lockWeight, 0),
    }));
    return packBatches(items, budget, request.batchSize ?? Infinity).map((batch) => batch.map((item) => item.sequence));
  }

  async inspectBatch(
    connection: BatchConnection, _catalog: PostgresCatalog, batch: readonly PostgresSequence[], request: RunRequest,
  ): Promise<PostgresStep[]> {
    const states = await readBatch(connection, batch, request.lockTimeoutMs);
    return batch.map((sequence) => planCounter(sequence, states.get(sequence.oid)!, request.mode));
  }

  previewStatements(steps: readonly PostgresStep[], request: RunRequest): string[] {
    return previewBatch(steps, request.mode, request.lockTimeoutMs);
  }

  writeBatch(
    connection: BatchConnection, _catalog: PostgresCatalog, batch: readonly PostgresSequence[], request: RunRequest,
  ): Promise<PostgresStep[]> {
    return writeBatch(connection, batch, request.mode, request.lockTimeoutMs);
  }

  explainLockTimeout(
    connection: Queryable | null, batch: readonly PostgresSequence[], error: SeqsyncError, request: RunRequest,
  ): Promise<SeqsyncError> {
    return lockTimeoutError(connection, batch, request.lockTimeoutMs, error);
  }
}

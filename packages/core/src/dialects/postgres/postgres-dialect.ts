import type { Queryable } from '../../types';
import type { Dialect, DialectResult, RunRequest } from '../../dialect';
import type { PostgresCatalog, PostgresLiveState, PostgresSequence, RawLiveRow } from './postgres-introspect';
import type { PostgresStep } from './postgres-plan';
import { SeqsyncError } from '../../errors';
import { packBatches } from '../../batches';
import { liveStateStatement, loadCatalog, loadLiveState, readLiveState } from './postgres-introspect';
import { lockStatement, planSequence, setvalStatement } from './postgres-plan';
import { applyBatch } from './postgres-apply';
import { qualifiedName, quoteIdent, sqlInteger } from './postgres-sql';
import { translatePostgresError } from './postgres-errors';
import { connectPostgres } from './postgres-connect';

/** PostgreSQL (and PGlite): sequences found from the catalog, moved with setval under table locks. */
export class PostgresDialect implements Dialect<PostgresCatalog> {
  readonly name = 'postgres';

  quoteIdent(identifier: string): string {
    return quoteIdent(identifier);
  }

  connect = connectPostgres;

  introspect(db: Queryable, request: RunRequest): Promise<PostgresCatalog> {
    return loadCatalog(db, { schemas: request.schemas, include: request.tables, exclude: request.exclude });
  }

  async inspect(db: Queryable, catalog: PostgresCatalog, request: RunRequest): Promise<DialectResult> {
    assertPrivileges(catalog.sequences, false);
    const batches = batchesOf(catalog, request);
    const steps: PostgresStep[] = [];
    const statements: string[] = [];
    for (const [index, batch] of batches.entries()) {
      const states = await readWithoutRowSecurity(db, batch);
      const planned = batch.map((sequence) => planSequence(sequence, states.get(sequence.oid)!, request.mode));
      steps.push(...planned);
      const setval = setvalStatement(planned, request.mode);
      if (setval !== null) {
        // What realign would send for this batch (it re-reads the data under the lock first).
        statements.push('BEGIN', `SET LOCAL lock_timeout = ${sqlInteger(request.lockTimeoutMs)}`, 'SET LOCAL row_security = off',
          lockStatement(planned.filter((s) => s.newNextValue !== null).map((s) => s.sequence))!, setval, 'COMMIT');
      }
      request.onProgress?.(index + 1, batches.length);
    }
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: 0 };
  }

  async apply(db: Queryable, catalog: PostgresCatalog, request: RunRequest): Promise<DialectResult> {
    assertPrivileges(catalog.sequences, true);
    const batches = batchesOf(catalog, request);
    const steps: PostgresStep[] = [];
    const statements: string[] = [];
    const options = { mode: request.mode, lockTimeoutMs: request.lockTimeoutMs, statements };
    for (const [index, batch] of batches.entries()) {
      try {
        steps.push(...(await inTransaction(db, (tx, owns) => applyBatch(tx, batch, options, owns))));
      } catch (error) {
        throw this.translateError(error, { phase: 'run', committedBatches: index });
      }
      request.onProgress?.(index + 1, batches.length);
    }
    return { sequences: steps.map((s) => s.report), tablesWithoutSequence: catalog.tablesWithoutSequence, statements, batches: batches.length };
  }

  translateError = translatePostgresError;
}

/**
 * check reads with row_security off, as apply does: a role that a policy hides rows from would otherwise see
 * a MAX below the data and report a wrong target. With it off such a read fails, naming the table. SET LOCAL
 * needs a transaction: a script is one implicitly, otherwise the read gets one of its own.
 */
async function readWithoutRowSecurity(db: Queryable, batch: readonly PostgresSequence[]): Promise<Map<string, PostgresLiveState>> {
  if (db.multiStatement === true && !db.transaction) {
    const live = liveStateStatement(batch);
    return readLiveState(batch, await db.query<RawLiveRow>(`SET LOCAL row_security = off;\n${live.sql}`));
  }
  return inTransaction(db, async (tx, owns) => {
    if (owns) await tx.query('BEGIN');
    try {
      const [previous] = await tx.query<{ rowSecurity: string }>(
        "SELECT current_setting('row_security') AS \"rowSecurity\", pg_catalog.set_config('row_security', 'off', true)");
      const states = await loadLiveState(tx, batch);
      if (owns) await tx.query('COMMIT');
      else await tx.query("SELECT pg_catalog.set_config('row_security', $1, true)", [previous.rowSecurity]);
      return states;
    } catch (error) {
      if (owns) await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** Runs `fn` on one connection inside one transaction, owned by the caller's library when it has one. */
function inTransaction<T>(db: Queryable, fn: (tx: Queryable, ownsTransaction: boolean) => Promise<T>): Promise<T> {
  if (db.transaction) return db.transaction((tx) => fn(tx, false));
  if (db.connection) return db.connection((connection) => fn(connection, true));
  return fn(db, true);
}

/** Half the shared lock table: other sessions need the rest. */
function batchesOf(catalog: PostgresCatalog, request: RunRequest): PostgresSequence[][] {
  const budget = Math.max(64, Math.floor(catalog.lockCapacity / 2));
  const items = catalog.sequences.map((sequence) => ({
    sequence,
    tables: sequence.uses.map((u) => u.tableOid),
    weight: 1 + sequence.uses.reduce((sum, u) => sum + u.lockWeight, 0),
  }));
  return packBatches(items, budget, request.batchSize ?? Infinity).map((batch) => batch.map((item) => item.sequence));
}

/**
 * Checked before anything is written, so a missing privilege fails the run with nothing changed
 * rather than after earlier batches committed. setval needs UPDATE on the sequence; a SHARE ROW
 * EXCLUSIVE lock needs UPDATE, DELETE or TRUNCATE on the table (or, from PostgreSQL 17, MAINTAIN).
 */
function assertPrivileges(sequences: readonly PostgresSequence[], writing: boolean): void {
  const problems: string[] = [];
  for (const sequence of sequences) {
    const name = qualifiedName(sequence.schema, sequence.name);
    if (!sequence.canRead) problems.push(`SELECT on sequence ${name}`);
    if (writing && !sequence.canUpdate) problems.push(`UPDATE on sequence ${name}`);
    for (const use of sequence.uses) {
      const table = qualifiedName(use.schema, use.table);
      if (!use.canReadTable) problems.push(`SELECT on table ${table}`);
      if (writing && !use.canLockTable) problems.push(`UPDATE, DELETE or TRUNCATE on table ${table} (to lock it against writers)`);
    }
  }
  if (problems.length > 0) {
    const unique = [...new Set(problems)];
    throw new SeqsyncError('PERMISSION_DENIED',
      `permission denied: missing ${unique.slice(0, 5).join('; ')}${unique.length > 5 ? `; and ${unique.length - 5} more` : ''}. Nothing was changed.`);
  }
}

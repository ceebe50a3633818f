import type { BatchConnection, Dialect, DialectCatalog, DialectResult, PlannedStep, RunRequest, Statement } from './dialect';
import type { Queryable, SequenceReport } from './types';
import { DEFAULT_STATEMENT_LIMIT, DEFAULT_STATEMENT_TEXT_LIMIT } from './types';
import { SeqsyncError } from './errors';
import { asPlanned } from './sequence-decision';
import { interruptedError } from './interrupt';
import { matchSource } from './cutover-match';

/**
 * The one batch loop, for every dialect. A batch is one transaction on one connection: seqsync's own
 * (begun and committed through the dialect's statements, rolled back here on failure) or, when the caller's
 * library owns one, the caller's. Batches run in order; a failure stops the run and reports how many earlier
 * batches committed, the same way on every database.
 */
export async function runBatches<Catalog extends DialectCatalog, Counter, Step extends PlannedStep>(
  dialect: Dialect<Catalog, Counter, Step>, db: Queryable, asked: RunRequest, readOnly: boolean,
  observe?: (step: PlannedStep) => void,
): Promise<DialectResult> {
  const { request, catalog: batchCatalog, batches, matched, tablesWithoutSequence, catalogWarnings } =
    await prepare(dialect, db, asked, readOnly);
  const interrupted = (where: string, committed: number) => interruptedError(request, where, committed, readOnly);
  const total = batches.length;
  const statements = statementLog(request, readOnly);
  // Only what the report needs is kept from each batch: a step also holds what its writer needed (at 100,000 tables,
  // every byte kept per counter is 100 kB of the run's peak).
  const sequences: SequenceReport[] = [];
  const warnings: string[] = [...catalogWarnings];
  const keep = (planned: readonly Step[]) => {
    for (const step of planned) {
      sequences.push(readOnly ? asPlanned(step.report) : step.report);
      if (step.warnings !== undefined) warnings.push(...step.warnings);
    }
  };
  for (let index = 0; index < total; index += 1) {
    const batch = batches[index];
    // Done with, a batch's counters are let go of (see Dialect.withoutCounters): only their reports stay.
    batches[index] = [];
    // Between batches nothing runs on the server: the signal is seen here, before the next one begins.
    if (request.signal?.aborted) throw interrupted(`before batch ${index + 1} of ${total}`, readOnly ? 0 : index);
    if (readOnly) {
      // A read-only run reports what realign would send, not the reads it made to find out: previewed on this batch's
      // connection, whose form (whose transaction, whether scripts travel) the real run's batch has too.
      const { planned, preview } = await inBatch(dialect, db, null, request, async (connection) => {
        const inspected = await dialect.inspectBatch(connection, batchCatalog, batch, request);
        return { planned: inspected, preview: dialect.previewStatements(connection, batchCatalog, batch, inspected, request) };
      }, (connection, failure) => explain(dialect, connection, batch, request, failure, null, [index, total], false));
      keep(planned);
      if (observe !== undefined) planned.forEach(observe);
      statements.add(preview);
    } else {
      const planned = await inBatch(dialect, db, statements, request,
        (connection) => dialect.writeBatch(connection, batchCatalog, batch, request),
        (connection, failure, writing) => explain(dialect, connection, batch, request, failure, index, [index, total], writing));
      keep(planned);
    }
    request.onProgress?.(index + 1, total);
  }
  return {
    sequences,
    tablesWithoutSequence,
    warnings,
    statements: statements.kept,
    ...(statements.omitted === 0 ? {} : { statementsOmitted: statements.omitted }),
    batches: readOnly ? 0 : total,
    ...(matched === null ? {} : { cutover: matched.summary }),
  };
}

/**
 * Everything before the first batch: the catalog read and checked, a cutover's source matched on it, the batches
 * formed. Of the catalog only what the batches need is returned (see Dialect.withoutCounters).
 */
async function prepare<Catalog extends DialectCatalog, Counter, Step extends PlannedStep>(
  dialect: Dialect<Catalog, Counter, Step>, db: Queryable, asked: RunRequest, readOnly: boolean,
) {
  const interrupted = (where: string) => interruptedError(asked, where, 0, readOnly);
  if (asked.signal?.aborted) throw interrupted('before the catalog was read');
  const catalog = await dialect.introspect(db, asked).catch((error: unknown) => {
    throw asked.signal?.aborted ? interrupted('while reading the catalog (the read was cancelled)')
      : dialect.translateError(error, { phase: 'run' });
  });
  dialect.assertPrivileges(catalog, !readOnly);
  // Matched on the catalog, before the first batch: an ambiguous name or a position the target cannot take changes nothing.
  const matched = asked.source === null ? null : matchSource(asked.source, dialect.outline(catalog),
    asked.cutover?.margin ?? 0, asked);
  const request = matched === null ? asked : { ...asked, cutover: matched.rule };
  return {
    request, matched,
    batches: [...dialect.batches(catalog, request)] as (readonly Counter[])[],
    catalog: dialect.withoutCounters?.(catalog) ?? catalog,
    tablesWithoutSequence: catalog.tablesWithoutSequence,
    catalogWarnings: catalog.warnings ?? [],
  };
}

/**
 * A dry run's statements are its output, every one of them; other runs keep the first {@link DEFAULT_STATEMENT_LIMIT}
 * within {@link DEFAULT_STATEMENT_TEXT_LIMIT} characters, unless the caller said how many.
 */
function statementLog(request: RunRequest, readOnly: boolean): StatementLog {
  if (request.statementLimit !== undefined) return new StatementLog(request.statementLimit, Infinity);
  return readOnly && request.command === 'realign' ? new StatementLog(Infinity, Infinity)
    : new StatementLog(DEFAULT_STATEMENT_LIMIT, DEFAULT_STATEMENT_TEXT_LIMIT);
}

/**
 * The statements for the report, the first `limit` of them (and within `textLimit` characters); the rest are counted
 * only. A run of 100,000 tables sends hundreds of thousands, and each batch's live read is one statement that reads
 * a thousand tables: kept whole, their text would outweigh the rest of the report.
 */
class StatementLog {
  readonly kept: string[] = [];
  omitted = 0;
  private text = 0;

  constructor(private readonly limit: number, private readonly textLimit: number) {}

  add(statements: readonly string[]): void {
    for (const statement of statements) {
      if (this.omitted === 0 && this.kept.length < this.limit && this.text + statement.length <= this.textLimit) {
        this.kept.push(statement);
        this.text += statement.length;
      } else {
        this.omitted += 1;
      }
    }
  }
}

/**
 * Runs one batch on one connection inside one transaction, owned by the caller's library when it offers one
 * (`Queryable.transaction`), else seqsync's on a leased connection (`Queryable.connection`) or on the Queryable
 * itself. A failed transaction of seqsync's own is rolled back before `onFailure` describes the failure.
 */
async function inBatch<T>(dialect: { readonly beginStatements: readonly string[] }, db: Queryable, record: StatementLog | null,
  request: RunRequest, fn: (connection: BatchConnection) => Promise<T>,
  onFailure: (connection: Queryable | null, failure: unknown, writing: boolean) => Promise<never>): Promise<T> {
  const run = async (queryable: Queryable, ownsTransaction: boolean): Promise<T> => {
    const progress = { writing: false };
    const connection = batchConnection(dialect.beginStatements, queryable, ownsTransaction, record, request.signal, progress);
    try {
      return await fn(connection);
    } catch (failure) {
      if (ownsTransaction) await queryable.query('ROLLBACK').catch(() => undefined);
      return onFailure(ownsTransaction ? queryable : null, failure, progress.writing);
    }
  };
  if (db.transaction) return db.transaction((tx) => run(tx, false));
  if (db.connection) return db.connection((leased) => run(leased, true));
  return run(db, true);
}

/** Thrown by `send` once the run's signal has aborted: a batch never sends its next statement (its COMMIT) after it. */
const STOPPED = new Error('the run was interrupted before this statement was sent');

function batchConnection(
  beginStatements: readonly string[], queryable: Queryable, ownsTransaction: boolean, record: StatementLog | null,
  signal: AbortSignal | undefined, progress: { writing: boolean },
): BatchConnection {
  const scripted = queryable.multiStatement === true;
  return {
    queryable,
    ownsTransaction,
    scripted,
    begin: () => (ownsTransaction ? [...beginStatements] : []),
    commit: () => (ownsTransaction ? ['COMMIT'] : []),
    send: async <Row extends object>(sent: readonly Statement[]): Promise<Row[]> => {
      if (sent.length === 0) return [];
      if (signal?.aborted) throw STOPPED;
      // Every dialect sends a batch's writes with its COMMIT: from here on a failure may follow writes.
      if (sent.length > 1 && sent.includes('COMMIT')) progress.writing = true;
      if (scripted && sent.every((statement) => typeof statement === 'string')) {
        record?.add(sent as string[]);
        return queryable.query<Row>((sent as string[]).join(';\n'));
      }
      let rows: Row[] = [];
      for (const statement of sent) {
        if (signal?.aborted) throw STOPPED;
        const { sql, params } = typeof statement === 'string' ? { sql: statement, params: undefined } : statement;
        record?.add([sql]);
        rows = await queryable.query<Row>(sql, params);
      }
      return rows;
    },
  };
}

/**
 * A failed batch as the caller sees it: what failed, named by the dialect (a lock timeout names the table or
 * sequence waited for), and how many earlier batches committed — also when the failure was raised as a
 * SeqsyncError inside the batch, before the count was known.
 */
async function explain<Catalog extends DialectCatalog, Counter, Step extends PlannedStep>(
  dialect: Dialect<Catalog, Counter, Step>, connection: Queryable | null,
  batch: readonly Counter[], request: RunRequest, failure: unknown, committed: number | null, [index, total]: [number, number],
  writing: boolean,
): Promise<never> {
  // A read-only run commits nothing: its failures carry no batch count, and messages do not speak of rollbacks.
  const committedBatches = committed ?? 0;
  if (request.signal?.aborted) {
    // Whatever the statement's own error says (cancelled, connection closed), the run stopped because it was asked to.
    const where = committed === null ? `while reading batch ${index + 1} of ${total} (the read was stopped)`
      : connection !== null ? `in batch ${index + 1} of ${total}, which was stopped and rolled back`
        : `in batch ${index + 1} of ${total}, stopped inside the caller's transaction, which decides what becomes of it`;
    // A rollback does not undo setval (nor MySQL's DDL, which commits at once): stopped mid-write, "nothing" is unproven.
    // Where the dialect knows what the stopped write left (PostgreSQL's restated sequences roll back), it says so.
    const known = failure instanceof SeqsyncError ? failure.changed : undefined;
    throw writing
      ? interruptedError(request, `in batch ${index + 1} of ${total} while its writes were under way`, committedBatches, false,
        known ?? 'a rollback does not undo a sequence write, so some of its sequences may have moved: run seqsync check')
      : interruptedError(request, where, committedBatches, committed === null);
  }
  let error = dialect.translateError(failure, committed === null ? { phase: 'run' } : { phase: 'run', committedBatches });
  // A failure whose dialect already said what it left changed keeps those words.
  const described = failure instanceof SeqsyncError && failure.changed !== undefined;
  if (error.code === 'LOCK_TIMEOUT' && !described) error = await dialect.explainLockTimeout(connection, batch, error, request);
  throw error.committedBatches === committedBatches
    ? error
    : new SeqsyncError(error.code, error.message, { cause: error.cause ?? error, committedBatches });
}

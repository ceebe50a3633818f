import type { Dialect, PlannedStep, RunRequest } from './dialect';
import type { Queryable } from './types';
import type { Database } from './connect';
import type { SourceCounter, SourceRead } from './cutover-match';
import type { ResolvedDatabase } from './connect';
import { countRoundTrips, redactUrl, resolveDatabase, withUrlScope } from './connect';
import { Interruption } from './interrupt';
import { SeqsyncError, isSeqsyncError } from './errors';
import { dialectTraits } from './dialects';
import { toRunRequest } from './options';
import { runBatches } from './runner';
import { counterKey } from './sequence-decision';
import type { QualifiedName } from './table-names';
import { formatTableName } from './table-names';

/**
 * Reads a cutover's source: what `check` reads there (the catalog, then each batch's positions and data under no
 * write lock), so the source is never written and no `nextval` is called on it — only `pg_sequence_last_value`,
 * information_schema and sqlite_sequence are read. Refuses a source that is the target itself, before anything is
 * read from it. Every failure names the source, so it is never taken for the target's.
 */
export async function readSource(from: Database, target: { db: Database; dialect: Dialect; queryable: Queryable },
  request: RunRequest, counter: { count: number }): Promise<SourceRead> {
  const label = typeof from !== 'string' ? 'connection' : from.trim() === '' ? JSON.stringify(from) : redactUrl(from);
  // Nothing on the target is touched before the source is read in full: every failure here changed nothing.
  const named = (error: unknown): SeqsyncError => {
    const message = isSeqsyncError(error) ? error.message : String(error);
    const said = /nothing (?:was|in it was) changed/i.test(message) ? '' : '. Nothing was changed.';
    return new SeqsyncError(isSeqsyncError(error) ? error.code : 'QUERY_FAILED', `source ${label}: ${message.replace(/\.$/, '')}${said}`,
      { cause: error });
  };
  if (from === target.db) throw sameDatabase(label);
  const sourceOptions = (() => {
    try {
      return withUrlScope(from, {});
    } catch (error) {
      throw named(error);
    }
  })();
  // The source's statements are cancelled on a signal as the target's are: a read waiting on the old primary's locks
  // would otherwise hold its own until its lock timeout.
  const interruption = new Interruption(request, true);
  const source = await resolveDatabase(from, (queryable) => interruption.track(countRoundTrips(queryable, counter)))
    .catch((error: unknown) => { throw named(error); });
  interruption.watch(source);
  try {
    const reading = readOpenSource(source, target, request, sourceOptions.schemas, named, label);
    return await Promise.race([reading, interruption.abandoned.catch((error: unknown) => { throw named(error); })]);
  } finally {
    interruption.dispose();
    await source.close().catch(() => undefined);
  }
}

async function readOpenSource(source: ResolvedDatabase, target: { dialect: Dialect; queryable: Queryable }, request: RunRequest,
  urlSchemas: readonly string[] | undefined, named: (error: unknown) => SeqsyncError, label: string): Promise<SourceRead> {
  // Asked of every pair: identities of different kinds of database never agree.
  const [sourceIdentity, targetIdentity] = await Promise.all([
    source.dialect.identify(source.queryable).catch((error: unknown) => { throw named(error); }),
    target.dialect.identify(target.queryable),
  ]);
  const overlapping = sourceIdentity.database === null || targetIdentity.database === null
    || sourceIdentity.database === targetIdentity.database;
  if (sourceIdentity.server === targetIdentity.server && overlapping) throw sameDatabase(label);
  const [sourceTraits, targetTraits] = [dialectTraits(source.dialect.name), dialectTraits(target.dialect.name)];
  const schemas = sourceTraits.searchPathSchemas && targetTraits.searchPathSchemas;
  // The source is read in advance mode whatever the target's: what it has handed out, not what a reset would leave.
  // Scoped by the run's tables and exclude too, so the old primary's other tables are neither locked nor read. Names
  // compared regardless of case on one side are left to the match: the source's catalog would compare them exactly.
  const foldTables = sourceTraits.nameCase.tablesFold || targetTraits.nameCase.tablesFold;
  const names = (list: readonly QualifiedName[]) => list.map((name) => formatTableName(schemas ? name : { schema: null, name: name.name }));
  const sourceRequest: RunRequest = {
    ...toRunRequest({
      schemas: urlSchemas ?? (schemas ? request.schemas ?? undefined : undefined),
      ...(foldTables || request.tables === null ? {} : { tables: names(request.tables) }),
      ...(foldTables ? {} : { exclude: names(request.exclude) }),
      lockTimeoutMs: request.lockTimeoutMs, signal: request.signal, ...(request.batchSize === null ? {} : { batchSize: request.batchSize }),
    }, 'check'),
    missingTablesAllowed: true,
  };
  const handedOut = new Map<string, bigint>();
  const observe = (step: PlannedStep) => {
    if (step.handedOutBefore !== undefined) handedOut.set(counterKey(step.report.schema, step.report.sequence), step.handedOutBefore);
  };
  const result = await runBatches(source.dialect, source.queryable, sourceRequest, true, observe).catch((error: unknown) => {
    throw named(error);
  });
  const counters: SourceCounter[] = result.sequences.map((report) => {
    const ascending = report.increment > 0n;
    const further = (a: bigint, b: bigint) => ((ascending ? a > b : a < b) ? a : b);
    // A source counter behind its own data has handed out those keys all the same (they were inserted explicitly).
    let nextValue = report.behind ? further(report.nextValueBefore, report.nextValueAfter) : report.nextValueBefore;
    const cached = handedOut.get(counterKey(report.schema, report.sequence));
    if (cached !== undefined) nextValue = further(nextValue, cached);
    return {
      schema: report.schema, name: report.sequence, nextValue,
      uses: report.uses.map(({ schema, table, column }) => ({ schema, table, column })),
    };
  });
  return {
    label: `${sourceTraits.label} ${label}`, schemas, counters,
    // A name one side does not tell from another spelling matches that spelling on the other.
    foldTables,
    foldColumns: sourceTraits.nameCase.columnsFold || targetTraits.nameCase.columnsFold,
  };
}

function sameDatabase(label: string): SeqsyncError {
  return new SeqsyncError('INVALID_OPTION', `the source ${label} is the target database itself (or holds it): `
    + 'a cutover reads the database the data came from (the old primary, the MySQL or SQLite original). Nothing was changed.');
}

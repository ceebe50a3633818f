import type { Options, Report } from './types';
import { withJson } from './types';
import type { RunRequest } from './dialect';
import type { Database } from './connect';
import { countRoundTrips, resolveDatabase, withUrlScope } from './connect';
import { Interruption } from './interrupt';
import { toRunRequest } from './options';
import { runBatches } from './runner';
import { readSource } from './cutover';
import { SeqsyncError } from './errors';

/**
 * Moves every key sequence in scope past the data, so the next ordinary insert cannot collide.
 * Default mode never moves a sequence backwards; `{ mode: 'reset' }` also compacts after deletes.
 *
 * @example
 * import { realign } from '@seqsync/core';
 * const report = await realign('postgres://postgres@127.0.0.1:5432/app');
 * for (const s of report.sequences) if (s.action !== 'unchanged') console.log(s.sequence, s.nextValueAfter);
 */
export function realign(db: Database, options: Options = {}): Promise<Report> {
  return run(db, options, 'realign');
}

/**
 * Read-only: reports each sequence in scope, whether it is behind its data, and what `realign` would
 * do with the same options. Nothing is written and no lock beyond plain reads is taken.
 *
 * @example
 * const report = await check(pool);
 * if (report.sequences.some((s) => s.behind)) process.exitCode = 1;
 */
export function check(db: Database, options: Options = {}): Promise<Report> {
  return run(db, options, 'check');
}

async function run(db: Database, options: Options, command: RunRequest['command']): Promise<Report> {
  const readOnly = command === 'check' || options.dryRun === true;
  const request = withStatementLimit(toRunRequest(withUrlScope(db, options), command), options.statementLimit);
  const counter = { count: 0 };
  const interruption = new Interruption(request, readOnly);
  const opened = await resolveDatabase(db, (queryable) => interruption.track(countRoundTrips(queryable, counter)));
  interruption.watch(opened);
  const sourceTrips = { count: 0 };
  // With `from`, the source is read in full first: every position is known before the target's first batch, and the
  // source is closed by then.
  const running = options.from === undefined ? runBatches(opened.dialect, opened.queryable, request, readOnly)
    : readSource(options.from, { db, dialect: opened.dialect, queryable: opened.queryable }, request, sourceTrips)
      .then((source) => runBatches(opened.dialect, opened.queryable, { ...request, source }, readOnly));
  try {
    // When a cancel cannot reach the server, the statement it was for may never answer: stop waiting on it.
    const result = await Promise.race([running, interruption.abandoned]);
    // withJson: a report holds BigInts, which JSON.stringify refuses without the report's own toJSON.
    const { cutover, ...rest } = result;
    const summary = cutover === undefined ? {} : { cutover: { ...cutover, sourceRoundTrips: sourceTrips.count } };
    return withJson({ dialect: opened.dialect.name, mode: request.mode, dryRun: readOnly, ...rest, ...summary, roundTrips: counter.count });
  } finally {
    running.catch(() => undefined);
    interruption.dispose();
    await opened.close();
  }
}

/** `Options.statementLimit`, checked before any connection is opened: a whole number ≥ 0, or Infinity. */
function withStatementLimit(request: RunRequest, limit: number | undefined): RunRequest {
  if (limit === undefined) return request;
  if (limit !== Infinity && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new SeqsyncError('INVALID_OPTION', `invalid statementLimit ${JSON.stringify(limit)}: expected a whole number ≥ 0 or Infinity`);
  }
  return { ...request, statementLimit: limit };
}

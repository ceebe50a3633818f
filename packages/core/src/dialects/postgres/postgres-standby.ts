import type { DecisionRule } from '../../sequence-decision';
import type { PlannedStep } from '../../dialect';
import type { PostgresCatalog, PostgresSequence } from './postgres-introspect';
import type { PostgresLiveState } from './postgres-live-read';
import type { PostgresStep } from './postgres-plan';
import { SeqsyncError } from '../../errors';
import { isBehindData } from '../../sequence-math';
import { planCounter } from './postgres-plan';
import { qualifiedName } from './postgres-sql';

/*
 * A hot standby (pg_is_in_recovery()): what can and cannot be known there.
 *
 * PostgreSQL logs a sequence ahead of itself. A nextval() that writes WAL records the position 32 increments
 * further on (SEQ_LOG_VALS, whatever the CACHE), and the next nextval() calls up to that point write nothing; the
 * first one after a checkpoint logs again. A standby replays only what was logged, so the position it reads is the
 * primary's as of the replayed WAL or up to 32 increments past it, and nothing on the standby tells which. A
 * position with is_called = false is exact: nextval() always logs is_called = true, so false comes from CREATE,
 * ALTER SEQUENCE RESTART or setval(…, false), which log the position itself.
 *
 * So, with N the next value read on the standby and L = N − 32 × increment the lowest the primary's can be:
 *  - data reaching N: behind for certain (the primary's next value is at most N);
 *  - data below L (or an empty table): clear for certain;
 *  - data in between: possibly behind — never reported clear: `behind` is true, the reason and a warning say
 *    "possibly", and check on the primary knows.
 * The report plans from L, the worst case, as MariaDB's cached sequences do: realign on the primary writes the
 * greater of its plan and the sequence's own next value, so that plan moves the sequence only if it is behind.
 */

/** How far ahead of itself PostgreSQL logs a sequence (SEQ_LOG_VALS in sequence.c), in increments. */
export const PRE_LOGGED_INCREMENTS = 32n;

/** Warnings for the whole run, from the catalog alone: that this is a standby, and what follows from it. */
export function standbyWarnings(catalog: PostgresCatalog): string[] {
  if (!catalog.inRecovery) return [];
  return ['this server is a hot standby: it shows the data as of the WAL it has replayed, and PostgreSQL logs each sequence '
    + `up to ${PRE_LOGGED_INCREMENTS} values ahead, so a position read here can be that far past the primary's; a sequence whose `
    + 'data lies in that gap is reported as possibly behind (never as clear). Run check on the primary to know, and realign there'];
}

/**
 * realign on a standby, its dry run too: refused before any statement of the batch is sent, so nothing is locked or
 * changed. The dry run reads only, but what it would write depends on positions the standby cannot know.
 */
export function assertWritable(catalog: PostgresCatalog): void {
  if (!catalog.inRecovery) return;
  throw new SeqsyncError('HOT_STANDBY', 'cannot realign on a hot standby: the server is in recovery and takes no writes, and the '
    + `sequence positions it shows run up to ${PRE_LOGGED_INCREMENTS} values ahead of the primary's; nothing was changed. `
    + 'Connect to the primary to realign (check works here, within those limits)');
}

/**
 * check on a standby cannot read an UNLOGGED table or sequence: the standby has no contents for either (reading
 * one fails, and after a failover both start empty). Refused naming each, before anything is read, since leaving
 * one out would let the run read as complete.
 */
export function assertReadable(catalog: PostgresCatalog): void {
  if (!catalog.inRecovery) return;
  const unlogged = catalog.sequences.flatMap((sequence) => sequence.uses.filter((use) => use.unlogged).map((use) =>
    `table ${qualifiedName(use.schema, use.table)} (sequence ${qualifiedName(sequence.schema, sequence.name)})`));
  if (unlogged.length === 0) return;
  const named = [...new Set(unlogged)];
  throw new SeqsyncError('HOT_STANDBY', `cannot check on a hot standby: ${named.slice(0, 5).join(', ')}`
    + `${named.length > 5 ? ` and ${named.length - 5} more` : ''} ${named.length === 1 ? 'is' : 'are'} UNLOGGED, or `
    + `${named.length === 1 ? 'its sequence is' : 'their sequences are'}, and a standby has no contents for unlogged tables `
    + 'and sequences. Check on the primary, or leave these tables out (exclude)');
}

/** One sequence read on a standby, judged by what the standby can know (see the comment at the top). */
export function planOnStandby(
  sequence: PostgresSequence, state: PostgresLiveState, rule: DecisionRule,
): PostgresStep & Pick<PlannedStep, 'warnings'> {
  const read = planCounter(sequence, state, rule);
  const { increment } = sequence.shape;
  const extreme = increment > 0n ? state.dataMax : state.dataMin;
  const nextValue = read.report.nextValueBefore;
  if (!state.isCalled) {
    return withReason(read, `${read.report.reason}; read on a hot standby, where a sequence not called since it was set `
      + 'shows the primary\'s position exactly');
  }
  if (extreme === null || read.report.action === 'skipped') return read;
  const { lowest, wraps } = lowestPrimaryNextValue(sequence, nextValue);
  const worst = planCounter(sequence, { ...state, lastValue: lowest - increment }, rule);
  const bound = `${increment > 0n ? 'low' : 'high'} as ${lowest}${wraps ? ' (its CYCLE wraps within that gap)' : ''}`;
  if (!isBehindData(lowest, increment, state.dataMax, state.dataMin)) {
    return withReason(worst, `${worst.report.reason}; clear for certain: on this hot standby the next value reads ${nextValue}, `
      + `and even the ${increment > 0n ? 'lowest' : 'highest'} the primary's can be, ${lowest}, is past the data`);
  }
  if (read.report.behind) {
    return withReason(worst, `${worst.report.reason}; behind for certain: on this hot standby the next value reads `
      + `${nextValue}, up to ${PRE_LOGGED_INCREMENTS} values ahead of the primary's, and even that collides`);
  }
  const possibly = `on this hot standby the next value reads ${nextValue}, but the primary's can be as ${bound}, `
    + `and data ${increment > 0n ? 'max' : 'min'} is ${extreme}`;
  const step = withReason(worst, `possibly behind: ${possibly}; check on the primary to know`);
  return {
    ...step,
    report: { ...step.report, behind: true },
    warnings: [`sequence ${sequence.schema}.${sequence.name} may be behind its data: ${possibly}; check on the primary to know`],
  };
}

/**
 * The lowest (descending: highest) next value the primary can have when the standby reads `nextValue`: 32 increments
 * back, but never before the sequence's bound. A CYCLE sequence whose gap reaches past the bound may stand at the far
 * end of its range on the primary; planning from the bound is still the worst case (`wraps`).
 */
function lowestPrimaryNextValue(sequence: PostgresSequence, nextValue: bigint): { lowest: bigint; wraps: boolean } {
  const { increment, minValue, maxValue } = sequence.shape;
  const lowest = nextValue - PRE_LOGGED_INCREMENTS * increment;
  if (increment > 0n ? lowest >= minValue : lowest <= maxValue) return { lowest, wraps: false };
  return { lowest: increment > 0n ? minValue : maxValue, wraps: sequence.cycle };
}

function withReason(step: PostgresStep, reason: string): PostgresStep {
  return { ...step, report: { ...step.report, reason } };
}

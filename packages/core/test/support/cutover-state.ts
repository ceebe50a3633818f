import type { SeqsyncError } from '../../src';
import type { TestDatabase } from '../../../../test-support/test-database';

/**
 * Every sequence of a PostgreSQL test database with its whole state — position (or `not called`), start, increment,
 * bounds, cycle — as one string each, so "nothing was changed" is one toEqual of a snapshot taken before the run.
 */
export async function sequenceStates(db: TestDatabase): Promise<Record<string, string>> {
  const rows = await db.sql<{ name: string; state: string }>(`SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name,
      pg_catalog.concat_ws(' ', COALESCE(pg_catalog.pg_sequence_last_value(c.oid)::text, 'not called'), s.seqtypid::regtype,
        s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle) AS state
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid ORDER BY 1`);
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}

/** The id an ordinary insert (every column its default) into a PostgreSQL table gets. */
export async function insertedPostgresId(db: TestDatabase, table: string): Promise<bigint> {
  const [row] = await db.sql<{ id: string }>(`INSERT INTO ${table} DEFAULT VALUES RETURNING id::text AS id`);
  return BigInt(row.id);
}

/** The SeqsyncError a run rejects with; fails the test, showing the report, if the run succeeds instead. */
export async function rejection(run: Promise<unknown>): Promise<SeqsyncError> {
  let report: unknown;
  try {
    report = await run;
  } catch (error) {
    return error as SeqsyncError;
  }
  throw new Error(`expected the run to be refused, but it finished: ${JSON.stringify(report)}`);
}

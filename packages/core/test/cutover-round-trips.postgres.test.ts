import { check, realign } from '../src';
import { startPostgresWireRelay, type PostgresWireRelay } from '../../../test-support/postgres-wire-relay';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';

/**
 * A cutover costs a constant number of round trips on each side, whatever the table count: one more than a plain run
 * on the target (the question which database it is, so a source that is the target is refused), and on the source
 * what check takes there plus that same question. Counted on the wire, through a relay in front of each database.
 */
/** Tables t<from>..t<to-1>, each filled by `fill` (a statement on table %I). */
async function tables(db: TestDatabase, from: number, to: number, fill: string): Promise<void> {
  // In slices, each its own transaction: 1,000 tables at once take most of the shared server's lock table, which the
  // suites running beside this one need too ("out of shared memory").
  for (let start = from; start < to; start += SLICE) await tableSlice(db, start, Math.min(to, start + SLICE), fill);
}

const SLICE = 200;

async function tableSlice(db: TestDatabase, from: number, to: number, fill: string): Promise<void> {
  await db.sql(`DO $$ BEGIN FOR i IN ${from}..${to - 1} LOOP
    EXECUTE format('CREATE TABLE %I (id serial PRIMARY KEY)', 't' || i);
    EXECUTE format('${fill}', 't' || i);
    EXECUTE format('DELETE FROM %I WHERE id > 10', 't' || i);
  END LOOP; END $$`);
}

describe('cutover round trips, PostgreSQL → PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let sourceWire: PostgresWireRelay;
  let targetWire: PostgresWireRelay;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase('cutover_trips_src'), createTestDatabase('cutover_trips_dst')]);
    [sourceWire, targetWire] = await Promise.all([startPostgresWireRelay(source.url), startPostgresWireRelay(target.url)]);
  });
  afterAll(async () => {
    await Promise.all([sourceWire.close(), targetWire.close()]);
    await Promise.all([source.drop(), target.drop()]);
  });

  async function measured(run: () => Promise<{ roundTrips: number; cutover?: { sourceRoundTrips: number } }>) {
    const before = { source: sourceWire.exchanges(), target: targetWire.exchanges() };
    const report = await run();
    return {
      reported: { source: report.cutover?.sourceRoundTrips, target: report.roundTrips },
      wire: { source: sourceWire.exchanges() - before.source, target: targetWire.exchanges() - before.target },
    };
  }

  it('10 tables and 1,000 take the same trips: check 3 on the target and 3 on the source, realign 4 and 3', async () => {
    // The source handed out 1..15 and deleted 11..15; the target holds the copied rows 1..10, with explicit ids.
    const setup = (from: number, to: number) => Promise.all([
      tables(source, from, to, 'INSERT INTO %I SELECT FROM pg_catalog.generate_series(1, 15)'),
      tables(target, from, to, 'INSERT INTO %I SELECT pg_catalog.generate_series(1, 10)'),
    ]);
    const options = { from: sourceWire.url };
    const both = async () => ({
      check: await measured(() => check(targetWire.url, options)), realign: await measured(() => realign(targetWire.url, options)),
    });
    await setup(0, 10);
    const small = await both();
    await setup(10, 1000);
    const large = await both();
    const expected = {
      check: { reported: { source: 3, target: 3 }, wire: { source: 3, target: 3 } },
      realign: { reported: { source: 3, target: 4 }, wire: { source: 3, target: 4 } },
    };
    expect(small).toEqual(expected);
    expect(large).toEqual(expected);
    // Every table's next insert gets the source's next id: 16 (rows 1..15 handed out, 11..15 deleted), not 6.
    const after = await check(target.url, options);
    expect(after.sequences).toHaveLength(1000);
    expect(new Set(after.sequences.map((s) => `${s.nextValueBefore}/${s.action}`))).toEqual(new Set(['16/unchanged']));
    const [{ id }] = await target.sql<{ id: number }>('INSERT INTO t999 DEFAULT VALUES RETURNING id');
    expect(id).toBe(16);
  });
});

import { check, realign } from '../src';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';

async function drifted(db: TestDatabase, count: number, from = 0): Promise<void> {
  await db.sql(`DO $$ BEGIN FOR i IN ${from + 1}..${from + count} LOOP
    EXECUTE format('CREATE TABLE %I (id serial PRIMARY KEY)', 't' || i);
    EXECUTE format('INSERT INTO %I VALUES (%s)', 't' || i, i * 10);
  END LOOP; END $$`);
}

/** Round trips are counted, not timed: batching must not silently regress to one query per table. */
describe('round trips and batches on PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase('batching'); });
  afterEach(() => db.drop());

  it('check takes 2 round trips and realign 3, for 5 tables and for 300 alike', async () => {
    await drifted(db, 5);
    const small = { check: (await check(db.url)).roundTrips, realign: (await realign(db.url)).roundTrips };
    await drifted(db, 295, 5);
    const checkLarge = await check(db.url);
    const realignLarge = await realign(db.url);
    expect(small).toEqual({ check: 2, realign: 3 });
    expect({ check: checkLarge.roundTrips, realign: realignLarge.roundTrips }).toEqual({ check: 2, realign: 3 });
    expect(realignLarge.sequences.filter((s) => s.action === 'advanced')).toHaveLength(295);
    expect(realignLarge.batches).toBe(1);
  });

  it('splits into one transaction per batch when asked, every sequence still exact', async () => {
    await drifted(db, 7);
    const report = await realign(db.url, { batchSize: 3 });
    expect(report.batches).toBe(3);
    expect(report.roundTrips).toBe(1 + 3 * 2);
    for (const sequence of report.sequences) {
      expect(sequence.nextValueAfter).toBe(BigInt(Number(sequence.uses[0].table.slice(1)) * 10 + 1));
    }
  });
});

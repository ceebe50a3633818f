import { PGlite } from '@electric-sql/pglite';
import { check, realign } from '../src';

/**
 * A PGlite Transaction (what `pglite.transaction(async (tx) => …)` hands out) is joined, as a knex trx is: seqsync
 * sees its uncommitted rows, sends no BEGIN or COMMIT of its own, and PGlite's commit or rollback decides.
 */
describe('a PGlite transaction passed to realign', () => {
  let db: PGlite;
  beforeEach(async () => {
    db = new PGlite();
    await db.exec('CREATE TABLE item (id serial PRIMARY KEY, note text)');
  });
  afterEach(async () => {
    await db.close();
  });

  const nextValue = async () => (await db.query<{ v: string }>(
    "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END::text AS v FROM item_id_seq")).rows[0].v;

  it('sees the rows the transaction inserted, and the next insert in it gets the next id', async () => {
    const ids = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO item (id) VALUES (1), (2), (7)');
      const before = await check(tx);
      const report = await realign(tx);
      const { rows } = await tx.query<{ id: number }>("INSERT INTO item (note) VALUES ('next') RETURNING id");
      return { behind: before.sequences[0].behind, action: report.sequences[0].action, batches: report.batches, id: rows[0].id };
    });
    expect(ids).toEqual({ behind: true, action: 'advanced', batches: 1, id: 8 });
    expect(await nextValue()).toBe('9');
  });

  it('is rolled back with the transaction: the sequence is where it was', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO item (id) VALUES (1), (2), (7)');
      await realign(tx);
      throw new Error('the caller changes its mind');
    })).rejects.toThrow('the caller changes its mind');
    expect(await nextValue()).toBe('1');
    expect((await db.query('SELECT count(*)::int AS n FROM item')).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a transaction already committed, naming it, and changes nothing', async () => {
    let done: Parameters<Parameters<PGlite['transaction']>[0]>[0] | null = null;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO item (id) VALUES (5)');
      done = tx;
    });
    await expect(realign(done!)).rejects.toMatchObject({ code: 'INVALID_OPTION',
      message: 'the PGlite transaction was already committed or rolled back' });
    expect(await nextValue()).toBe('1');
  });
});

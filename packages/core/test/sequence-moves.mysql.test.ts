import { check, realign } from '../src';
import { createMysqlDatabase, insertedId, type MysqlTestDatabase } from '../../../test-support/mysql-database';

/**
 * A MariaDB SEQUENCE counts as moved only when SETVAL proved it was behind: SETVAL(seq, n, 0) also answers n when the
 * sequence already stood at n, so a second realign must report unchanged, with the next value it proved.
 */
describe('MariaDB sequences realigned twice', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('seq_moves'); });
  afterEach(() => db.drop());

  it('the second realign moves none of 10 sequences, and its next value before is what the next insert gets', async () => {
    const tables = Array.from({ length: 10 }, (_, i) => i + 10);
    // s10..s14 were never used (nothing cached); s15..s19 handed out 1..3 from a cached block, then got explicit ids.
    await db.sql(tables.map((i) => `CREATE SEQUENCE s${i}; CREATE TABLE t${i} (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR s${i});
      ${i >= 15 ? `INSERT INTO t${i} () VALUES (), (), ();` : ''} INSERT INTO t${i} (id) VALUES (${10 * i});`).join('\n'));
    const first = await realign(db.url);
    expect(first.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]))
      .toEqual(tables.map((i) => [`s${i}`, 'advanced', BigInt(10 * i + 1)]));
    const second = await realign(db.url);
    expect(second.sequences.map((s) => [s.sequence, s.action, s.behind, s.nextValueBefore, s.nextValueAfter]))
      .toEqual(tables.map((i) => [`s${i}`, 'unchanged', false, BigInt(10 * i + 1), BigInt(10 * i + 1)]));
    for (const i of tables) expect(await insertedId(db, `t${i}`)).toBe(BigInt(10 * i + 1));
  });

  it('a cached sequence behind the data reports where it may have stood, and moves to exactly MAX+1', async () => {
    await db.sql(`CREATE SEQUENCE s; CREATE TABLE t (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
      INSERT INTO t () VALUES (), (), (); INSERT INTO t (id) VALUES (4), (5), (6);`);
    const checked = (await check(db.url)).sequences[0];
    // next_not_cached_value is 1001: the next value lies in the cached block 1..1001, which cannot be read without taking one.
    expect(checked).toMatchObject({ nextValueBefore: 1n, behind: false, action: 'would_advance', nextValueAfter: 7n });
    expect(checked.reason).toContain('the next one lies between 1 and 1001');
    const realigned = (await realign(db.url)).sequences[0];
    expect(realigned).toMatchObject({ action: 'advanced', nextValueBefore: 1n, nextValueAfter: 7n });
    expect(realigned.reason).toBe('the sequence stood behind 7, somewhere in its cached block from 1; SETVAL moved it to 7');
    expect(await insertedId(db, 't')).toBe(7n);
  });
});

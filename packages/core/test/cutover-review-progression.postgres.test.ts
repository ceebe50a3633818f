import { realign } from '../src';
import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';

/*
 * Review of cutover (from): a target whose sequence hands out one node's share of an interleaved key space
 * (START 2 INCREMENT 2: even ids; the other node takes the odd ones). sequence-math's nextValueAfterData keeps a
 * realign on that progression ("max + increment would hand out another node's values"); the source's position must be
 * rounded onto it the same way.
 */
describe('cutover review: the required value stays on the target\'s own progression', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeEach(async () => {
    [source, target] = await Promise.all([createTestDatabase('rv_prog_src'), createTestDatabase('rv_prog_dst')]);
    // The source handed out 1..100: its next value is 101.
    await source.sql(`CREATE TABLE items (id serial PRIMARY KEY); SELECT setval('items_id_seq', 100)`);
    await target.sql(`CREATE TABLE items (id bigint PRIMARY KEY);
      CREATE SEQUENCE items_id_seq START 2 INCREMENT 2 OWNED BY items.id;
      ALTER TABLE items ALTER id SET DEFAULT nextval('items_id_seq');
      INSERT INTO items VALUES (2), (4)`);
  });
  afterEach(() => Promise.all([source.drop(), target.drop()]));

  it('source next 101 into an even-only sequence (START 2 INCREMENT 2): the next insert gets 102, never the odd 101', async () => {
    const report = await realign(target.url, { from: source.url });
    expect(report.sequences[0]).toEqual(expect.objectContaining({ nextValueAfter: 102n, action: 'advanced' }));
    expect(await nextValue(target, 'items_id_seq')).toBe(102n);
    const [inserted] = await target.sql<{ id: string }>('INSERT INTO items DEFAULT VALUES RETURNING id::text');
    expect(BigInt(inserted.id) % 2n).toBe(0n);
  });

  it('margin 3 counts from the first even value past the source: 102 + 3 × 2 = 108', async () => {
    const report = await realign(target.url, { from: source.url, margin: 3 });
    expect(report.sequences[0]?.nextValueAfter).toBe(108n);
    expect(await nextValue(target, 'items_id_seq')).toBe(108n);
  });
});

import { check, realign } from '../src';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { quoteIdent } from '../src/dialects/postgres/postgres-sql';

/** Names that break hand-written setval scripts: each is realigned exactly and none reaches SQL unquoted. */
const HOSTILE = [
  `we"ird; DROP TABLE canary; --`,
  `it's`,
  'back\\slash',
  'select',
  'Mixed Case',
  '$$dollar$$',
  'ünïcødé',
  'x'.repeat(63),
];

describe('hostile identifiers on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('hostile');
    await db.sql('CREATE TABLE canary (id int)');
    await db.sql(`CREATE SCHEMA ${quoteIdent('sch"; DROP TABLE canary; --')}`);
    for (const [index, name] of HOSTILE.entries()) {
      const schema = index % 2 === 0 ? 'public' : 'sch"; DROP TABLE canary; --';
      const table = `${quoteIdent(schema)}.${quoteIdent(name)}`;
      await db.sql(`CREATE TABLE ${table} (${quoteIdent(`${name} id`.slice(0, 63))} serial PRIMARY KEY)`);
      await db.sql(`INSERT INTO ${table} VALUES (${100 + index})`);
    }
  });
  afterAll(() => db.drop());

  it('realigns every sequence to exactly one past its data', async () => {
    const report = await realign(db.url, {
      tables: HOSTILE.map((name, index) =>
        (index % 2 === 0 ? quoteIdent(name) : `${quoteIdent('sch"; DROP TABLE canary; --')}.${quoteIdent(name)}`)),
    });
    expect(report.sequences).toHaveLength(HOSTILE.length);
    for (const [index, name] of HOSTILE.entries()) {
      const sequence = report.sequences.find((s) => s.uses[0].table === name);
      expect(sequence).toMatchObject({ action: 'advanced', nextValueAfter: BigInt(101 + index) });
    }
    for (const [index, name] of HOSTILE.entries()) {
      const schema = index % 2 === 0 ? 'public' : 'sch"; DROP TABLE canary; --';
      const column = quoteIdent(`${name} id`.slice(0, 63));
      const [row] = await db.sql<{ id: number }>(
        `INSERT INTO ${quoteIdent(schema)}.${quoteIdent(name)} DEFAULT VALUES RETURNING ${column} AS id`);
      expect(row.id).toBe(101 + index);
    }
    expect(await db.sql(`SELECT count(*)::int AS n FROM canary`)).toEqual([{ n: 0 }]);
  });

  it('tells User and user apart', async () => {
    await db.sql(`CREATE TABLE "User" (id serial PRIMARY KEY); CREATE TABLE "user" (id serial PRIMARY KEY);
      INSERT INTO "User" VALUES (50); INSERT INTO "user" VALUES (5);`);
    const report = await realign(db.url, { tables: ['User'] });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['User_id_seq', 51n]]);
    expect((await check(db.url, { tables: ['user'] })).sequences[0]).toMatchObject({ behind: true, nextValueAfter: 6n });
  });
});

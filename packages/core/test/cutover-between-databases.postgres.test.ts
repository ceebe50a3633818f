import { Client } from 'pg';
import { check, realign, type Report, type SequenceReport } from '../src';
import { createTestDatabase, type TestDatabase } from '../../../test-support/test-database';
import { seqsync } from '../../cli/test/cli-run';
import { insertedPostgresId, sequenceStates } from './support/cutover-state';

/*
 * Cutover from a logical replication publisher to its subscriber, both PostgreSQL (two databases of the one test
 * server, so the version matrix runs it on every embedded version): rows are replicated, sequences are not.
 */

/** The same tables on both sides; the publisher's counters stand well past its data, the subscriber's at their start. */
const TABLES = `CREATE SCHEMA a; CREATE SCHEMA b;
  CREATE TABLE a.users (id serial PRIMARY KEY, name text); CREATE TABLE b.users (id serial PRIMARY KEY, name text);
  CREATE TABLE public.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);`;
const PUBLISHER = `${TABLES}
  INSERT INTO a.users (id) SELECT pg_catalog.generate_series(1, 10); SELECT pg_catalog.setval('a.users_id_seq', 999);
  INSERT INTO b.users (id) SELECT pg_catalog.generate_series(1, 10); SELECT pg_catalog.setval('b.users_id_seq', 299);
  INSERT INTO orders (note) SELECT 'o' FROM pg_catalog.generate_series(1, 41); DELETE FROM orders WHERE id > 30;`;
/** What the subscriber holds after the initial copy: the rows, applied with their ids, and none of the positions. */
const SUBSCRIBER = `${TABLES}
  INSERT INTO a.users (id) SELECT pg_catalog.generate_series(1, 10); INSERT INTO b.users (id) SELECT pg_catalog.generate_series(1, 10);
  INSERT INTO orders (id, note) OVERRIDING SYSTEM VALUE SELECT g, 'o' FROM pg_catalog.generate_series(1, 30) g;`;

function counter(report: Report, schema: string, sequence: string): SequenceReport {
  const found = report.sequences.find((s) => s.schema === schema && s.sequence === sequence);
  if (found === undefined) throw new Error(`no counter ${schema}.${sequence} in the report`);
  return found;
}

/** The URL with a password: the server trusts 127.0.0.1, so it is never asked for, but a report must not print it. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = 'hunter2';
  return parsed.href;
}

describe('cutover from a PostgreSQL publisher to its subscriber', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeEach(async () => {
    [source, target] = await Promise.all([createTestDatabase('cutover_publisher'), createTestDatabase('cutover_subscriber')]);
    await Promise.all([source.sql(PUBLISHER), target.sql(SUBSCRIBER)]);
  });
  afterEach(() => Promise.all([source.drop(), target.drop()]));

  it('each counter is matched by schema, table and column (a.users → 1000, b.users → 300, orders → 42), plus margin 10 '
    + 'steps; the publisher is only read', async () => {
    const publisher = await sequenceStates(source);
    const from = withPassword(source.url);
    const planned = await check(target.url, { from });
    expect(planned.sequences.map((s) => [s.schema, s.sequence, s.behind, s.nextValueAfter, s.cutover?.sourceCounter]))
      .toEqual([
        ['a', 'users_id_seq', true, 1000n, 'a.users_id_seq'],
        ['b', 'users_id_seq', true, 300n, 'b.users_id_seq'],
        ['public', 'orders_id_seq', true, 42n, 'public.orders_id_seq'],
      ]);

    const report = await realign(target.url, { from, margin: 10 });
    expect(counter(report, 'a', 'users_id_seq')).toMatchObject({ action: 'advanced', nextValueBefore: 1n, nextValueAfter: 1010n,
      cutover: { sourceCounter: 'a.users_id_seq', sourceNextValue: 1000n, margin: 10, requiredNextValue: 1010n, decidedBy: 'source' } });
    expect(counter(report, 'b', 'users_id_seq')).toMatchObject({ nextValueAfter: 310n,
      cutover: { sourceNextValue: 300n, requiredNextValue: 310n, decidedBy: 'source' } });
    expect(counter(report, 'public', 'orders_id_seq')).toMatchObject({ dataMax: 30n, nextValueAfter: 52n,
      cutover: { sourceNextValue: 42n, requiredNextValue: 52n, decidedBy: 'source' } });
    expect(report.cutover).toMatchObject({ source: expect.stringContaining(source.name), unmatchedSource: [], unmatchedTarget: [] });
    expect(report.cutover?.source).not.toContain('hunter2');

    expect([await insertedPostgresId(target, 'a.users'), await insertedPostgresId(target, 'b.users'),
      await insertedPostgresId(target, 'orders')]).toEqual([1010n, 310n, 52n]);
    expect(await sequenceStates(source)).toEqual(publisher);
    expect((await check(target.url, { from, margin: 10 })).sequences.map((s) => [s.behind, s.action]))
      .toEqual([[false, 'unchanged'], [false, 'unchanged'], [false, 'unchanged']]);
  });

  it('with schemas on both sides there is no match across schemas: public.users and app.users are each listed unmatched, '
    + 'and the target\'s counter is decided by its data alone', async () => {
    await source.sql(`CREATE TABLE public.users (id serial PRIMARY KEY); SELECT pg_catalog.setval('users_id_seq', 700);`);
    await target.sql(`CREATE SCHEMA app; CREATE TABLE app.users (id serial PRIMARY KEY);
      INSERT INTO app.users SELECT pg_catalog.generate_series(1, 5);`);
    const report = await realign(target.url, { from: source.url });
    expect(counter(report, 'app', 'users_id_seq')).toMatchObject({ nextValueAfter: 6n, action: 'advanced',
      cutover: { sourceCounter: null, sourceNextValue: null, decidedBy: 'data' } });
    expect(report.cutover).toMatchObject({ unmatchedSource: ['public.users.id'], unmatchedTarget: ['app.users.id'] });
    expect(await insertedPostgresId(target, 'app.users')).toBe(6n);
  });

  it('a publisher counter behind its own data counts from its data (81), a descending one from its lowest (-101); margin 3 '
    + 'steps the way each counts; a connection the caller passes as the source is left open', async () => {
    await source.sql(`CREATE TABLE behind (id serial PRIMARY KEY); INSERT INTO behind SELECT pg_catalog.generate_series(1, 80);
      CREATE SEQUENCE down_seq INCREMENT -1 MINVALUE -1000 MAXVALUE -1 START -1; SELECT pg_catalog.setval('down_seq', -100);
      CREATE TABLE down (id integer PRIMARY KEY DEFAULT pg_catalog.nextval('down_seq'));`);
    await target.sql(`CREATE TABLE behind (id serial PRIMARY KEY); INSERT INTO behind SELECT pg_catalog.generate_series(1, 10);
      CREATE SEQUENCE down_seq INCREMENT -1 MINVALUE -1000 MAXVALUE -1 START -1;
      CREATE TABLE down (id integer PRIMARY KEY DEFAULT pg_catalog.nextval('down_seq')); INSERT INTO down VALUES (-1), (-2);`);
    const connection = new Client({ connectionString: source.url });
    await connection.connect();
    try {
      const report = await realign(target.url, { from: connection, margin: 3, tables: ['behind', 'down'] });
      expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter, s.cutover?.sourceNextValue, s.cutover?.requiredNextValue]))
        .toEqual([['behind_id_seq', 84n, 81n, 84n], ['down_seq', -104n, -101n, -104n]]);
      expect(report.cutover?.source).toMatch(/postgres/i);
      expect(await connection.query('SELECT 1 AS open')).toMatchObject({ rows: [{ open: 1 }] });
    } finally {
      await connection.end();
    }
    expect([await insertedPostgresId(target, 'behind'), await insertedPostgresId(target, 'down')]).toEqual([84n, -104n]);
  });

  it('the CLI: check --from exits 1 while behind, realign --from --margin 10 exits 0 and prints the evidence as JSON, '
    + 'check --from then exits 0', async () => {
    expect(seqsync(['check', '--url', target.url, '--from', source.url]).code).toBe(1);
    const result = seqsync(['realign', '--json', '--url', target.url, '--from', source.url, '--margin', '10']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as { sequences: { schema: string; sequence: string; nextValueAfter: string;
      cutover: { sourceNextValue: string; requiredNextValue: string; margin: number } }[] };
    expect(json.sequences.map(({ schema, nextValueAfter, cutover }) =>
      [schema, nextValueAfter, cutover.sourceNextValue, cutover.requiredNextValue, cutover.margin]))
      .toEqual([['a', '1010', '1000', '1010', 10], ['b', '310', '300', '310', 10], ['public', '52', '42', '52', 10]]);
    const after = seqsync(['check', '--url', target.url, '--from', source.url]);
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await insertedPostgresId(target, 'a.users')).toBe(1010n);
  });
});

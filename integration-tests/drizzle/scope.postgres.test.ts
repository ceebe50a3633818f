import { sql } from 'drizzle-orm';
import { pgSchema, pgTable, serial } from 'drizzle-orm/pg-core';
import { checkSequences, realignSequences } from '@seqsync/drizzle';
import { nextValue, PG_DRIVERS, schema, type PgDriver, type PgHarness } from './support/pg-drivers';

const { users } = schema;

/**
 * A pgTable without a pgSchema is the table Drizzle's own queries reach: the first of that name on the connection's
 * search_path. A table of the same name in another schema (an archive, another tenant) is not the schema's, and is
 * neither read, locked nor written.
 */
describe.each<PgDriver>(PG_DRIVERS)('the scope of a pgTable without a pgSchema, through $name', (driver) => {
  let harness: PgHarness;

  beforeAll(async () => {
    harness = await driver.open('drizzle_scope');
  });
  beforeEach(async () => {
    await harness.recreate();
    await harness.sql(`DROP SCHEMA IF EXISTS archive CASCADE; CREATE SCHEMA archive;
      CREATE TABLE archive.users (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'x', mood public.mood);
      INSERT INTO archive.users (id) VALUES (50), (60);
      CREATE TABLE archive.ghosts (id serial PRIMARY KEY); INSERT INTO archive.ghosts VALUES (70)`);
  });
  afterAll(() => harness.close());

  it('realigns public.users, the table db.insert(users) writes, and leaves archive.users as it was, in reset mode too', async () => {
    await harness.db.insert(users).values([{ id: 1 }, { id: 2 }]);

    const checked = await checkSequences(harness.db, { mode: 'reset' });
    const report = await realignSequences(harness.db, { mode: 'reset' });

    expect(checked.sequences.map((s) => `${s.schema}.${s.sequence}`)).not.toContain('archive.users_id_seq');
    expect(report.sequences.filter((s) => s.sequence === 'users_id_seq').map((s) => [s.schema, s.action, s.nextValueAfter]))
      .toEqual([['public', 'advanced', 3n]]);
    expect(report.statements.join('\n')).not.toContain('"archive"');
    expect(await nextValue(harness, 'archive.users_id_seq')).toBe(1n);
    const [user] = await harness.db.insert(users).values({ name: 'Linus' }).returning();
    expect(user.id).toBe(3);
  });

  it('follows the search_path as Drizzle does: with archive first on it, archive.users is the one realigned', async () => {
    const inserted = await harness.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL search_path = archive, public`);
      const report = await realignSequences(tx, { tables: [users] });
      expect(report.sequences.map((s) => [s.schema, s.sequence, s.nextValueAfter])).toEqual([['archive', 'users_id_seq', 61n]]);
      const [user] = await tx.insert(users).values({ name: 'Linus' }).returning({ id: users.id });
      return user.id;
    });

    expect(inserted).toBe(61);
    expect(await nextValue(harness, 'public.users_id_seq')).toBe(1n);
  });

  it('a signal aborted before the run: INTERRUPTED before the catalog was read, nothing changed', async () => {
    const interrupt = new AbortController();
    interrupt.abort('SIGTERM');

    await expect(realignSequences(harness.db, { signal: interrupt.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED', message: 'interrupted by SIGTERM before the catalog was read; nothing was changed',
    });
  });

  it('hostile names: a pgSchema named like a reserved word, tables with quotes, dots and unicode, an explicit column name '
    + 'under casing snake_case', async () => {
    await harness.sql(`DROP SCHEMA IF EXISTS "user" CASCADE; CREATE SCHEMA "user";
      CREATE TABLE "user"."Order.Items ""x"" ✓" ("Line ID" serial PRIMARY KEY); INSERT INTO "user"."Order.Items ""x"" ✓" VALUES (5);
      CREATE TABLE public."we""ird.na me ✓" (line_no serial PRIMARY KEY); INSERT INTO public."we""ird.na me ✓" VALUES (8);
      CREATE TABLE archive."we""ird.na me ✓" (line_no serial PRIMARY KEY)`);
    const orderItems = pgSchema('user').table('Order.Items "x" ✓', { lineId: serial('Line ID').primaryKey() });
    const weird = pgTable('we"ird.na me ✓', { lineNo: serial().primaryKey() });

    const report = await realignSequences(harness.db, { schema: { orderItems, weird } });

    expect(report.schemaTables.map((t) => [t.schema, t.table, t.columns[0].column])).toEqual([
      ['user', 'Order.Items "x" ✓', 'Line ID'], [null, 'we"ird.na me ✓', 'line_no'],
    ]);
    expect(report.sequences.map((s) => [s.schema, s.uses[0].table, s.uses[0].column, s.nextValueAfter])).toEqual([
      ['public', 'we"ird.na me ✓', 'line_no', 9n], ['user', 'Order.Items "x" ✓', 'Line ID', 6n],
    ]);
    const [item] = await harness.db.insert(orderItems).values({}).returning();
    const [row] = await harness.db.insert(weird).values({}).returning();
    expect([item.lineId, row.lineNo]).toEqual([6, 9]);
    await harness.sql('DROP SCHEMA "user" CASCADE');
  });

  it('a schema table the search_path does not reach is unknown, named where Drizzle would look, and nothing is changed', async () => {
    const ghosts = pgTable('ghosts', { id: serial().primaryKey() });

    await expect(realignSequences(harness.db, { schema: { ghosts } })).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE', message: 'unknown table "public.ghosts": no such table in the database',
    });
    expect(await nextValue(harness, 'archive.ghosts_id_seq')).toBe(1n);
  });
});

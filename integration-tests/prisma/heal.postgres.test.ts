import type { TestDatabase } from '../../test-support/test-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { PrismaHealCause, Report } from '@seqsync/prisma';
import { healAttemptOf, realignSequencesExtension } from '@seqsync/prisma';
import { createTestDatabase, nextValue } from '../../test-support/test-database';
import { applyMigrations, expectDuplicateKey, preparePrismaProject, resetTables } from './support/prisma-project';

/** realignSequencesExtension({ heal: true }) on the generated client, against real PostgreSQL. */
describe('realignSequencesExtension({ heal: true })', () => {
  let db: TestDatabase;
  let project: PrismaProject;
  let base: TestPrismaClient;
  let plain: TestPrismaClient;
  let healing: TestPrismaClient;
  const heals: { report: Report; cause: PrismaHealCause }[] = [];
  const userSequence = '"public"."User_id_seq"';

  beforeAll(async () => {
    db = await createTestDatabase('prisma_heal');
    project = await preparePrismaProject('heal', db);
    await applyMigrations(db);
    base = project.newClient();
    plain = base.$extends(realignSequencesExtension({ metadata: project.metadata() }));
    healing = base.$extends(realignSequencesExtension({
      metadata: project.metadata(), heal: true, onHeal: (report, cause) => heals.push({ report, cause }),
    }));
  });
  afterAll(async () => {
    await base?.$disconnect();
    await project?.remove();
    await db?.drop();
  });
  // "User" rows 1..30 imported with explicit ids behind Prisma's back: User_id_seq still hands out 1.
  beforeEach(async () => {
    await resetTables(db);
    await db.sql(`INSERT INTO "User" (id, email) SELECT i, 'user' || i || '@example.com' FROM generate_series(1, 30) AS i`);
    heals.length = 0;
  });

  test('a plain create() without an id succeeds on the first call with exactly MAX+1; with heal off it fails with P2002', async () => {
    await expectDuplicateKey(plain.user.create({ data: { email: 'plain@example.com' } }), 'User_pkey');

    expect((await healing.user.create({ data: { email: 'new@example.com' } })).id).toBe(31);
    expect(heals.map((h) => h.cause)).toEqual([{ table: 'public.User', operation: 'create', model: 'User' }]);
    expect(heals[0].report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([['User_id_seq', 'advanced', 31n]]);
  });

  test('an explicit duplicate id fails with the original P2002 and nothing is realigned', async () => {
    await expectDuplicateKey(healing.user.create({ data: { id: 5, email: 'five@example.com' } }), 'User_pkey');
    await expectDuplicateKey(healing.user.createMany({ data: [{ id: 31, email: 'a@example.com' }, { id: 6, email: 'b@example.com' }] }),
      'User_pkey');

    expect(heals).toEqual([]);
    expect(await nextValue(db, userSequence)).toBe(1n);
  });

  test('a duplicate on the unique email fails with its P2002 and nothing is realigned', async () => {
    await db.sql(`SELECT pg_catalog.setval('"User_id_seq"', 30)`);
    const error = await healing.user.create({ data: { email: 'user1@example.com' } }).then(() => null, (e: unknown) => e);

    expect(error).toMatchObject({ code: 'P2002', meta: { driverAdapterError: { cause: { constraint: { index: 'User_email_key' } } } } });
    expect(healAttemptOf(error)).toBeUndefined();
    expect(heals).toEqual([]);
    // The failed create took 31; nothing moved the sequence further.
    expect(await nextValue(db, userSequence)).toBe(32n);
  });

  test('20 concurrent creates failing on one table all succeed after exactly one realign', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => healing.user.create({ data: { email: `c${i}@example.com` } })));

    expect(users.map((u) => Number(u.id)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
    expect(heals).toHaveLength(1);
    expect(await nextValue(db, userSequence)).toBe(51n);
  });

  test('a nested create heals the nested model\'s table, whose key it left to the sequence', async () => {
    await db.sql(`SELECT pg_catalog.setval('"User_id_seq"', 30);
      INSERT INTO blog_posts (post_id, title, author_id) SELECT i, 'imported', 1 FROM generate_series(1, 5) AS i`);
    const user = await healing.user.create({ data: { email: 'nested@example.com', posts: { create: [{ title: 'New' }] } } });

    expect(heals.map((h) => h.cause)).toEqual([{ table: 'public.blog_posts', operation: 'create', model: 'User' }]);
    const posts = await base.blogPost.count({ where: { authorId: user.id } });
    expect(posts).toBe(1);
    expect(await nextValue(db, '"public"."blog_posts_post_id_seq"')).toBe(7n);
  });

  test('inside an interactive $transaction: not retried, the original P2002 with a check of what realign would do', async () => {
    const error = await healing.$transaction(async (tx) => tx.user.create({ data: { email: 'tx@example.com' } }))
      .then(() => null, (e: unknown) => e);

    expect(error).toMatchObject({ code: 'P2002' });
    const attempt = healAttemptOf(error);
    expect(attempt).toMatchObject({ outcome: 'not-retried', retried: false, table: 'public.User', column: 'id' });
    expect(attempt?.report?.sequences.map((s) => [s.sequence, s.action, s.nextValueBefore, s.nextValueAfter]))
      .toEqual([['User_id_seq', 'would_advance', 2n, 31n]]);
    expect(attempt?.note).toMatch(/inside a transaction.*Realign public\.User and run the transaction again/);
    expect(heals).toEqual([]);
    expect(await nextValue(db, userSequence)).toBe(2n);
  });
});

import type { TestDatabase } from '../../test-support/test-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { SequencesReport } from '@seqsync/prisma';
import { realignSequencesExtension } from '@seqsync/prisma';
import { createTestDatabase, nextValue } from '../../test-support/test-database';
import { applyMigrations, preparePrismaProject, resetTables } from './support/prisma-project';

/** prisma.$extends(realignSequencesExtension(…)) on the generated client, against real PostgreSQL. */
describe('realignSequencesExtension', () => {
  let db: TestDatabase;
  let project: PrismaProject;
  let base: TestPrismaClient;
  let prisma: TestPrismaClient;
  const queries: string[] = [];
  const realigns: { cause: { model: string; operation: string }; report: SequencesReport }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('prisma_extension');
    project = await preparePrismaProject('extension', db);
    await applyMigrations(db);
    base = project.newClient({ logQueries: true });
    base.$on('query', (event) => queries.push(event.query));
    prisma = base.$extends(realignSequencesExtension({
      metadata: project.metadata(),
      onReport: (report, cause) => realigns.push({ cause, report }),
    }));
  });

  afterAll(async () => {
    await base?.$disconnect();
    await project?.remove();
    await db?.drop();
  });

  beforeEach(async () => {
    await resetTables(db);
    queries.length = 0;
    realigns.length = 0;
  });

  test('createMany with explicit ids realigns that table: the next plain create() gets exactly max(id) + 1', async () => {
    await prisma.user.createMany({
      data: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }, { id: 3, email: 'c@example.com' }],
    });

    expect((await base.user.create({ data: { email: 'd@example.com' } })).id).toBe(4);
    expect(realigns.map((r) => r.cause)).toEqual([{ model: 'User', operation: 'createMany' }]);
  });

  test('createManyAndReturn with explicit ids on a @@map/@map table realigns blog_posts', async () => {
    await prisma.user.create({ data: { email: 'author@example.com' } });
    await prisma.blogPost.createManyAndReturn({
      data: [{ postId: 1, title: 'One', authorId: 1 }, { postId: 2, title: 'Two', authorId: 1 }],
    });

    expect((await base.blogPost.create({ data: { title: 'Three', authorId: 1 } })).postId).toBe(3);
  });

  test('create with an explicit id in the second schema, and upsert creating with an explicit BigInt id', async () => {
    await prisma.invoice.create({ data: { id: 1, number: 'INV-1' } });
    await prisma.auditEvent.upsert({ where: { id: 9007199254740993n }, create: { id: 9007199254740993n, kind: 'import' }, update: {} });

    expect((await base.invoice.create({ data: { number: 'INV-2' } })).id).toBe(2);
    expect((await base.auditEvent.create({ data: { kind: 'next' } })).id).toBe(9007199254740994n);
  });

  test('an ordinary create() costs nothing: the same single INSERT as without the extension, and no realign', async () => {
    await base.user.create({ data: { email: 'plain@example.com' } });
    const withoutExtension = queries.splice(0);

    await prisma.user.create({ data: { email: 'extended@example.com' } });
    const withExtension = queries.splice(0);

    expect(withoutExtension).toHaveLength(1);
    expect(withExtension).toEqual(withoutExtension);
    expect(realigns).toEqual([]);
  });

  test('only the table that got explicit ids: User realigned, a behind blog_posts sequence left as it is', async () => {
    await base.user.create({ data: { email: 'author@example.com' } });
    await base.blogPost.createMany({ data: [{ postId: 1, title: 'Imported', authorId: 1 }] });

    await prisma.user.createMany({ data: [{ id: 10, email: 'ten@example.com' }] });

    expect(realigns).toHaveLength(1);
    expect(realigns[0].report.sequences.map((s) => s.sequence)).toEqual(['User_id_seq']);
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(11n);
    expect(await nextValue(db, '"public"."blog_posts_post_id_seq"')).toBe(1n);
  });

  test('a nested create with an explicit id realigns the nested model\'s table only', async () => {
    await prisma.user.create({ data: { email: 'nested@example.com', posts: { create: [{ postId: 5, title: 'Nested' }] } } });

    expect(realigns.map((r) => r.report.sequences.map((s) => s.sequence))).toEqual([['blog_posts_post_id_seq']]);
    expect(await nextValue(db, '"public"."blog_posts_post_id_seq"')).toBe(6n);
  });

  test('composite and String keys never trigger a realign', async () => {
    await prisma.membership.createMany({ data: [{ userId: 1, groupId: 1 }] });
    await prisma.tag.createMany({ data: [{ slug: 'prisma' }] });
    await prisma.document.create({ data: { id: '0b8e7d1c-4f1a-4c2e-9d3b-5a6f7e8d9c0b', title: 'Charter' } });

    expect(realigns).toEqual([]);
  });

  test('inside an interactive $transaction the realign joins it: the next create() in the same transaction gets max(id) + 1', async () => {
    const ids = await prisma.$transaction(async (tx) => {
      await tx.user.createMany({ data: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] });
      return (await tx.user.create({ data: { email: 'c@example.com' } })).id;
    });

    expect(ids).toBe(3);
    expect((await base.user.create({ data: { email: 'd@example.com' } })).id).toBe(4);
  });

  test('in a batch $transaction([...]) the realign runs once the batch committed', async () => {
    await prisma.$transaction([prisma.user.createMany({ data: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] })]);

    expect((await base.user.create({ data: { email: 'c@example.com' } })).id).toBe(3);
  });

  test('without metadata it refuses to be built, naming the generator to add', () => {
    expect(() => realignSequencesExtension({} as never)).toThrow(/generator seqsync/);
  });
});

import type { TestDatabase } from '../../test-support/test-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { PrismaSchemaMetadata } from '@seqsync/prisma';
import { Client } from 'pg';
import { checkSequences, fromPrismaClient, realignSequences } from '@seqsync/prisma';
import { createTestDatabase, nextValue } from '../../test-support/test-database';
import { applyMigrations, expectDuplicateKey, preparePrismaProject, resetTables } from './support/prisma-project';
import { seedExplicitIds } from './project/seed-data';

/** realignSequences / checkSequences through the generated client's own connection (@prisma/adapter-pg). */
describe('realignSequences and checkSequences on a Prisma 7 client', () => {
  let db: TestDatabase;
  let project: PrismaProject;
  let prisma: TestPrismaClient;
  let metadata: PrismaSchemaMetadata;

  beforeAll(async () => {
    db = await createTestDatabase('prisma_api');
    project = await preparePrismaProject('api', db);
    await applyMigrations(db);
    prisma = project.newClient();
    metadata = project.metadata();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await project?.remove();
    await db?.drop();
  });

  beforeEach(() => resetTables(db));

  test('before: explicit-id createMany leaves "User" behind and the next create() fails with P2002 on User_pkey', async () => {
    await seedExplicitIds(prisma);

    await expectDuplicateKey(prisma.user.create({ data: { email: 'new@example.com' } }), 'User_pkey');
    await expectDuplicateKey(prisma.blogPost.create({ data: { title: 'New', authorId: 1 } }), 'blog_posts_pkey');
  });

  test('after realignSequences the next create() gets exactly max(id) + 1: PascalCase, @@map/@map, second schema, BigInt', async () => {
    await seedExplicitIds(prisma);

    const report = await realignSequences(prisma, { metadata });

    expect(report.sequences.map((s) => [`${s.schema}.${s.sequence}`, s.action, s.nextValueAfter])).toEqual([
      ['billing.Invoice_id_seq', 'advanced', 501n],
      ['public.User_id_seq', 'advanced', 4n],
      ['public.audit_events_id_seq', 'advanced', 9007199254740994n],
      ['public.blog_posts_post_id_seq', 'advanced', 3n],
    ]);
    expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(4);
    expect((await prisma.blogPost.create({ data: { title: 'New', authorId: 1 } })).postId).toBe(3);
    expect((await prisma.invoice.create({ data: { number: 'INV-NEW' } })).id).toBe(501);
    expect((await prisma.auditEvent.create({ data: { kind: 'new' } })).id).toBe(9007199254740994n);
  });

  test('JSON.stringify(report) writes the bigints as strings and keeps skipped and metadataSource', async () => {
    await seedExplicitIds(prisma);

    const report = JSON.parse(JSON.stringify(await checkSequences(prisma, { metadata, models: ['AuditEvent', 'Tag'] }))) as {
      sequences: { nextValueBefore: string; nextValueAfter: string }[];
      skipped: { model: string }[];
      metadataSource: string;
    };

    expect(report.sequences.map((s) => [s.nextValueBefore, s.nextValueAfter])).toEqual([['1', '9007199254740994']]);
    expect(report.skipped.map((m) => m.model)).toEqual(['Tag']);
    expect(report.metadataSource).toBe('metadata');
  });

  test('composite, String and UUID ids are reported as skipped, each with its reason', async () => {
    const report = await realignSequences(prisma, { metadata });

    expect(report.skipped).toEqual([
      { model: 'Membership', table: 'memberships', schema: 'public', reason: 'composite primary key (userId, groupId) has no sequence' },
      {
        model: 'Tag',
        table: 'Tag',
        schema: 'public',
        reason: 'String id "slug" has no @default: the application supplies every value, no sequence',
      },
      { model: 'Document', table: 'Document', schema: 'public', reason: 'String id "id" defaults to uuid(): no sequence' },
    ]);
    expect(report.metadataSource).toBe('metadata');
  });

  test('checkSequences reports the behind sequences and what realign would do, and writes nothing', async () => {
    await seedExplicitIds(prisma);

    const report = await checkSequences(prisma, { metadata });

    expect(report.dryRun).toBe(true);
    expect(report.sequences.filter((s) => s.behind).map((s) => s.sequence)).toEqual([
      'Invoice_id_seq',
      'User_id_seq',
      'audit_events_id_seq',
      'blog_posts_post_id_seq',
    ]);
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);
    expect(await nextValue(db, '"billing"."Invoice_id_seq"')).toBe(1n);
  });

  test('only the models\' tables: a behind sequence on a table outside the schema stays unless allTables is set', async () => {
    await db.sql('CREATE TABLE IF NOT EXISTS legacy_counters (id serial PRIMARY KEY)');
    await db.sql('TRUNCATE legacy_counters RESTART IDENTITY');
    await db.sql('INSERT INTO legacy_counters (id) VALUES (40)');

    await realignSequences(prisma, { metadata });
    expect(await nextValue(db, '"public"."legacy_counters_id_seq"')).toBe(1n);

    await realignSequences(prisma, { metadata, allTables: true });
    expect(await nextValue(db, '"public"."legacy_counters_id_seq"')).toBe(41n);
  });

  test('`models` narrows the run to the named Prisma models', async () => {
    await seedExplicitIds(prisma);

    const report = await realignSequences(prisma, { metadata, models: ['BlogPost'] });

    expect(report.sequences.map((s) => s.sequence)).toEqual(['blog_posts_post_id_seq']);
    expect(await nextValue(db, '"public"."blog_posts_post_id_seq"')).toBe(3n);
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);
  });

  test('without generator metadata, the client\'s data model names the tables; '
    + 'keyless tables are skipped with a generic reason', async () => {
    await seedExplicitIds(prisma);

    const report = await realignSequences(prisma);

    expect(report.metadataSource).toBe('client');
    expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(4);
    expect(report.skipped.map((m) => m.model).sort()).toEqual(['Document', 'Membership', 'Tag']);
    expect(report.skipped[0].reason).toContain('no sequence feeds any column of this table');
  });

  test('given a transaction client, it realigns inside that transaction and sees its uncommitted rows', async () => {
    const id = await prisma.$transaction(async (tx) => {
      await tx.user.createMany({ data: [{ id: 70, email: 'seventy@example.com' }] });
      await realignSequences(tx, { metadata, models: ['User'] });
      return (await tx.user.create({ data: { email: 'next@example.com' } })).id;
    });

    expect(id).toBe(71);
  });

  test('a lock held by another session ends in SeqsyncError LOCK_TIMEOUT naming the table, not a raw Prisma error', async () => {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE "public"."User" IN ACCESS EXCLUSIVE MODE');

      const failure = await realignSequences(prisma, { metadata, models: ['User'], lockTimeoutMs: 200 }).catch((error: unknown) => error);

      expect(failure).toMatchObject({ name: 'SeqsyncError', code: 'LOCK_TIMEOUT' });
      expect((failure as Error).message).toContain('"public"."User"');
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  test('rows come back the way pg returns them: int8, oid and numeric as strings, booleans as booleans', async () => {
    const queryable = fromPrismaClient(prisma);

    const [row] = await queryable.query(
      "SELECT 9007199254740993::int8 AS big, 'pg_class'::regclass::oid AS oid, 1.50::numeric AS num, "
      + '7::int4 AS small, true AS flag, ARRAY[1, 2]::int8[] AS list');

    expect(row).toEqual({ big: '9007199254740993', oid: '1259', num: '1.5', small: 7, flag: true, list: ['1', '2'] });
    // The datasource provider, which core reads as an alias of its postgres dialect.
    expect(queryable.dialect).toBe('postgresql');
    expect(queryable.multiStatement).toBeUndefined();
  });

  test('the generator records each model\'s table, schema, key column and default', () => {
    const byModel = new Map(metadata.models.map((m) => [m.model, m]));

    expect(metadata.provider).toBe('postgresql');
    expect(byModel.get('BlogPost')).toMatchObject({
      table: 'blog_posts', schema: 'public', realign: true,
      primaryKey: [{ field: 'postId', column: 'post_id', type: 'Int', default: 'autoincrement' }],
      sequencedFields: [{ field: 'postId', column: 'post_id' }],
      relations: [{ field: 'author', model: 'User' }],
    });
    expect(byModel.get('User')).toMatchObject({
      table: 'User',
      schema: 'public',
      realign: true,
      relations: [{ field: 'posts', model: 'BlogPost' }],
    });
    expect(byModel.get('Invoice')).toMatchObject({ table: 'Invoice', schema: 'billing', realign: true });
    expect(byModel.get('AuditEvent')?.primaryKey).toEqual([{ field: 'id', column: 'id', type: 'BigInt', default: 'autoincrement' }]);
    expect(byModel.get('Membership')).toMatchObject({
      realign: false,
      primaryKey: [
        { field: 'userId', column: 'user_id', type: 'Int', default: 'none' },
        { field: 'groupId', column: 'group_id', type: 'Int', default: 'none' },
      ],
    });
    expect(byModel.get('Document')?.primaryKey).toEqual([{ field: 'id', column: 'id', type: 'String', default: 'other' }]);
  });
});

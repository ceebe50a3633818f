import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDatabase } from '../../test-support/test-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import { createTestDatabase, nextValue } from '../../test-support/test-database';
import { applyMigrations, expectDuplicateKey, preparePrismaProject, resetTables, sequenceRow } from './support/prisma-project';
import { seedExplicitIds } from './project/seed-data';

/**
 * The seed hook, end to end: the real `prisma db seed` runs the project's seed command (tsx + the
 * generated client + the built @seqsync/prisma) against real PostgreSQL.
 */
describe('prisma db seed with seqsync', () => {
  let db: TestDatabase;
  let project: PrismaProject;
  let prisma: TestPrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase('prisma_seed');
    project = await preparePrismaProject('seed', db);
    await applyMigrations(db);
    prisma = project.newClient();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await project?.remove();
    await db?.drop();
  });

  beforeEach(() => resetTables(db));

  /** The next ordinary create() on every sequence-fed model gets exactly the id after the seeded ones. */
  async function expectNextIdsAfterSeed(): Promise<void> {
    expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(4);
    expect((await prisma.blogPost.create({ data: { title: 'New', authorId: 2 } })).postId).toBe(3);
    expect((await prisma.invoice.create({ data: { number: 'INV-NEW' } })).id).toBe(501);
    expect((await prisma.auditEvent.create({ data: { kind: 'new' } })).id).toBe(9007199254740994n);
  }

  test('without a hook, the seed leaves every sequence at 1 and the next create() fails with P2002 on <table>_pkey', async () => {
    await project.prisma(['db', 'seed', '--config', 'prisma.config.no-realign.ts']);

    await expectDuplicateKey(prisma.user.create({ data: { email: 'new@example.com' } }), 'User_pkey');
    expect(await nextValue(db, '"public"."blog_posts_post_id_seq"')).toBe(1n);
    expect(await nextValue(db, '"billing"."Invoice_id_seq"')).toBe(1n);
  });

  test('realignAfterSeed in seed.ts: after `prisma db seed` the next create() gets exactly max(id) + 1 on every model', async () => {
    const { stderr } = await project.prisma(['db', 'seed']);

    await expectNextIdsAfterSeed();
    expect(stderr).toContain('seqsync: Moved 4 of 4 sequences in 1 transaction.');
    expect(stderr).toMatch(sequenceRow('public.User_id_seq', 'public.User.id', '3', '1', '4', 'advanced'));
    expect(stderr.match(/^skipped model .*$/gm)).toEqual([
      'skipped model Membership: composite primary key (userId, groupId) has no sequence',
      'skipped model Tag: String id "slug" has no @default: the application supplies every value, no sequence',
      'skipped model Document: String id "id" defaults to uuid(): no sequence',
    ]);
    // The skipped models come before the closing summary, which stays the last line on screen.
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('Moved 4 of 4 sequences in 1 transaction.');
  });

  test('the seqsync-prisma step in migrations.seed realigns after an unchanged seed script, its report on stdout', async () => {
    const { stdout } = await project.prisma(['db', 'seed', '--config', 'prisma.config.seed-step.ts']);

    await expectNextIdsAfterSeed();
    expect(stdout).toMatch(sequenceRow('billing.Invoice_id_seq', 'billing.Invoice.id', '500', '1', '501', 'advanced'));
    expect(stdout).toContain('skipped model Document: String id "id" defaults to uuid(): no sequence');
  });

  test('the seed step checks read-only and exits 1 while a sequence is behind, 0 once realigned', async () => {
    await seedExplicitIds(prisma);

    const behind = await project.bin('seqsync-prisma', ['check', '--metadata', 'generated/seqsync', '--url', db.url]);
    expect(behind.code).toBe(1);
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);

    expect((await project.bin('seqsync-prisma', ['realign', '--metadata', 'generated/seqsync', '--url', db.url])).code).toBe(0);
    expect((await project.bin('seqsync-prisma', ['check', '--metadata', 'generated/seqsync', '--url', db.url])).code).toBe(0);
    await expectNextIdsAfterSeed();
  });

  test('the seed step wrapping a failing seed command exits with its code and realigns nothing', async () => {
    await seedExplicitIds(prisma);

    const result = await project.bin('seqsync-prisma', [
      'realign',
      '--metadata',
      'generated/seqsync',
      '--url',
      db.url,
      '--',
      'node',
      '-e',
      'process.exit(3)',
    ]);

    expect(result.code).toBe(3);
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);
  });

  test('the seed step checks its options before running the wrapped seed: a wrong --metadata path runs nothing', async () => {
    const result = await project.bin('seqsync-prisma', [
      'realign',
      '--metadata',
      'no/such/folder',
      '--url',
      db.url,
      '--',
      'node',
      '-e',
      "require('fs').writeFileSync('seed-ran', '')",
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('run `prisma generate` with `generator seqsync` first');
    expect(existsSync(join(project.dir, 'seed-ran'))).toBe(false);
  });

  test('the seed step refuses to guess its scope: without --metadata or --all it exits 2 and changes nothing', async () => {
    await seedExplicitIds(prisma);

    const result = await project.bin('seqsync-prisma', ['realign', '--url', db.url]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --metadata');
    expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);
  });

  describe('seqsync-prisma follows the seqsync CLI\'s conventions (the built bin)', () => {
    const step = (...args: string[]) => project.bin('seqsync-prisma', args);
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'packages', 'prisma', 'package.json'), 'utf8')) as {
      version: string;
    };

    test('--version, -V and -v print the package version wherever they stand, exit 0 and connect to nothing', async () => {
      for (const args of [['--version'], ['-V'], ['realign', '--url', 'postgres://nobody@127.0.0.1:1/none', '-v']]) {
        expect(await step(...args)).toEqual({ code: 0, stdout: `seqsync-prisma ${version}\n`, stderr: '' });
      }
    });

    test('--help and -h print the usage wherever they stand before `--`; after it they are the seed command\'s', async () => {
      const usage = await step('--help');
      expect(usage.code).toBe(0);
      expect(usage.stdout).toMatch(/^Usage: seqsync-prisma realign\|check \[options\] \[-- <seed command>\]$/m);
      expect(usage.stdout).toContain('--json');
      expect(await step('realign', '--metadata', 'no/such/folder', '-h')).toEqual(usage);

      const seeds = await step('check', '--metadata', 'generated/seqsync', '--url', db.url, '--', 'node', '-e',
        "console.log(process.argv.includes('--help') ? 'seed saw --help' : 'no')", '--', '--help');
      expect(seeds.stdout).toMatch(/^seed saw --help$/m);
      expect(seeds.stdout).not.toContain('Usage:');
    });

    test('check --json prints the report as JSON on stdout, bigints as strings, with the skipped models; exit 1', async () => {
      await seedExplicitIds(prisma);

      const result = await step('check', '--json', '--metadata', 'generated/seqsync', '--url', db.url);

      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as {
        sequences: { sequence: string; behind: boolean; nextValueAfter: string }[];
        skipped: { model: string }[];
        metadataSource: string;
      };
      expect(report.sequences.map((s) => [s.sequence, s.behind, s.nextValueAfter])).toEqual([
        ['Invoice_id_seq', true, '501'],
        ['User_id_seq', true, '4'],
        ['audit_events_id_seq', true, '9007199254740994'],
        ['blog_posts_post_id_seq', true, '3'],
      ]);
      expect(report.skipped.map((m) => m.model)).toEqual(['Membership', 'Tag', 'Document']);
      expect(report.metadataSource).toBe('metadata');
    });

    test('realign --json after a seed command: stdout is the JSON alone, the seed\'s own output goes to stderr', async () => {
      await seedExplicitIds(prisma);

      const result = await step('realign', '--json', '--metadata', 'generated/seqsync', '--url', db.url, '--', 'node', '-e',
        "console.log('seeded')");

      expect(result.code).toBe(0);
      expect(result.stderr).toBe('seeded\n');
      expect((JSON.parse(result.stdout) as { batches: number }).batches).toBe(1);
      await expectNextIdsAfterSeed();
    });

    test('realign --dry-run prints what would move and the SQL realign would run, and changes nothing', async () => {
      await seedExplicitIds(prisma);

      const result = await step('realign', '--dry-run', '--metadata', 'generated/seqsync', '--url', db.url);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('seqsync: Dry run: would move 4 of 4 sequences.');
      expect(result.stdout).toMatch(sequenceRow('public.User_id_seq', 'public.User.id', '3', '1', '4', 'would_advance'));
      const sql = result.stdout.slice(result.stdout.indexOf('-- SQL realign would run:\n'));
      expect(sql.split('\n').slice(1, 3)).toEqual(['BEGIN;', 'SET LOCAL lock_timeout = 5000;']);
      expect(sql).toContain('ALTER SEQUENCE "public"."User_id_seq" NO CYCLE;');
      expect(sql).toMatch(/^COMMIT;$/m);
      expect(await nextValue(db, '"public"."User_id_seq"')).toBe(1n);
    });
  });
});

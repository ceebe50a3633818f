import type { PostgresWireRelay } from '../../test-support/postgres-wire-relay';
import type { TestDatabase } from '../../test-support/test-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { PrismaSchemaMetadata, SequencesReport } from '@seqsync/prisma';
import { PrismaPg } from '@prisma/adapter-pg';
import { checkSequences, realignSequences, realignSequencesExtension } from '@seqsync/prisma';
import { startPostgresWireRelay } from '../../test-support/postgres-wire-relay';
import { createTestDatabase } from '../../test-support/test-database';
import { applyMigrations, preparePrismaProject, resetTables } from './support/prisma-project';
import { seedExplicitIds } from './project/seed-data';

/** The one read a real run makes under its locks (MAX/MIN and each sequence's position); a dry run lists it too. */
const LOCKED_READ = /pg_catalog\.query_to_xml\(/;

/**
 * What each entry point sends through a Prisma 7 client on PostgreSQL (@prisma/adapter-pg), counted on the wire and
 * in the report. Prisma runs one prepared statement per round trip and no scripts, so core sends a batch statement
 * by statement, each phase that has several (the lock phase, the restating ALTERs) as one DO block:
 *
 *   realign = 2 catalog reads (which of the models' tables exist; the sequences feeding them)
 *           + 6 per batch: the caller's settings kept and seqsync's set, the lock phase, the read under the locks,
 *             the restating ALTERs, setval, the caller's settings put back (4 when nothing moves)
 *   check   = 2 + 5 per batch: settings, ACCESS SHARE lock, end of the lock budget, the read, settings back
 *
 * plus, on the wire, BEGIN and COMMIT of the interactive transaction that pins each batch to one connection
 * (Prisma's, not counted in the report). Round trips do not grow with the number of sequences.
 */
describe('round trips and statements through a Prisma client on PostgreSQL', () => {
  let db: TestDatabase;
  let project: PrismaProject;
  let wire: PostgresWireRelay;
  let prisma: TestPrismaClient;
  let metadata: PrismaSchemaMetadata;
  const queries: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('prisma_round_trips');
    project = await preparePrismaProject('round-trips', db);
    await applyMigrations(db);
    wire = await startPostgresWireRelay(db.url);
    const PrismaClient = project.PrismaClient();
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: wire.url }), log: [{ emit: 'event', level: 'query' }] });
    prisma.$on('query', (event) => queries.push(event.query));
    metadata = project.metadata();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await wire?.close();
    await project?.remove();
    await db?.drop();
  });

  beforeEach(async () => {
    await resetTables(db);
    await seedExplicitIds(prisma);
    queries.length = 0;
  });

  /** The run's report, and its round trips as reported and as counted on the wire. */
  async function measure(run: () => Promise<SequencesReport>): Promise<{ report: SequencesReport; reported: number; wire: number }> {
    const before = wire.exchanges();
    const report = await run();
    return { report, reported: report.roundTrips, wire: wire.exchanges() - before };
  }

  const counts = ({ reported, wire: onWire }: { reported: number; wire: number }) => ({ reported, wire: onWire });

  test('checkSequences and a dry run: 7 round trips reported, 9 on the wire', async () => {
    expect(counts(await measure(() => checkSequences(prisma, { metadata })))).toEqual({ reported: 7, wire: 9 });
    expect(counts(await measure(() => realignSequences(prisma, { metadata, dryRun: true })))).toEqual({ reported: 7, wire: 9 });
  });

  test('realignSequences: 8 reported and 10 on the wire whether one sequence moves or four; 6 and 8 when none does', async () => {
    const four = await measure(() => realignSequences(prisma, { metadata }));
    const none = await measure(() => realignSequences(prisma, { metadata }));
    await resetTables(db);
    await seedExplicitIds(prisma);
    const one = await measure(() => realignSequences(prisma, { metadata, models: ['User'] }));

    expect([one, four, none].map((run) => run.report.sequences.filter((s) => s.action === 'advanced').length)).toEqual([1, 4, 0]);
    expect([one, four, none].map(counts)).toEqual([{ reported: 8, wire: 10 }, { reported: 8, wire: 10 }, { reported: 6, wire: 8 }]);
  });

  test('realignSequences(tx) in the caller\'s $transaction: 8 reported, 8 on the wire (BEGIN and COMMIT are the caller\'s)', async () => {
    let inside = { reported: 0, wire: 0 };

    await prisma.$transaction(async (tx) => {
      await tx.user.createMany({ data: [{ id: 70, email: 'seventy@example.com' }] });
      inside = counts(await measure(() => realignSequences(tx, { metadata, models: ['User'] })));
    });

    expect(inside).toEqual({ reported: 8, wire: 8 });
  });

  test('the extension after an explicit-id createMany: the insert\'s round trip, then a realign of 8 reported, 10 on the wire',
    async () => {
      const reports: SequencesReport[] = [];
      const extended = prisma.$extends(realignSequencesExtension({ metadata, onReport: (report) => reports.push(report) }));
      await resetTables(db);

      const before = wire.exchanges();
      await extended.user.createMany({ data: [{ id: 1, email: 'one@example.com' }] });

      expect({ reported: reports.map((r) => r.roundTrips), wire: wire.exchanges() - before }).toEqual({ reported: [8], wire: 11 });
    });

  test('the seqsync-prisma step, on a pg connection of its own that takes scripts: check 3, dry run 3, realign 4', async () => {
    const step = async (...args: string[]) => {
      const before = wire.exchanges();
      const result = await project.bin('seqsync-prisma', [...args, '--json', '--metadata', 'generated/seqsync', '--url', wire.url]);
      return { reported: (JSON.parse(result.stdout) as { roundTrips: number }).roundTrips, wire: wire.exchanges() - before };
    };

    expect(await step('check')).toEqual({ reported: 3, wire: 3 });
    expect(await step('realign', '--dry-run')).toEqual({ reported: 3, wire: 3 });
    expect(await step('realign')).toEqual({ reported: 4, wire: 4 });
  });

  test('a realign\'s report lists exactly the statements of its batch that Prisma sent, after the two catalog reads', async () => {
    const report = await realignSequences(prisma, { metadata, models: ['User'] });

    // Prisma logs its interactive transaction's COMMIT (not its BEGIN).
    expect(queries).toHaveLength(2 + report.statements.length + 1);
    expect(queries.slice(2)).toEqual([...report.statements, 'COMMIT']);
    expect(report.statements.filter((sql) => LOCKED_READ.test(sql))).toHaveLength(1);
  });

  // Prisma's connection takes no scripts and its transaction is Prisma's: the dry run previews that form (DO blocks, no
  // BEGIN/COMMIT, the caller's settings kept and put back) and locks every sequence of the batch, moving or not.
  test('a dry run lists exactly the statements the real run then sends through Prisma, its read under the locks included',
    async () => {
      // A batch of two, one of them not behind: User moves, blog_posts stays.
      await realignSequences(prisma, { metadata, models: ['BlogPost'] });
      const dryRun = await realignSequences(prisma, { metadata, models: ['User', 'BlogPost'], dryRun: true });
      queries.length = 0;
      const real = await realignSequences(prisma, { metadata, models: ['User', 'BlogPost'] });

      expect(real.sequences.map((s) => [s.sequence, s.action]))
        .toEqual([['User_id_seq', 'advanced'], ['blog_posts_post_id_seq', 'unchanged']]);
      const sent = queries.slice(2, -1);
      expect(sent).toEqual(real.statements);
      expect(dryRun.statements).toEqual(sent);
    });
});

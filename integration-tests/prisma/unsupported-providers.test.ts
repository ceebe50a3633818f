import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import { checkSequences, fromPrismaClient, realignSequences, realignSequencesExtension, realignAfterSeed } from '@seqsync/prisma';
import { preparePrismaProject } from './support/prisma-project';

/** A one-model schema on a provider core has no dialect for, with the key that provider's counter feeds. */
function schemaFor(provider: string, key: string): string {
  return `
generator client {
  provider = "prisma-client"
  output   = "./generated/client"
}

generator seqsync {
  provider = "seqsync-prisma"
  output   = "./generated/seqsync"
}

datasource db {
  provider = "${provider}"
}

model User {
  ${key}
  email String @unique
}
`;
}

/**
 * CockroachDB, SQL Server and MongoDB datasources (PostgreSQL, MySQL/MariaDB and SQLite have their own
 * suites): every entry point must fail with UNSUPPORTED_DATABASE before touching the database — never
 * run and report nothing. The clients are real generated clients for those providers, built with an
 * Accelerate URL pointing at a closed local port, so any query seqsync did send would fail with a
 * connection error instead of the error asserted here.
 */
describe.each([
  [
    'cockroachdb',
    'id BigInt @id @default(sequence())',
    true,
    'CockroachDB ("cockroachdb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite',
  ],
  [
    'sqlserver',
    'id Int @id @default(autoincrement())',
    true,
    'SQL Server ("sqlserver") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite',
  ],
  [
    'mongodb',
    'id String @id @default(auto()) @map("_id") @db.ObjectId',
    false,
    'MongoDB ("mongodb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite',
  ],
] as const)('a Prisma %s datasource', (provider, key, sequenced, message) => {
  let project: PrismaProject;
  let prisma: TestPrismaClient;

  beforeAll(async () => {
    project = await preparePrismaProject(provider, null, { schema: schemaFor(provider, key) });
    const PrismaClient = project.PrismaClient();
    prisma = new PrismaClient({ accelerateUrl: 'prisma://127.0.0.1:9/?api_key=unused' });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await project?.remove();
  });

  test('the generator records the provider and whether a counter feeds the key', () => {
    const metadata = project.metadata();
    expect(metadata.provider).toBe(provider);
    expect(metadata.models[0]).toMatchObject({ model: 'User', realign: sequenced });
  });

  test('realignSequences and checkSequences reject with UNSUPPORTED_DATABASE naming the supported databases, '
    + 'with or without metadata', async () => {
    const expected = { name: 'SeqsyncError', code: 'UNSUPPORTED_DATABASE', message };
    await expect(realignSequences(prisma)).rejects.toMatchObject(expected);
    await expect(realignSequences(prisma, { metadata: project.metadata() })).rejects.toMatchObject(expected);
    await expect(checkSequences(prisma)).rejects.toMatchObject(expected);
  });

  test('the client as a Queryable is refused at once: its provider is its dialect, and core has none for it', () => {
    expect(() => fromPrismaClient(prisma)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATABASE', message }));
  });

  test('the seed hook rejects after the seed instead of reporting nothing', async () => {
    let seeded = false;
    const outcome = realignAfterSeed(prisma, async () => { seeded = true; }, { disconnect: false });

    await expect(outcome).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE' });
    expect(seeded).toBe(true);
  });

  test('$extends(realignSequencesExtension(...)) throws UNSUPPORTED_DATABASE at startup', () => {
    expect(() => prisma.$extends(realignSequencesExtension({ metadata: project.metadata() }))).toThrow(message);
  });

  test('the seed step exits 2 with the message', async () => {
    const result = await project.bin('seqsync-prisma', [
      'realign',
      '--metadata',
      'generated/seqsync',
      '--url',
      'postgres://unused@127.0.0.1:1/unused',
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

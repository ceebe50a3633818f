// A Prisma 6 app end to end on real PostgreSQL, on the client engine (engineType = "client": Prisma's TypeScript query
// compiler over @prisma/adapter-pg, the one Prisma 6 engine that needs no download from binaries.prisma.sh). fixture.cjs
// seeded explicit ids, so both sequences are behind; checkSequences names exactly those, realignSequences moves them,
// and the next ordinary create() gets exactly the next id. Then the same inside $transaction, through the client
// extension, the seqsync-prisma CLI and the seed hook, and a lock timeout. Every catalog read goes through Prisma 6's
// adapter, which refuses PostgreSQL's `name` type: this is where core reading catalog names as text is put to the test.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { checkSequences, isSeqsyncError, realignAfterSeed, realignSequences, realignSequencesExtension } from '@seqsync/prisma';
import { healAttemptOf } from '@seqsync/prisma';
import type { SequencesReport } from '@seqsync/prisma';
import { seqsyncMetadata } from '../generated/seqsync/index.js';

const url = process.env.SEQSYNC_PG_URL;
const metadata = seqsyncMetadata;

/** Each sequence's name, action and next value, in report order. */
const moves = (report: SequencesReport) => report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]);

async function api(prisma: PrismaClient): Promise<void> {
  const before = await checkSequences(prisma, { metadata });
  assert.deepEqual(before.sequences.map((s) => [s.schema, s.sequence, s.dataMax, s.nextValueBefore, s.behind, s.action]), [
    ['public', 'User_id_seq', 3n, 1n, true, 'would_advance'],
    ['public', 'invoice_id_seq', 7n, 1n, true, 'would_advance'],
  ]);
  assert.equal(before.metadataSource, 'metadata');
  assert.deepEqual(before.skipped.map((m) => [m.model, m.reason]),
    [['Tag', 'String id "slug" has no @default: the application supplies every value, no sequence']]);
  // JSON.stringify(report) writes BigInts as strings, as `seqsync --json` prints them.
  assert.deepEqual(JSON.parse(JSON.stringify(before)).sequences.map((s: { nextValueAfter: string }) => s.nextValueAfter), ['4', '8']);

  // Without the generator's metadata: the table names from Prisma 6's runtime data model, the rest from the catalog.
  const fromClient = await checkSequences(prisma, { models: ['User', 'Invoice'] });
  assert.equal(fromClient.metadataSource, 'client');
  assert.deepEqual(moves(fromClient), [['User_id_seq', 'would_advance', 4n], ['invoice_id_seq', 'would_advance', 8n]]);

  // A named schema is looked up in the catalog first: one more catalog read through the adapter.
  assert.deepEqual(moves(await checkSequences(prisma, { metadata, schemas: ['public'] })),
    [['User_id_seq', 'would_advance', 4n], ['invoice_id_seq', 'would_advance', 8n]]);
  const unknown = await checkSequences(prisma, { metadata, schemas: ['nosuch'] }).catch((error: unknown) => error);
  assert.ok(isSeqsyncError(unknown) && unknown.code === 'UNKNOWN_SCHEMA', `an unknown schema: ${String(unknown)}`);

  const dryRun = await realignSequences(prisma, { metadata, dryRun: true });
  assert.deepEqual(moves(dryRun), [['User_id_seq', 'would_advance', 4n], ['invoice_id_seq', 'would_advance', 8n]]);
  assert.ok(dryRun.statements.some((sql) => sql.includes('pg_catalog.setval')), 'the dry run lists the setval it would send');
  assert.equal((await checkSequences(prisma, { metadata })).sequences.filter((s) => s.behind).length, 2, 'a dry run writes nothing');

  assert.deepEqual(moves(await realignSequences(prisma, { metadata })),
    [['User_id_seq', 'advanced', 4n], ['invoice_id_seq', 'advanced', 8n]]);
  assert.deepEqual((await checkSequences(prisma, { metadata })).sequences.filter((s) => s.behind), []);
  assert.equal((await prisma.user.create({ data: { name: 'barbara' } })).id, 4);
  assert.equal((await prisma.invoice.create({ data: { total: 30 } })).id, 8n);

  // A transaction client: seqsync runs inside the caller's transaction and sees its uncommitted rows.
  const next = await prisma.$transaction(async (tx) => {
    await tx.user.createMany({ data: [{ id: 50, name: 'fifty' }] });
    assert.deepEqual(moves(await realignSequences(tx, { metadata, models: ['User'] })), [['User_id_seq', 'advanced', 51n]]);
    return (await tx.user.create({ data: { name: 'in the transaction' } })).id;
  });
  assert.equal(next, 51);
  console.log('checkSequences → realignSequences (client, dry run, $transaction): next ids 4, 8, 51');
}

async function extension(prisma: PrismaClient): Promise<void> {
  const reports: unknown[] = [];
  const extended = prisma.$extends(realignSequencesExtension({ metadata, onReport: (report) => reports.push(moves(report)) }));
  await extended.user.createMany({ data: [{ id: 100, name: 'hundred' }] });
  assert.equal((await extended.user.create({ data: { name: 'after the extension' } })).id, 101);
  // Inside an interactive transaction the realign joins it: it sees the row and waits on no lock of its own.
  const invoice = await extended.$transaction(async (tx) => {
    await tx.invoice.create({ data: { id: 200n, total: 1 } });
    return (await tx.invoice.create({ data: { total: 2 } })).id;
  });
  assert.equal(invoice, 201n);
  assert.deepEqual(reports, [[['User_id_seq', 'advanced', 101n]], [['invoice_id_seq', 'advanced', 201n]]]);
  console.log('realignSequencesExtension: realigned after createMany and inside $transaction; next ids 101, 201');
}

/** `npx seqsync-prisma …` with the generated metadata: its own pg connection, not the client's. */
function seqsyncPrisma(...args: string[]): number | null {
  const result = spawnSync('npx', ['--no-install', 'seqsync-prisma', ...args, '--metadata', 'generated/seqsync', '--url', url!],
    { encoding: 'utf8' });
  if (result.status === 2) throw new Error(`seqsync-prisma ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.status;
}

/** The seed hook: the seed inserts explicit ids, then the realign runs and its report is handed over. */
async function seed(prisma: PrismaClient): Promise<void> {
  const reports: unknown[] = [];
  const { result } = await realignAfterSeed(prisma, (db) => db.user.createMany({ data: [{ id: 400, name: 'seeded' }] }),
    { metadata, disconnect: false, onReport: (report) => void reports.push(moves(report)) });
  assert.deepEqual(result, { count: 1 });
  assert.deepEqual(reports, [[['User_id_seq', 'advanced', 401n], ['invoice_id_seq', 'unchanged', 202n]]]);
  assert.equal((await prisma.user.create({ data: { name: 'after the seed' } })).id, 401);
  console.log('realignAfterSeed: realigned after the seed; next id 401');
}

async function cli(prisma: PrismaClient): Promise<void> {
  await prisma.user.create({ data: { id: 300, name: 'restored' } });
  assert.equal(seqsyncPrisma('check'), 1, 'check exits 1 while a sequence is behind');
  assert.equal(seqsyncPrisma('realign'), 0);
  assert.equal(seqsyncPrisma('check'), 0);
  assert.equal((await prisma.user.create({ data: { name: 'after the CLI' } })).id, 301);
  console.log('seqsync-prisma: check 1 → realign 0 → check 0; next id 301');
}

/**
 * A table held by another session: Prisma 6's error for the lock timeout (P2010 carrying SQLSTATE 55P03) becomes
 * SeqsyncError LOCK_TIMEOUT. The batch runs inside Prisma's interactive transaction, which the timeout aborted: core
 * cannot ask pg_locks there who holds the table, so it names the batch's tables instead.
 */
async function lockTimeout(prisma: PrismaClient): Promise<void> {
  const holder = new Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE invoice IN ACCESS EXCLUSIVE MODE');
    const failure = await checkSequences(prisma, { metadata, lockTimeoutMs: 300 }).catch((error: unknown) => error);
    assert.ok(isSeqsyncError(failure) && failure.code === 'LOCK_TIMEOUT', `a held table: ${String(failure)}`);
    assert.equal(failure.message,
      'lock timeout after 300 ms waiting for table "public"."User", "public"."invoice"; nothing in this batch was changed');
    console.log(`checkSequences while another session holds invoice: ${failure.message}`);
  } finally {
    await holder.end();
  }
}

/**
 * The README's self-heal lines verbatim: "User" emptied and refilled with explicit ids 1..3 leaves User_id_seq behind;
 * with heal off a create() fails with P2002 first, and the same create() through `heal: true` succeeds on its first
 * call with exactly id 4, onHeal told once.
 */
async function heal(plain: PrismaClient): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE "User" RESTART IDENTITY; INSERT INTO "User" (id, name) VALUES (1, 'ada'), (2, 'grace'), (3, 'edsger')`);
  } finally {
    await client.end();
  }
  const healOff = plain.$extends(realignSequencesExtension({ metadata: seqsyncMetadata }));
  const refused: unknown = await healOff.user.create({ data: { name: 'Ada' } }).then(() => null, (error: unknown) => error);
  assert.equal((refused as { code?: unknown } | null)?.code, 'P2002', `with heal off create() should fail on the key: ${String(refused)}`);
  assert.equal(healAttemptOf(refused), undefined);

  const heals: { table: string; model: string; operation: string; sequences: readonly { sequence: string; action: string }[] }[] = [];
  const log = { warn: (entry: (typeof heals)[number]) => void heals.push(entry) };
  const adapter = new PrismaPg({ connectionString: url });
  const prisma = new PrismaClient({ adapter }).$extends(realignSequencesExtension({
    metadata: seqsyncMetadata,
    heal: true,
    onHeal: (report, { table, model, operation }) => log.warn({ table, model, operation, sequences: report.sequences }),
  }));
  try {
    const created = await prisma.user.create({ data: { name: 'Ada' } }); // "User_id_seq" behind? realigned, the create run again
    assert.equal(created.id, 4);
    assert.deepEqual(heals.map((h) => [h.table, h.model, h.operation, h.sequences.map((s) => [s.sequence, s.action])]),
      [['public.User', 'User', 'create', [['User_id_seq', 'advanced']]]]);
    assert.equal((await prisma.user.create({ data: { name: 'Grace' } })).id, 5);
    assert.equal(heals.length, 1, 'a second create needs no heal');
    console.log('realignSequencesExtension({ heal: true }): with heal off create() failed with P2002; healed, it got id 4, onHeal once');
  } finally {
    await prisma.$disconnect();
  }
}

async function main(): Promise<void> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    await api(prisma);
    await extension(prisma);
    await cli(prisma);
    await seed(prisma);
    await lockTimeout(prisma);
    await heal(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

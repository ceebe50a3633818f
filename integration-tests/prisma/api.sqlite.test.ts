import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { SqliteTestFile } from '../../test-support/sqlite-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { SequencesReport, PrismaSchemaMetadata } from '@seqsync/prisma';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { checkSequences, fromPrismaClient, realignSequences, realignSequencesExtension } from '@seqsync/prisma';
import { createSqliteFile, sqliteSequenceOf } from '../../test-support/sqlite-database';
import { migrationScripts, preparePrismaProject, sequenceRow } from './support/prisma-project';

/**
 * The same API on SQLite: a Prisma 7 client generated for the `sqlite` provider, through
 * @prisma/adapter-better-sqlite3, on a real database file. An Int autoincrement() key is
 * INTEGER PRIMARY KEY AUTOINCREMENT: SQLite never hands out an id at or below the high-water mark it keeps
 * in sqlite_sequence, and moves that mark past explicit ids on INSERT by itself. What drifts is the mark
 * itself — missing or stale after a restore or hand edit (ids deleted from the top then come back), or
 * left high by deletes (mode 'reset').
 */
describe('Prisma on SQLite (@prisma/adapter-better-sqlite3)', () => {
  let file: SqliteTestFile;
  let project: PrismaProject;
  let prisma: TestPrismaClient;
  let metadata: PrismaSchemaMetadata;

  beforeAll(async () => {
    file = createSqliteFile('prisma');
    project = await preparePrismaProject('sqlite', { url: `file:${file.path}` }, {
      template: 'project-sqlite', adapter: (url) => new PrismaBetterSqlite3({ url }),
    });
    for (const script of await migrationScripts('project-sqlite')) file.db.exec(script);
    prisma = project.newClient();
    metadata = project.metadata();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await project?.remove();
    file?.remove();
  });

  beforeEach(() => {
    file.db.exec(`DELETE FROM "blog_posts"; DELETE FROM "User"; DELETE FROM "audit_events"; DELETE FROM "memberships";
      DELETE FROM "Tag"; DELETE FROM sqlite_sequence;`);
  });

  /** Five users with ids 1–5, then the state a restore leaves when it brings the rows but not their sqlite_sequence row. */
  async function restoreUsersWithoutSequenceRow(): Promise<void> {
    await prisma.user.createMany({ data: [1, 2, 3, 4, 5].map((id) => ({ id, email: `user${id}@example.com` })) });
    file.db.exec(`DELETE FROM sqlite_sequence WHERE name = 'User'`);
  }

  const summary = (report: SequencesReport) =>
    report.sequences.map((s) => [s.sequence, s.uses[0].kind, s.behind, s.action, s.nextValueAfter]);

  describe('realignSequences and checkSequences', () => {
    test('Prisma\'s schema engine creates an Int autoincrement() key as INTEGER PRIMARY KEY AUTOINCREMENT; '
      + 'the committed migration is its output', async () => {
      const engine = await promisify(execFile)(process.execPath,
        [join(__dirname, 'support', 'schema-engine-diff.mjs'), join(__dirname, 'project-sqlite', 'schema.prisma')], { timeout: 60_000 });
      const [committed] = await migrationScripts('project-sqlite');

      expect(engine.stdout).toContain('"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT');
      expect(engine.stdout).toContain('"id" BIGINT NOT NULL PRIMARY KEY,');
      expect(committed).toContain(engine.stdout.trim());
    });

    test('before: with its sqlite_sequence row gone, SQLite hands out a deleted id a second time', async () => {
      await restoreUsersWithoutSequenceRow();
      await prisma.user.delete({ where: { id: 5 } });

      expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(5);
    });

    test('checkSequences reports the missing sqlite_sequence row as behind, and writes nothing', async () => {
      await restoreUsersWithoutSequenceRow();

      const report = await checkSequences(prisma, { metadata });

      expect(report.dialect).toBe('sqlite');
      expect(summary(report)).toEqual([
        ['User', 'auto_increment', true, 'would_advance', 6n],
        ['blog_posts', 'auto_increment', false, 'unchanged', 1n],
      ]);
      expect(report.sequences[0]).toMatchObject({
        schema: 'main',
        dataMax: 5n,
        nextValueBefore: 1n,
        reason: expect.stringContaining('no sqlite_sequence row'),
      });
      expect(sqliteSequenceOf(file.db, 'User')).toBeNull();
    });

    test('after realignSequences the high-water mark is back: the top id is not reused, the next create() gets exactly 6', async () => {
      await restoreUsersWithoutSequenceRow();

      const report = await realignSequences(prisma, { metadata });
      await prisma.user.delete({ where: { id: 5 } });

      expect(summary(report)).toEqual([
        ['User', 'auto_increment', true, 'advanced', 6n],
        ['blog_posts', 'auto_increment', false, 'unchanged', 1n],
      ]);
      expect(sqliteSequenceOf(file.db, 'User')).toBe(5n);
      expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(6);
    });

    test('an update that moves a key past sqlite_sequence, which SQLite does not follow, is found and realigned', async () => {
      await prisma.user.createMany({ data: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] });
      await prisma.user.update({ where: { id: 2 }, data: { id: 40 } });
      expect(sqliteSequenceOf(file.db, 'User')).toBe(2n);

      const report = await realignSequences(prisma, { metadata, models: ['User'] });
      await prisma.user.delete({ where: { id: 40 } });

      expect(summary(report)).toEqual([['User', 'auto_increment', true, 'advanced', 41n]]);
      expect((await prisma.user.create({ data: { email: 'c@example.com' } })).id).toBe(41);
    });

    test('reset after deletes: sqlite_sequence comes back to MAX(id) and the next create() gets exactly MAX+1, '
      + 'while advance never moves it back', async () => {
      for (const n of [1, 2, 3, 4, 5]) await prisma.user.create({ data: { email: `user${n}@example.com` } });
      await prisma.user.deleteMany({ where: { id: { gte: 4 } } });

      const advanced = await realignSequences(prisma, { metadata, models: ['User'] });
      expect(summary(advanced)).toEqual([['User', 'auto_increment', false, 'unchanged', 6n]]);

      const reset = await realignSequences(prisma, { metadata, models: ['User'], mode: 'reset' });

      expect(summary(reset)).toEqual([['User', 'auto_increment', false, 'reset', 4n]]);
      expect(sqliteSequenceOf(file.db, 'User')).toBe(3n);
      expect((await prisma.user.create({ data: { email: 'again@example.com' } })).id).toBe(4);
    });

    test('given a transaction client, it realigns inside that transaction and sees its uncommitted rows', async () => {
      const report = await prisma.$transaction(async (tx) => {
        await tx.user.createMany({ data: [{ id: 7, email: 'seven@example.com' }] });
        await tx.$executeRawUnsafe(`DELETE FROM sqlite_sequence WHERE name = 'User'`);
        return realignSequences(tx, { metadata, models: ['User'] });
      });

      expect(summary(report)).toEqual([['User', 'auto_increment', true, 'advanced', 8n]]);
      expect(sqliteSequenceOf(file.db, 'User')).toBe(7n);
    });

    test('the database write lock held by another connection ends in SeqsyncError LOCK_TIMEOUT '
      + 'after waiting lockTimeoutMs, nothing changed', async () => {
      await restoreUsersWithoutSequenceRow();
      const other = new Database(file.path);
      try {
        other.exec('BEGIN IMMEDIATE');
        const started = Date.now();

        const failure = await realignSequences(prisma, { metadata, models: ['User'], lockTimeoutMs: 300 }).catch((error: unknown) => error);

        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
        expect(failure).toMatchObject({ name: 'SeqsyncError', code: 'LOCK_TIMEOUT', message: expect.stringContaining('"main"."User"') });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(sqliteSequenceOf(file.db, 'User')).toBeNull();
    });

    test('a write lock another process releases within lockTimeoutMs is waited for, then the realign goes through', async () => {
      await restoreUsersWithoutSequenceRow();
      const holder = spawn(process.execPath, ['-e', `
        const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(file.path)});
        db.exec('BEGIN IMMEDIATE');
        process.stdout.write('locked\\n');
        setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 500);`]);
      const ready = await Promise.race([once(holder.stdout, 'data').then(() => 'locked'), once(holder, 'exit').then(() => 'exited')]);
      expect(ready).toBe('locked');
      const started = Date.now();

      const report = await realignSequences(prisma, { metadata, models: ['User'], lockTimeoutMs: 10_000 });

      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(summary(report)).toEqual([['User', 'auto_increment', true, 'advanced', 6n]]);
      expect(sqliteSequenceOf(file.db, 'User')).toBe(5n);
      await once(holder, 'exit');
    });

    test('composite, String and BigInt keys are skipped, each with its reason '
      + '(a BigInt key is BIGINT PRIMARY KEY: no counter)', async () => {
      const report = await realignSequences(prisma, { metadata });

      expect(report.skipped).toEqual([
        {
          model: 'AuditEvent',
          table: 'audit_events',
          schema: null,
          reason: 'BigInt id "id" uses autoincrement(), which Prisma creates as BIGINT PRIMARY KEY on SQLite: '
            + 'not the rowid, no counter (use Int)',
        },
        { model: 'Membership', table: 'memberships', schema: null, reason: 'composite primary key (userId, groupId) has no sequence' },
        {
          model: 'Tag',
          table: 'Tag',
          schema: null,
          reason: 'String id "slug" has no @default: the application supplies every value, no sequence',
        },
      ]);
    });

    test('rows come back the way core reads them: 64-bit integers as strings', async () => {
      const queryable = fromPrismaClient(prisma);

      const [row] = await queryable.query('SELECT 9007199254740993 AS big, ? AS text', ['Ada']);

      expect(row).toEqual({ big: '9007199254740993', text: 'Ada' });
      expect(queryable.dialect).toBe('sqlite');
    });
  });

  describe('realignSequencesExtension', () => {
    test('inside an interactive $transaction the realign joins it; '
      + 'SQLite already moved sqlite_sequence past the explicit ids, so nothing changes', async () => {
      const realigned: SequencesReport[] = [];
      const extended = prisma.$extends(realignSequencesExtension({ metadata, onReport: (report) => realigned.push(report) }));

      const id = await extended.$transaction(async (tx) => {
        await tx.user.createMany({ data: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] });
        return (await tx.user.create({ data: { email: 'c@example.com' } })).id;
      });

      expect(id).toBe(3);
      expect(realigned.map(summary)).toEqual([[['User', 'auto_increment', false, 'unchanged', 3n]]]);
    });
  });

  describe('the seqsync-prisma seed step', () => {
    test('check exits 1 while sqlite_sequence is behind and writes nothing; '
      + 'realign through a file: URL fixes it; check then exits 0', async () => {
      await restoreUsersWithoutSequenceRow();
      const url = `file:${file.path}`;

      const behind = await project.bin('seqsync-prisma', ['check', '--metadata', 'generated/seqsync', '--url', url]);
      expect(behind.code).toBe(1);
      expect(sqliteSequenceOf(file.db, 'User')).toBeNull();

      const realigned = await project.bin('seqsync-prisma', ['realign', '--metadata', 'generated/seqsync', '--url', url]);
      expect(realigned.code).toBe(0);
      expect(realigned.stdout).toMatch(sequenceRow('main.User', 'main.User.id', '5', '1', '6', 'advanced'));
      expect((await project.bin('seqsync-prisma', ['check', '--metadata', 'generated/seqsync', '--url', url])).code).toBe(0);
      expect(sqliteSequenceOf(file.db, 'User')).toBe(5n);
    });
  });
});

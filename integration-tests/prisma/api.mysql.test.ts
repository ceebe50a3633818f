import type { Connection } from 'mysql2/promise';
import type { MysqlTestDatabase } from '../../test-support/mysql-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { SequencesReport, PrismaSchemaMetadata } from '@seqsync/prisma';
import { createConnection } from 'mysql2/promise';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { realign } from '@seqsync/core';
import { checkSequences, fromPrismaClient, realignSequences, realignSequencesExtension } from '@seqsync/prisma';
import { autoIncrementOf, createMysqlDatabase } from '../../test-support/mysql-database';
import { expectDuplicateKey, migrationScripts, preparePrismaProject, sequenceRow } from './support/prisma-project';
import { seedExplicitIds } from './project-mysql/seed-data';

/**
 * The same API on MariaDB: a Prisma 7 client generated for the `mysql` provider, through
 * @prisma/adapter-mariadb. AUTO_INCREMENT follows explicit ids by itself, so what drifts there is a
 * MariaDB SEQUENCE behind a dbgenerated("nextval(...)") key (explicit ids never move it) and any counter
 * left high by deletes (mode 'reset').
 */
describe('Prisma on MariaDB (@prisma/adapter-mariadb)', () => {
  let db: MysqlTestDatabase;
  let project: PrismaProject;
  let prisma: TestPrismaClient;
  let metadata: PrismaSchemaMetadata;

  beforeAll(async () => {
    db = await createMysqlDatabase('prisma');
    project = await preparePrismaProject('mysql', db, { template: 'project-mysql', adapter: (url) => new PrismaMariaDb(url) });
    for (const script of await migrationScripts('project-mysql')) await db.sql(script);
    prisma = project.newClient();
    metadata = project.metadata();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await project?.remove();
    await db?.drop();
  });

  beforeEach(() => db.sql(`SET FOREIGN_KEY_CHECKS = 0;
    TRUNCATE TABLE \`blog_posts\`; TRUNCATE TABLE \`User\`; TRUNCATE TABLE \`audit_events\`;
    TRUNCATE TABLE \`tickets\`; TRUNCATE TABLE \`memberships\`; TRUNCATE TABLE \`Tag\`;
    SET FOREIGN_KEY_CHECKS = 1;
    ALTER SEQUENCE \`ticket_seq\` RESTART WITH 1`));

  /**
   * Prisma's create() on MySQL reads the new row back through LAST_INSERT_ID(), which a SEQUENCE default
   * does not set (create() then resolves to null), so the ticket is read back by its title.
   */
  async function createTicket(client: TestPrismaClient, title: string): Promise<number> {
    await client.ticket.create({ data: { title } });
    return (await client.ticket.findFirstOrThrow({ where: { title } })).id as number;
  }

  const summary = (report: SequencesReport) =>
    report.sequences.map((s) => [s.sequence, s.uses[0].kind, s.behind, s.action, s.nextValueAfter]);

  describe('realignSequences and checkSequences', () => {
    test('before: explicit ticket ids leave the SEQUENCE at 1 and the next create() fails with P2002 on PRIMARY; '
      + 'AUTO_INCREMENT keys follow by themselves', async () => {
      await seedExplicitIds(prisma);

      await expectDuplicateKey(prisma.ticket.create({ data: { title: 'New' } }), 'PRIMARY', '1062');
      expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(4);
      expect((await prisma.auditEvent.create({ data: { kind: 'new' } })).id).toBe(9007199254740994n);
    });

    test('checkSequences on the MariaDB dialect reports only the SEQUENCE behind, and writes nothing', async () => {
      await seedExplicitIds(prisma);

      const report = await checkSequences(prisma, { metadata });

      expect(report.dialect).toBe('mariadb');
      expect(summary(report)).toEqual([
        ['User', 'auto_increment', false, 'unchanged', 4n],
        ['audit_events', 'auto_increment', false, 'unchanged', 9007199254740994n],
        ['blog_posts', 'auto_increment', false, 'unchanged', 3n],
        ['ticket_seq', 'default', true, 'would_advance', 4n],
      ]);
      expect(report.sequences[3]).toMatchObject({
        schema: db.name,
        dataMax: 3n,
        nextValueBefore: 1n,
        uses: [{ table: 'tickets', column: 'id' }],
      });
      const [sequence] = await db.sql<{ next: string }>('SELECT CAST(next_not_cached_value AS CHAR) AS next FROM `ticket_seq`');
      expect(sequence.next).toBe('1');
    });

    test('after realignSequences the next create() gets exactly MAX+1 on the SEQUENCE-fed key; AUTO_INCREMENT is left alone', async () => {
      await seedExplicitIds(prisma);

      const report = await realignSequences(prisma, { metadata });

      expect(summary(report)).toEqual([
        ['User', 'auto_increment', false, 'unchanged', 4n],
        ['audit_events', 'auto_increment', false, 'unchanged', 9007199254740994n],
        ['blog_posts', 'auto_increment', false, 'unchanged', 3n],
        ['ticket_seq', 'default', true, 'advanced', 4n],
      ]);
      expect(report.statements.filter((sql) => /^(ALTER|BEGIN NOT ATOMIC)/.test(sql))).toEqual([]);
      expect(await createTicket(prisma, 'Next')).toBe(4);
      expect((await prisma.user.create({ data: { email: 'new@example.com' } })).id).toBe(4);
    });

    test('reset after deletes: AUTO_INCREMENT and the SEQUENCE come back to exactly MAX+1, '
      + 'while advance never moves them back', async () => {
      for (const n of [1, 2, 3, 4, 5]) {
        await prisma.user.create({ data: { email: `user${n}@example.com` } });
        await createTicket(prisma, `Ticket ${n}`);
      }
      await prisma.user.deleteMany({ where: { id: { gte: 4 } } });
      await prisma.ticket.deleteMany({ where: { id: { gte: 4 } } });

      const advanced = await realignSequences(prisma, { metadata, models: ['User', 'Ticket'] });
      expect(advanced.sequences.map((s) => [s.sequence, s.action])).toEqual([['User', 'unchanged'], ['ticket_seq', 'unchanged']]);
      expect(await autoIncrementOf(db, 'User')).toBe(6n);

      // ALTER TABLE … AUTO_INCREMENT and ALTER SEQUENCE … RESTART are DDL: core runs them on a connection it owns.
      const reset = await realignSequences(prisma, { metadata, models: ['User', 'Ticket'], mode: 'reset' });

      expect(summary(reset)).toEqual([['User', 'auto_increment', false, 'reset', 4n], ['ticket_seq', 'default', false, 'reset', 4n]]);
      expect(await autoIncrementOf(db, 'User')).toBe(4n);
      expect((await prisma.user.create({ data: { email: 'again@example.com' } })).id).toBe(4);
      expect(await createTicket(prisma, 'Again')).toBe(4);
    });

    test('given a transaction client, it realigns the SEQUENCE inside that transaction and sees its uncommitted rows', async () => {
      const id = await prisma.$transaction(async (tx) => {
        await tx.ticket.createMany({ data: [{ id: 70, title: 'Seventy' }] });
        await realignSequences(tx, { metadata, models: ['Ticket'] });
        return createTicket(tx, 'After seventy');
      });

      expect(id).toBe(71);
    });

    test('inside a transaction client, reset (DDL, which would commit the caller\'s transaction) '
      + 'is refused with INVALID_OPTION and nothing changes', async () => {
      for (const n of [1, 2, 3]) await prisma.user.create({ data: { email: `user${n}@example.com` } });
      await prisma.user.delete({ where: { id: 3 } });

      const failure = prisma.$transaction((tx) => realignSequences(tx, { metadata, models: ['User'], mode: 'reset' }));

      await expect(failure).rejects.toMatchObject({
        name: 'SeqsyncError',
        code: 'INVALID_OPTION',
        message: expect.stringContaining('outside the transaction'),
      });
      expect(await autoIncrementOf(db, 'User')).toBe(4n);
    });

    test('a row lock held by another session ends in SeqsyncError LOCK_TIMEOUT naming the table, not a raw Prisma error', async () => {
      await prisma.user.create({ data: { email: 'locked@example.com' } });
      const other: Connection = await createConnection({ uri: db.url });
      try {
        await other.query('START TRANSACTION');
        await other.query('SELECT * FROM `User` FOR UPDATE');

        const failure = await realignSequences(prisma, { metadata, models: ['User'], lockTimeoutMs: 1000 })
          .catch((error: unknown) => error);

        expect(failure).toMatchObject({ name: 'SeqsyncError', code: 'LOCK_TIMEOUT' });
        expect((failure as Error).message).toContain(`\`${db.name}\`.\`User\``);
      } finally {
        await other.query('ROLLBACK');
        await other.end();
      }
    });

    test('the server decides the dialect: the client declares its provider mysql, '
      + 'core asks the server and realigns as MariaDB', async () => {
      const queryable = fromPrismaClient(prisma);

      expect(queryable.dialect).toBe('mysql');
      expect((await realign(queryable, { tables: ['User'] })).dialect).toBe('mariadb');
      expect((await checkSequences(prisma, { metadata })).dialect).toBe('mariadb');
    });

    test('rows come back the way core reads them: BIGINT as strings, parameters bound with ?', async () => {
      const [row] = await fromPrismaClient(prisma).query(
        'SELECT CAST(9007199254740993 AS SIGNED) AS big, ? AS text, CAST(? AS CHAR) AS number',
        ['Ada', 7],
      );

      expect(row).toEqual({ big: '9007199254740993', text: 'Ada', number: '7' });
    });

    test('composite and String keys are reported as skipped, each with its reason', async () => {
      const report = await realignSequences(prisma, { metadata });

      expect(report.skipped).toEqual([
        { model: 'Membership', table: 'memberships', schema: null, reason: 'composite primary key (userId, groupId) has no sequence' },
        {
          model: 'Tag',
          table: 'Tag',
          schema: null,
          reason: 'String id "slug" has no @default: the application supplies every value, no sequence',
        },
      ]);
    });

    test('the generator records provider mysql and the dbgenerated("nextval(...)") key as sequence-fed', () => {
      const ticket = metadata.models.find((m) => m.model === 'Ticket');

      expect(metadata.provider).toBe('mysql');
      expect(ticket).toMatchObject({
        table: 'tickets',
        realign: true,
        primaryKey: [{ field: 'id', column: 'id', type: 'Int', default: 'nextval' }],
      });
    });
  });

  describe('realignSequencesExtension', () => {
    test('createMany with explicit ticket ids realigns the SEQUENCE: the next plain create() gets exactly MAX+1', async () => {
      const realigned: SequencesReport[] = [];
      const extended = prisma.$extends(realignSequencesExtension({ metadata, onReport: (report) => realigned.push(report) }));

      await extended.ticket.createMany({ data: [{ id: 1, title: 'One' }, { id: 2, title: 'Two' }] });

      expect(realigned.map(summary)).toEqual([[['ticket_seq', 'default', true, 'advanced', 3n]]]);
      expect(await createTicket(prisma, 'Three')).toBe(3);
    });

    test('inside an interactive $transaction the realign joins it: the next create() in the same transaction gets MAX+1', async () => {
      const extended = prisma.$extends(realignSequencesExtension({ metadata }));

      const id = await extended.$transaction(async (tx) => {
        await tx.ticket.create({ data: { id: 40, title: 'Forty' } });
        return createTicket(tx, 'Forty-one');
      });

      expect(id).toBe(41);
    });
  });

  describe('prisma db seed', () => {
    test('realignAfterSeed in seed.ts: after `prisma db seed` the next ticket gets exactly MAX+1', async () => {
      const { stderr } = await project.prisma(['db', 'seed']);

      expect(stderr).toContain('seqsync: Moved 1 of 4 sequences in 1 transaction.');
      expect(stderr).toMatch(sequenceRow(`${db.name}.ticket_seq`, `${db.name}.tickets.id`, '3', '1', '4', 'advanced'));
      expect(stderr.match(/^skipped model \w+/gm)).toEqual(['skipped model Membership', 'skipped model Tag']);
      expect(await createTicket(prisma, 'After seed')).toBe(4);
    });

    test('the seqsync-prisma step in migrations.seed realigns through a mysql:// DATABASE_URL after an unchanged seed script', async () => {
      const { stdout } = await project.prisma(['db', 'seed', '--config', 'prisma.config.seed-step.ts']);

      expect(stdout).toMatch(sequenceRow(`${db.name}.ticket_seq`, `${db.name}.tickets.id`, '3', '1', '4', 'advanced'));
      expect(await createTicket(prisma, 'After seed')).toBe(4);
    });
  });
});

import type { MysqlTestDatabase } from '../../test-support/mysql-database';
import type { PrismaProject, TestPrismaClient } from './support/prisma-project';
import type { PrismaHealCause } from '@seqsync/prisma';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { healAttemptOf, realignSequencesExtension } from '@seqsync/prisma';
import { createMysqlDatabase } from '../../test-support/mysql-database';
import { expectDuplicateKey, migrationScripts, preparePrismaProject } from './support/prisma-project';

/** realignSequencesExtension({ heal: true }) on MariaDB: a key fed by a SEQUENCE, whose 1062 names only PRIMARY. */
describe('realignSequencesExtension({ heal: true }) on MariaDB', () => {
  let db: MysqlTestDatabase;
  let project: PrismaProject;
  let base: TestPrismaClient;
  let healing: TestPrismaClient;
  const causes: PrismaHealCause[] = [];

  beforeAll(async () => {
    db = await createMysqlDatabase('prisma_heal');
    project = await preparePrismaProject('heal-mysql', db, { template: 'project-mysql', adapter: (url) => new PrismaMariaDb(url) });
    for (const script of await migrationScripts('project-mysql')) await db.sql(script);
    base = project.newClient();
    healing = base.$extends(realignSequencesExtension({
      metadata: project.metadata(), heal: true, onHeal: (_report, cause) => causes.push(cause),
    }));
  });
  afterAll(async () => {
    await base?.$disconnect();
    await project?.remove();
    await db?.drop();
  });
  // Tickets 1..3 imported with explicit ids: ticket_seq still hands out 1.
  beforeEach(async () => {
    causes.length = 0;
    await db.sql("TRUNCATE TABLE `tickets`; ALTER SEQUENCE `ticket_seq` RESTART WITH 1; INSERT INTO `tickets` (id, title) VALUES "
      + "(1, 'a'), (2, 'b'), (3, 'c')");
  });

  const ticketIds = async () => (await db.sql<{ id: number }>('SELECT id FROM tickets ORDER BY id')).map((row) => Number(row.id));

  test('a create() without an id succeeds on the first call and its row gets exactly MAX+1; base fails with P2002 on PRIMARY', async () => {
    await expectDuplicateKey(base.ticket.create({ data: { title: 'plain' } }), 'PRIMARY', '1062');

    await healing.ticket.create({ data: { title: 'new' } });

    expect(await ticketIds()).toEqual([1, 2, 3, 4]);
    expect(causes).toEqual([{ table: `${db.name}.tickets`, operation: 'create', model: 'Ticket' }]);
  });

  test('an explicit duplicate id fails with the original P2002 and nothing is realigned', async () => {
    const error = await healing.ticket.create({ data: { id: 2, title: 'dup' } }).then(() => null, (e: unknown) => e);

    expect(error).toMatchObject({ code: 'P2002' });
    expect(healAttemptOf(error)).toBeUndefined();
    expect(causes).toEqual([]);
  });
});

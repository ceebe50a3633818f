import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { checkSequences, realignSequences } from '@seqsync/typeorm';
import { autoIncrementOf, createMysqlDatabase, type MysqlTestDatabase } from '../../test-support/mysql-database';

@Entity()
class Ticket {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true }) id!: number;
  @Column() title!: string;
}

/** realignSequences / checkSequences with TypeORM's "mysql" and "mariadb" drivers on real MariaDB. */
describe.each(['mysql', 'mariadb'] as const)('realignSequences with TypeORM\'s %s driver on MariaDB', (type) => {
  let db: MysqlTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createMysqlDatabase(`typeorm_${type}`);
    dataSource = await new DataSource({ type, url: db.url, entities: [Ticket], synchronize: true }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('explicit ids move AUTO_INCREMENT themselves (nothing behind); after deletes, reset makes the next save() get MAX+1', async () => {
    const repository = dataSource.getRepository(Ticket);
    await dataSource.createQueryBuilder().insert().into(Ticket, ['id', 'title'])
      .values([1, 2, 3, 4, 5, 6].map((id) => ({ id, title: `t${id}` }))).execute();
    const check = await checkSequences(dataSource);
    expect(check.dialect).toBe('mariadb');
    expect(check.sequences).toEqual([
      expect.objectContaining({ sequence: 'ticket', behind: false, nextValueBefore: 7n, exhaustionPercent: 0 }),
    ]);

    await repository.delete([4, 5, 6]);
    const report = await realignSequences(dataSource, { mode: 'reset' });
    expect(report.entityTables.map((t) => t.table)).toEqual(['ticket']);
    expect(report.sequences[0]).toMatchObject({ action: 'reset', dataMax: 3n, nextValueBefore: 7n, nextValueAfter: 4n });
    expect(await autoIncrementOf(db, 'ticket')).toBe(4n);
    expect((await repository.save({ title: 'next' })).id).toBe(4);
  });

  it('inside dataSource.transaction a reset needing ALTER TABLE is refused with nothing changed; advance runs inside it', async () => {
    const repository = dataSource.getRepository(Ticket);
    await dataSource.createQueryBuilder().delete().from(Ticket).execute();
    await dataSource.transaction(async (manager) => {
      await manager.getRepository(Ticket).save({ title: 'inside' });
      const dropped = await manager.getRepository(Ticket).save({ title: 'dropped' });
      await manager.getRepository(Ticket).delete(dropped.id);
      await expect(realignSequences(manager, { mode: 'reset' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      const report = await realignSequences(manager);
      expect(report.statements.filter((s) => /^(START TRANSACTION|COMMIT)/.test(s))).toEqual([]);
    });
    expect(await repository.count()).toBe(1);
  });
});

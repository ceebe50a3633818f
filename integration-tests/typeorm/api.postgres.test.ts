import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { checkSequences, realignSequences } from '@seqsync/typeorm';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import { ApiSession, Author, CamelCaseRow, Invoice, Membership, OrderLine, Product } from './entities';
import { SKIPPED_ENTITIES, StatementLog, authorRows, expectDuplicateKey, openDataSource } from './typeorm-test-support';

/** realignSequences / checkSequences on a real TypeORM DataSource and EntityManager, on PostgreSQL. */
describe('realignSequences and checkSequences with TypeORM on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const log = new StatementLog();

  beforeAll(async () => {
    db = await createTestDatabase('typeorm_api');
    await db.sql('CREATE SCHEMA inventory');
    dataSource = await openDataSource(db, { entities: [Author, Invoice, Product, CamelCaseRow, Membership, ApiSession], logger: log });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.sql('TRUNCATE author, invoice, inventory.product, "CamelCase" RESTART IDENTITY');
    log.clear();
  });

  /** Inserts the way users manage to produce the drift with TypeORM 1.1.1. */
  async function seedWithExplicitIds(): Promise<void> {
    await dataSource.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 3)).execute();
    // An identity column is sent as given by repository.insert / save.
    await dataSource.getRepository(Invoice).insert([{ id: 1, reference: 'A-1' }, { id: 2, reference: 'A-2' }]);
    await dataSource.createQueryBuilder().insert().into(Product, ['id', 'sku'])
      .values([{ id: '1', sku: 'p1' }, { id: '2', sku: 'p2' }, { id: '7', sku: 'p7' }]).execute();
    await dataSource.createQueryBuilder().insert().into(CamelCaseRow, ['id', 'label'])
      .values([1, 2, 3, 4, 5].map((id) => ({ id, label: `row ${id}` }))).execute();
  }

  it('round trips through the QueryRunner: check 8 and realign 9 for one batch, each one statement TypeORM logged', async () => {
    await seedWithExplicitIds();
    log.clear();
    const checked = await checkSequences(dataSource);
    expect(checked.roundTrips).toBe(8);
    expect(log.statements).toHaveLength(8);
    log.clear();
    const realigned = await realignSequences(dataSource);
    expect(realigned.batches).toBe(1);
    expect(realigned.roundTrips).toBe(9);
    expect(log.statements).toHaveLength(9);
  });

  it('after explicit-id inserts the next save() fails with 23505; after realignSequences(dataSource) it gets exactly MAX+1', async () => {
    await seedWithExplicitIds();
    // Each failing save() consumes one sequence value, as in production.
    await expectDuplicateKey(dataSource.getRepository(Author).save({ name: 'next' }));
    await expectDuplicateKey(dataSource.getRepository(Invoice).save({ reference: 'next' }));
    await expectDuplicateKey(dataSource.getRepository(Product).save({ sku: 'next' }));
    await expectDuplicateKey(dataSource.getRepository(CamelCaseRow).save({ label: 'next' }));

    const report = await realignSequences(dataSource);

    const moved = Object.fromEntries(report.sequences.map((s) => [
      `${s.uses[0].schema}.${s.uses[0].table}`,
      [s.action, s.nextValueBefore, s.nextValueAfter],
    ]));
    expect(moved).toEqual({
      'public.author': ['advanced', 2n, 4n],
      'public.invoice': ['advanced', 2n, 3n],
      'inventory.product': ['advanced', 2n, 8n],
      'public.CamelCase': ['advanced', 2n, 6n],
    });
    expect(report.tablesWithoutSequence).toEqual([]);
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(4);
    expect((await dataSource.getRepository(Invoice).save({ reference: 'next' })).id).toBe(3);
    expect((await dataSource.getRepository(Product).save({ sku: 'next' })).id).toBe('8');
    expect((await dataSource.getRepository(CamelCaseRow).save({ label: 'next' })).id).toBe(6);
  });

  it('reports the uuid and composite-key entities as skipped, with reasons', async () => {
    const report = await realignSequences(dataSource);
    expect(report.skipped).toEqual(expect.arrayContaining(SKIPPED_ENTITIES));
    expect(report.skipped).toHaveLength(2);
  });

  it('checkSequences reports the drift read-only: nothing moves and save() still fails', async () => {
    await seedWithExplicitIds();
    const report = await checkSequences(dataSource, { entities: [Author] });
    expect(report.dryRun).toBe(true);
    expect(report.sequences).toHaveLength(1);
    expect(report.sequences[0]).toMatchObject({
      sequence: 'author_id_seq',
      behind: true,
      dataMax: 3n,
      nextValueBefore: 1n,
      nextValueAfter: 4n,
    });
    expect(await nextValue(db, '"public"."author_id_seq"')).toBe(1n);
    await expectDuplicateKey(dataSource.getRepository(Author).save({ name: 'still colliding' }));
  });

  it('JSON.stringify(report) writes the bigints as strings and keeps entityTables and skipped, as seqsync --json does', async () => {
    await seedWithExplicitIds();
    const report = JSON.parse(JSON.stringify(await checkSequences(dataSource, { entities: [Product] }))) as {
      sequences: { nextValueBefore: string; nextValueAfter: string }[];
      entityTables: { table: string }[];
      skipped: unknown[];
    };
    expect(report.sequences.map((s) => [s.nextValueBefore, s.nextValueAfter])).toEqual([['1', '8']]);
    expect(report.entityTables.map((t) => t.table)).toEqual(['product']);
    expect(report.skipped).toEqual([]);
  });

  it('{ entities } limits the run to those entities\' tables', async () => {
    await seedWithExplicitIds();
    const report = await realignSequences(dataSource, { entities: [Invoice, 'Author'] });
    expect(report.entityTables.map((t) => t.table).sort()).toEqual(['author', 'invoice']);
    expect(report.sequences.map((s) => s.sequence).sort()).toEqual(['author_id_seq', 'invoice_id_seq']);
    const untouched = await checkSequences(dataSource, { entities: [Product] });
    expect(untouched.sequences[0]).toMatchObject({ behind: true, nextValueBefore: 1n });
  });

  it('with the EntityManager of dataSource.transaction it runs inside that transaction, without BEGIN or COMMIT of its own', async () => {
    const report = await dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 40)).execute();
      // Only this transaction sees the 40 rows: realigning to 41 proves seqsync ran on its connection.
      return realignSequences(manager, { entities: [Author] });
    });
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', dataMax: 40n, nextValueAfter: 41n });
    expect(report.statements.filter((s) => /^(BEGIN|COMMIT|ROLLBACK)/.test(s))).toEqual([]);
    expect(log.count(/^(START TRANSACTION|BEGIN)$/)).toBe(1);
    expect(log.count(/^COMMIT$/)).toBe(1);
    expect(log.count(/^DO 'BEGIN LOCK TABLE "public"\."author" IN SHARE ROW EXCLUSIVE MODE; /)).toBe(1);
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(41);
  });

  it('with the DataSource it leases one QueryRunner and commits its own transaction on it', async () => {
    await seedWithExplicitIds();
    const report = await realignSequences(dataSource, { entities: [Author] });
    expect(report.batches).toBe(1);
    expect(report.statements[0]).toBe('BEGIN');
    expect(report.statements[report.statements.length - 1]).toBe('COMMIT');
    expect(log.count(/^DO 'BEGIN LOCK TABLE /)).toBe(1);
  });

  it('TypeORM\'s QueryRunner.query returns no rows for a multi-statement script, so statements go one per round trip', async () => {
    const queryRunner = dataSource.createQueryRunner();
    try {
      const structured = await queryRunner.query('SELECT 1 AS first; SELECT 2 AS last', undefined, true);
      expect(structured.records).toEqual([]);
      expect(await queryRunner.query('SELECT 1 AS first; SELECT 2 AS last')).toBeUndefined();
    } finally {
      await queryRunner.release();
    }
    await seedWithExplicitIds();
    const report = await realignSequences(dataSource, { entities: [Author] });
    expect(report.statements.every((s) => !/;\s*\n/.test(s))).toBe(true);
    expect(report.statements).toEqual(expect.arrayContaining(['BEGIN', 'COMMIT']));
  });

  it('refuses an entity the DataSource does not know, with INVALID_OPTION', async () => {
    await expect(realignSequences(dataSource, { entities: [OrderLine] })).rejects.toMatchObject({
      name: 'SeqsyncError', code: 'INVALID_OPTION', message: 'unknown entity "OrderLine": it is not among this DataSource\'s entities',
    });
  });

  it('refuses a DataSource that is not initialized, with INVALID_OPTION', async () => {
    const idle = new DataSource({ type: 'postgres', url: db.url, entities: [Author] });
    await expect(realignSequences(idle)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('not initialized'),
    });
  });

  it.each(['mysql', 'mariadb'] as const)('a %s DataSource that is not initialized fails with INVALID_OPTION, '
    + 'before connecting', async (type) => {
    const mysql = new DataSource({ type, host: '127.0.0.1', port: 1, username: 'nobody', database: 'none', entities: [Author] });
    await expect(realignSequences(mysql)).rejects.toMatchObject({
      name: 'SeqsyncError',
      code: 'INVALID_OPTION',
      message: expect.stringContaining('not initialized'),
    });
    await expect(checkSequences(mysql)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(mysql.isInitialized).toBe(false);
  });
});

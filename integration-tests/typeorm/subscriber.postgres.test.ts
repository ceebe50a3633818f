import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { SequencesReport } from '@seqsync/typeorm';
import { RealignSequencesSubscriber, realignSequencesSubscriber, realignSequences } from '@seqsync/typeorm';
import { createTestDatabase, nextValue, type TestDatabase } from '../../test-support/test-database';
import { ApiSession, Author, Invoice, Product } from './entities';
import { StatementLog, authorRows, expectDuplicateKey, openDataSource } from './typeorm-test-support';

/** The subscriber on a real DataSource: realigns after explicit-id inserts, once per transaction. */
describe('RealignSequencesSubscriber on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const log = new StatementLog();
  const realigns: SequencesReport[] = [];
  // TypeORM takes no scripts: the lock phase is one DO block, the LOCK its first statement.
  const locks = () => log.count(/^DO 'BEGIN LOCK TABLE /);
  const realignedTables = () => realigns.map((r) => r.entityTables.map((t) => `${t.schema}.${t.table}`).sort());

  beforeAll(async () => {
    db = await createTestDatabase('typeorm_subscriber');
    await db.sql('CREATE SCHEMA inventory');
    dataSource = await openDataSource(db, {
      entities: [Author, Invoice, Product, ApiSession],
      subscribers: [realignSequencesSubscriber({ onReport: (report) => realigns.push(report) })],
      logger: log,
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.sql('TRUNCATE author, invoice, inventory.product, api_session RESTART IDENTITY');
    log.clear();
    realigns.length = 0;
  });

  it('one transaction of bulk explicit-id inserts into three tables realigns once, with one LOCK for all three', async () => {
    await dataSource.transaction(async (manager) => {
      for (let from = 1; from <= 100; from += 20) {
        await manager.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(from, from + 19)).execute();
      }
      await manager.getRepository(Invoice).insert(Array.from({ length: 60 }, (_, i) => ({ id: i + 1, reference: `R-${i + 1}` })));
      await manager.createQueryBuilder().insert().into(Product, ['id', 'sku'])
        .values(['10', '20', '30'].map((id) => ({ id, sku: `p${id}` }))).execute();
      // Nothing realigned yet: the rows are not committed.
      expect(realigns).toHaveLength(0);
    });

    expect(realigns).toHaveLength(1);
    expect(realignedTables()).toEqual([['inventory.product', 'public.author', 'public.invoice']]);
    expect(locks()).toBe(1);
    expect(realigns[0].sequences.map((s) => [s.sequence, s.nextValueAfter]).sort()).toEqual([
      ['author_id_seq', 101n], ['invoice_id_seq', 61n], ['product_id_seq', 31n],
    ]);
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(101);
    expect((await dataSource.getRepository(Invoice).save({ reference: 'next' })).id).toBe(61);
    expect((await dataSource.getRepository(Product).save({ sku: 'next' })).id).toBe('31');
  });

  it('repository.save() of 30 entities with explicit identity ids realigns once, after save\'s own commit', async () => {
    await dataSource.getRepository(Invoice).save(Array.from({ length: 30 }, (_, i) => ({ id: i + 1, reference: `S-${i + 1}` })));
    expect(realigns).toHaveLength(1);
    expect(locks()).toBe(1);
    expect((await dataSource.getRepository(Invoice).save({ reference: 'next' })).id).toBe(31);
  });

  it('a bulk insert outside any transaction realigns once for the statement, before execute() resolves', async () => {
    await dataSource.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 50)).execute();
    expect(realigns).toHaveLength(1);
    expect(locks()).toBe(1);
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(51);
  });

  it('inserts that let the sequence assign keys do no realign work', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.getRepository(Author).save(Array.from({ length: 10 }, (_, i) => ({ name: `a${i}` })));
      await manager.getRepository(Invoice).insert([{ reference: 'x' }, { reference: 'y' }]);
      await manager.getRepository(ApiSession).insert({ token: 't' });
    });
    await dataSource.createQueryBuilder().insert().into(Author).values([{ name: 'b1' }, { name: 'b2' }]).execute();
    expect(realigns).toHaveLength(0);
    expect(locks()).toBe(0);
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(13);
  });

  it('an explicit id TypeORM drops on an increment column (save, insert, values) is seen as sequence-assigned: no realign', async () => {
    const saved = await dataSource.getRepository(Author).save({ id: 500, name: 'dropped by save' });
    await dataSource.getRepository(Author).insert({ id: 900, name: 'dropped by insert' });
    await dataSource.createQueryBuilder().insert().into(Author).values({ id: 700, name: 'dropped by values' }).execute();
    expect(saved.id).toBe(1);
    expect((await db.sql<{ id: number }>('SELECT id FROM author ORDER BY id')).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(realigns).toHaveLength(0);
    expect(locks()).toBe(0);
  });

  it('a savepoint released inside a transaction does not realign; the outer commit does, once', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 5)).execute();
      await manager.transaction(async (inner) => {
        await inner.getRepository(Invoice).insert([{ id: 8, reference: 'inner' }]);
      });
      expect(log.count(/^RELEASE SAVEPOINT/)).toBe(1);
      expect(realigns).toHaveLength(0);
    });
    expect(realignedTables()).toEqual([['public.author', 'public.invoice']]);
    expect(locks()).toBe(1);
    expect((await dataSource.getRepository(Invoice).save({ reference: 'next' })).id).toBe(9);
  });

  it('a rolled-back transaction realigns nothing', async () => {
    await expect(dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 5)).execute();
      throw new Error('abandon the import');
    })).rejects.toThrow('abandon the import');
    expect(realigns).toHaveLength(0);
    expect(locks()).toBe(0);
  });

  it('raw SQL bypasses subscribers: the next save() still fails until realignSequences runs', async () => {
    await dataSource.query(`INSERT INTO author (id, name) VALUES (1, 'raw'), (2, 'raw')`);
    expect(realigns).toHaveLength(0);
    await expectDuplicateKey(dataSource.getRepository(Author).save({ name: 'collides' }));
    await realignSequences(dataSource, { entities: [Author] });
    expect((await dataSource.getRepository(Author).save({ name: 'next' })).id).toBe(3);
  });

  it('registered as the plain class in subscribers: [...], it realigns the same way', async () => {
    const plain = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [Author],
      subscribers: [RealignSequencesSubscriber],
    }).initialize();
    try {
      await plain.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 12)).execute();
      expect((await plain.getRepository(Author).save({ name: 'next' })).id).toBe(13);
    } finally {
      await plain.destroy();
    }
  });

  it('a realign that cannot lock its table fails the statement with LOCK_TIMEOUT naming the table, never silently', async () => {
    const impatient = await new DataSource({
      type: 'postgres', url: db.url, entities: [Author], subscribers: [realignSequencesSubscriber({ lockTimeoutMs: 200 })],
    }).initialize();
    // Another session writing to author: ordinary inserts pass, the realign's SHARE ROW EXCLUSIVE lock must wait.
    await db.sql('BEGIN; LOCK TABLE author IN ROW EXCLUSIVE MODE');
    try {
      await expect(impatient.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 3)).execute())
        .rejects.toMatchObject({ name: 'SeqsyncError', code: 'LOCK_TIMEOUT', message: expect.stringContaining('"public"."author"') });
    } finally {
      await db.sql('ROLLBACK');
      await impatient.destroy();
    }
    // Outside a transaction the rows were already written; the error says the sequence was not moved.
    expect(await nextValue(db, '"public"."author_id_seq"')).toBe(1n);
  });

  it('with onError, a failed realign is handed to the callback with its tables and the statement succeeds', async () => {
    const failures: { code: unknown; tables: string[] }[] = [];
    const tolerant = await new DataSource({
      type: 'postgres', url: db.url, entities: [Author],
      subscribers: [realignSequencesSubscriber({
        lockTimeoutMs: 200,
        onError: (error, tables) => failures.push({ code: (error as { code?: unknown }).code, tables: tables.map((t) => t.table) }),
      })],
    }).initialize();
    await db.sql('BEGIN; LOCK TABLE author IN ROW EXCLUSIVE MODE');
    try {
      await tolerant.createQueryBuilder().insert().into(Author, ['id', 'name']).values(authorRows(1, 3)).execute();
    } finally {
      await db.sql('ROLLBACK');
      await tolerant.destroy();
    }
    expect(failures).toEqual([{ code: 'LOCK_TIMEOUT', tables: ['author'] }]);
  });
});

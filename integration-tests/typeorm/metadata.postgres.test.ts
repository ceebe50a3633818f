import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { EntityTable } from '@seqsync/typeorm';
import { checkSequences, describeEntities, realignSequences } from '@seqsync/typeorm';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database';
import {
  ApiSession, Author, Bicycle, CamelCaseRow, Car, Invoice, Membership, OrderLine, Product, ShopNamingStrategy, Vehicle,
} from './entities';
import { SKIPPED_ENTITIES, expectDuplicateKey, openDataSource } from './typeorm-test-support';

function byTable(tables: readonly EntityTable[]): EntityTable[] {
  return [...tables].sort((a, b) => (`${a.schema}.${a.table}` < `${b.schema}.${b.table}` ? -1 : 1));
}

/** What seqsync reads from `dataSource.entityMetadatas`, checked against the tables TypeORM really created. */
describe('TypeORM entity metadata as seqsync tables, on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let shop: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('typeorm_metadata');
    await db.sql('CREATE SCHEMA inventory');
    dataSource = await openDataSource(db, {
      entities: [Author, Invoice, Product, CamelCaseRow, Membership, ApiSession, Vehicle, Car, Bicycle],
    });
    shop = await openDataSource(db, { entities: [OrderLine], namingStrategy: new ShopNamingStrategy() });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await shop?.destroy();
    await db?.drop();
  });

  it('maps increment and identity keys to schema, table and column names as in the database', () => {
    const { tables } = describeEntities(dataSource);
    const key = (column: string, strategy: 'increment' | 'identity', property = column) => [{ column, property, strategy, primary: true }];
    expect(byTable(tables)).toEqual([
      { schema: 'inventory', table: 'product', entities: ['Product'], columns: key('id', 'increment') },
      { schema: 'public', table: 'CamelCase', entities: ['CamelCaseRow'], columns: key('id', 'increment') },
      { schema: 'public', table: 'author', entities: ['Author'], columns: key('id', 'increment') },
      { schema: 'public', table: 'invoice', entities: ['Invoice'], columns: key('id', 'identity') },
      {
        schema: 'public',
        table: 'vehicle',
        entities: expect.arrayContaining(['Vehicle', 'Car', 'Bicycle']),
        columns: key('id', 'increment'),
      },
    ]);
  });

  it('single-table inheritance: parent and children appear once, as the one table they share', () => {
    const vehicle = describeEntities(dataSource).tables.filter((t) => t.table === 'vehicle');
    expect(vehicle).toHaveLength(1);
    expect([...vehicle[0].entities].sort()).toEqual(['Bicycle', 'Car', 'Vehicle']);
  });

  it('skips uuid and composite keys, each with the reason', () => {
    expect(describeEntities(dataSource).skipped).toEqual(expect.arrayContaining(SKIPPED_ENTITIES));
    expect(describeEntities(dataSource).skipped).toHaveLength(2);
  });

  it('core finds every mapped table under its exact name, each with its sequence', async () => {
    const report = await checkSequences(dataSource);
    expect(report.tablesWithoutSequence).toEqual([]);
    expect(report.sequences.map((s) => ({
      sequence: `${s.schema}.${s.sequence}`,
      use: s.uses.map((u) => `${u.schema}.${u.table}.${u.column}:${u.kind}`),
    }))
      .sort((a, b) => (a.sequence < b.sequence ? -1 : 1))).toEqual([
      { sequence: 'inventory.product_id_seq', use: ['inventory.product.id:owned'] },
      { sequence: 'public.CamelCase_id_seq', use: ['public.CamelCase.id:owned'] },
      { sequence: 'public.author_id_seq', use: ['public.author.id:owned'] },
      { sequence: 'public.invoice_id_seq', use: ['public.invoice.id:identity'] },
      { sequence: 'public.vehicle_id_seq', use: ['public.vehicle.id:owned'] },
    ]);
  });

  it('a child entity\'s explicit-id insert is realigned through the parent\'s table', async () => {
    await dataSource.createQueryBuilder().insert().into(Car, ['id', 'wheels', 'kind'])
      .values([{ id: 1, wheels: 4 }, { id: 2, wheels: 4 }]).execute();
    expect(await db.sql('SELECT id, kind FROM vehicle ORDER BY id')).toEqual([{ id: 1, kind: 'Car' }, { id: 2, kind: 'Car' }]);
    await expectDuplicateKey(dataSource.getRepository(Bicycle).save({ wheels: 2 }));
    const report = await realignSequences(dataSource, { entities: [Bicycle] });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter])).toEqual([['vehicle_id_seq', 3n]]);
    expect((await dataSource.getRepository(Bicycle).save({ wheels: 2 })).id).toBe(3);
  });

  it('a naming strategy\'s table and column names are what seqsync passes to core', async () => {
    expect(describeEntities(shop)).toEqual({
      tables: [{
        schema: 'public',
        table: 'shop_order_line',
        entities: ['OrderLine'],
        columns: [{ column: 'line_number', property: 'lineNumber', strategy: 'identity', primary: true }],
      }],
      skipped: [],
    });
    await shop.getRepository(OrderLine).insert([{ lineNumber: 1, productCode: 'a' }, { lineNumber: 2, productCode: 'b' }]);
    await expectDuplicateKey(shop.getRepository(OrderLine).save({ productCode: 'c' }));
    const report = await realignSequences(shop);
    expect(report.sequences.map((s) => [s.uses[0].table, s.uses[0].column, s.nextValueAfter]))
      .toEqual([['shop_order_line', 'line_number', 3n]]);
    expect((await shop.getRepository(OrderLine).save({ productCode: 'c' })).lineNumber).toBe(3);
  });
});

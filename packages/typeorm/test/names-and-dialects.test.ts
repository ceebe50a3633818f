import type { DataSource as DataSourceType, DataSourceOptions } from 'typeorm';
import { parseTableName } from '@seqsync/core';
import { DataSource, EntitySchema } from 'typeorm';
import { checkSequences, realignSequences } from '../src';
import { tableNameOf } from '../src/typeorm-metadata';
import { createTestDatabase } from '../../../test-support/test-database';
import { createMysqlDatabase } from '../../../test-support/mysql-database';
import { createSqliteFile } from '../../../test-support/sqlite-database';

describe('tableNameOf', () => {
  it.each([
    [{ schema: 'public', table: 'CamelCase' }, 'public.CamelCase'],
    [{ schema: 'inventory', table: 'product' }, 'inventory.product'],
    [{ schema: null, table: 'author' }, 'author'],
    [{ schema: 'legacy.v1', table: 'order.lines' }, '"legacy.v1"."order.lines"'],
    [{ schema: 'public', table: '"quoted"' }, 'public."""quoted"""'],
  ])('%j is written %s', (table, expected) => {
    expect(tableNameOf({ ...table, entities: [], columns: [] })).toBe(expected);
  });

  it.each([
    { schema: 'public', table: 'CamelCase' },
    { schema: 'legacy.v1', table: 'order.lines' },
    { schema: 'We"ird', table: '"x".y' },
  ])('core reads %j back as exactly the same schema and table', (table) => {
    expect(parseTableName(tableNameOf({ ...table, entities: [], columns: [] }))).toEqual({ schema: table.schema, name: table.table });
  });
});

describe('TypeORM driver types', () => {
  /** Shaped like a DataSource; never initialized, so any query would fail with another error than the one asserted. */
  const declaring = (type: string) => ({
    options: { type },
    entityMetadatas: [],
    createQueryRunner: () => { throw new Error('no query expected'); },
  }) as unknown as DataSourceType;

  it.each([
    ['mssql', 'SQL Server ("mssql") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['cockroachdb', 'CockroachDB ("cockroachdb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['mongodb', 'MongoDB ("mongodb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['oracle', 'Oracle ("oracle") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
  ])('driver %s is refused with UNSUPPORTED_DATABASE before any query', async (type, message) => {
    await expect(realignSequences(declaring(type))).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE', message });
    await expect(checkSequences(declaring(type))).rejects.toMatchObject({ code: 'UNSUPPORTED_DATABASE', message });
  });

  const Ticket = new EntitySchema<{ id: number; title: string }>({
    name: 'Ticket', tableName: 'ticket',
    columns: { id: { type: Number, primary: true, generated: 'increment' }, title: { type: String } },
  });

  /** Three rows with explicit ids 1–3, then a check: the dialect core chose and the next value after the data. */
  async function checkAfterExplicitIds(options: DataSourceOptions) {
    const dataSource = await new DataSource({ ...options, entities: [Ticket], synchronize: true }).initialize();
    try {
      await dataSource.createQueryBuilder().insert().into(Ticket, ['id', 'title'])
        .values([1, 2, 3].map((id) => ({ id, title: `t${id}` }))).execute();
      const report = await checkSequences(dataSource);
      return {
        dialect: report.dialect,
        sequences: report.sequences.map((s) => ({ table: s.uses[0].table, dataMax: s.dataMax, nextValueAfter: s.nextValueAfter })),
      };
    } finally {
      await dataSource.destroy();
    }
  }

  const expectedTicket = [{ table: 'ticket', dataMax: 3n, nextValueAfter: 4n }];

  it('driver postgres: core\'s postgres dialect reads the ticket sequence', async () => {
    const db = await createTestDatabase('typeorm_dialect');
    try {
      expect(await checkAfterExplicitIds({ type: 'postgres', url: db.url })).toEqual({ dialect: 'postgres', sequences: expectedTicket });
    } finally {
      await db.drop();
    }
  });

  it.each(['mysql', 'mariadb'] as const)('driver %s on a MariaDB server: the server decides, core reports mariadb', async (type) => {
    const db = await createMysqlDatabase(`typeorm_dialect_${type}`);
    try {
      expect(await checkAfterExplicitIds({ type, url: db.url })).toEqual({ dialect: 'mariadb', sequences: expectedTicket });
    } finally {
      await db.drop();
    }
  });

  it('driver better-sqlite3: core\'s sqlite dialect reads the ticket counter', async () => {
    const file = createSqliteFile('typeorm_dialect');
    try {
      expect(await checkAfterExplicitIds({ type: 'better-sqlite3', database: file.path }))
        .toEqual({ dialect: 'sqlite', sequences: expectedTicket });
    } finally {
      file.remove();
    }
  });
});

import 'reflect-metadata';
import type { DataSourceOptions, Logger } from 'typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { TestDatabase } from '../../test-support/test-database';

/** Records every statement TypeORM sends, so tests can count LOCKs and transaction commands. */
export class StatementLog implements Logger {
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  clear(): void {
    this.statements.length = 0;
  }

  count(pattern: RegExp): number {
    return this.statements.filter((statement) => pattern.test(statement)).length;
  }
}

type PostgresOverrides = Omit<Partial<Extract<DataSourceOptions, { type: 'postgres' }>>, 'type' | 'url'>;

/** An initialized postgres DataSource on the suite's own database; `synchronize` creates the tables. */
export async function openDataSource(db: TestDatabase, options: PostgresOverrides): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url: db.url, synchronize: true, ...options });
  return dataSource.initialize();
}

/** Asserts the promise fails the way the issue reports: TypeORM's QueryFailedError with SQLSTATE 23505. */
export async function expectDuplicateKey(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(QueryFailedError);
  expect(error).toMatchObject({ code: '23505' });
  expect((error as Error).message).toMatch(/^duplicate key value violates unique constraint/);
}

/** Rows `{ id, name }` with ids from..to, for `.into(Author, ['id', 'name'])`. */
export function authorRows(from: number, to: number): { id: number; name: string }[] {
  return Array.from({ length: to - from + 1 }, (_, index) => ({ id: from + index, name: `author ${from + index}` }));
}

/** The two entities of entities.ts that no sequence feeds, as describeEntities and the reports list them. */
export const SKIPPED_ENTITIES = [
  {
    entity: 'ApiSession',
    schema: 'public',
    table: 'api_session',
    reason: 'primary key id is a generated uuid: no sequence to realign',
  },
  {
    entity: 'Membership',
    schema: 'public',
    table: 'membership',
    reason: 'composite primary key (tenantId, userId) with no increment or identity column: no sequence feeds it',
  },
];

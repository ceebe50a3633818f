import { MysqlDialect } from './mysql-dialect';

/**
 * MariaDB: AUTO_INCREMENT as in MySQL, plus SEQUENCE objects feeding columns through
 * `DEFAULT NEXT VALUE FOR seq`. Those behave like PostgreSQL sequences — an explicit id does not move
 * them — so seeds leave them behind: `advance` raises them with SETVAL (which never lowers), `reset` moves
 * them back with ALTER SEQUENCE … RESTART.
 */
export class MariadbDialect extends MysqlDialect {
  override readonly name = 'mariadb';

  /** MariaDB's information_schema.TABLES.AUTO_INCREMENT is always read from the engine: nothing to set. */
  override liveReadSetup(): string[] {
    return [];
  }

  /**
   * `BEGIN NOT ATOMIC … END` carries several DDL statements in one round trip on a connection without
   * `multipleStatements` (knex's and TypeORM's), so batches cost the same whatever the number of tables.
   */
  override groupDdl(statements: readonly string[]): string[] {
    if (statements.length <= 1) return [...statements];
    return [`BEGIN NOT ATOMIC\n  ${statements.join(';\n  ')};\nEND`];
  }
}

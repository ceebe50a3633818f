import { MysqlDialect } from './mysql-dialect';

/**
 * MariaDB: AUTO_INCREMENT as in MySQL, plus SEQUENCE objects feeding columns through
 * `DEFAULT NEXT VALUE FOR seq`. Those behave like PostgreSQL sequences — an explicit id does not move
 * them — so seeds leave them behind: `advance` raises them with SETVAL (which never lowers), `reset` moves
 * them back with ALTER SEQUENCE … RESTART.
 */
export class MariadbDialect extends MysqlDialect {
  override readonly name = 'mariadb';

  /**
   * MariaDB has no server UUID, and host name, port and data directory are configuration that two containers share
   * (`mysql-0:3306:/var/lib/mysql/` in the old cluster and the new): the minute the server started tells them apart.
   * Read twice from one server it can differ only across a minute's edge, which merely lets that server pass as two.
   */
  protected override readonly identifySql: string = `SELECT CONCAT(@@hostname, ':', @@port, ':', @@datadir, ':',
    FLOOR((UNIX_TIMESTAMP() - (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME')) / 60))
    AS server, DATABASE() AS \`database\``;

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

import { createConnection, type Connection } from 'mysql2/promise';
import { check, type Queryable } from '../src';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

/** A Queryable as an ORM builds one: it names its driver's family and knows nothing of the server it reached. */
function ormQueryable(connection: Connection, dialect: string, sent: string[]): Queryable {
  return {
    dialect,
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
      sent.push(sql);
      const [rows] = await connection.query(sql, params === undefined ? undefined : [...params]);
      return (Array.isArray(rows) ? rows : []) as Row[];
    },
  };
}

/** dialects/index.ts decides MySQL vs MariaDB once, from the server, whatever a connection declares. */
describe('which server a MySQL-family connection reached', () => {
  let db: MysqlTestDatabase;
  let connection: Connection;
  beforeAll(async () => {
    db = await createMysqlDatabase('detection');
    await db.sql('CREATE SEQUENCE s NOCACHE; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s); INSERT INTO t VALUES (7);');
    connection = await createConnection({ uri: db.url });
  });
  afterAll(async () => {
    await connection.end();
    await db.drop();
  });

  it.each(['mysql', 'mysql2', 'mariadb', 'aurora-mysql'])(
    'declared %s, the server answers VERSION() once and MariaDB\'s sequences are found, the question counted as a round trip',
    async (declared) => {
      const sent: string[] = [];
      const report = await check(ormQueryable(connection, declared, sent), { tables: ['t'] });
      expect(report.dialect).toBe('mariadb');
      expect(report.sequences).toEqual([expect.objectContaining({ sequence: 's', dataMax: 7n, nextValueBefore: 1n, behind: true })]);
      expect(sent.filter((sql) => sql === 'SELECT VERSION() AS version')).toHaveLength(1);
      expect(report.roundTrips).toBe(sent.length);
    });

  it.each([
    ['cockroachdb', 'CockroachDB ("cockroachdb") is not supported: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
    ['oracle-ish', 'unsupported dialect "oracle-ish": seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite'],
  ])('declared %s, it is refused before any query is sent', async (declared, message) => {
    const sent: string[] = [];
    await expect(check(ormQueryable(connection, declared, sent))).rejects.toMatchObject({
      code: 'UNSUPPORTED_DATABASE', message: expect.stringContaining(message) });
    expect(sent).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

/** A MySQL/MariaDB database created for one test suite and dropped after it. */
export interface MysqlTestDatabase {
  readonly name: string;
  /** mysql://…/name — the scheme seqsync sees; the server decides MySQL or MariaDB. */
  readonly url: string;
  /** A connected mysql2 (promise API) connection on the test database, with multipleStatements; closed by drop(). */
  readonly connection: Connection;
  /** Runs SQL (a script is fine) as the admin user on the test database; returns the rows of a single SELECT. */
  sql<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export function mysqlServerUrl(): string {
  return process.env.SEQSYNC_MYSQL_URL ?? DEFAULT_MYSQL_URL;
}

/**
 * Creates a fresh, uniquely named database so suites running in parallel never share state. A server
 * that does not answer fails the suite — in CI and locally alike; these tests never skip (.ci/run starts
 * MariaDB when it is not running).
 */
export async function createMysqlDatabase(label: string): Promise<MysqlTestDatabase> {
  const name = `seqsync_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  let admin: Connection;
  try {
    admin = await createConnection({ uri: mysqlServerUrl(), connectTimeout: 5_000 });
  } catch (error) {
    throw new Error(`MySQL/MariaDB does not answer at ${mysqlServerUrl()} (set SEQSYNC_MYSQL_URL, or start it as .ci/run does): `
      + (error as Error).message);
  }
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  const url = withMysqlDatabase(mysqlServerUrl(), name);
  const connection = await createConnection({ uri: url, multipleStatements: true });
  return {
    name,
    url,
    connection,
    sql: async <Row extends object>(text: string, params?: unknown[]) => {
      const [rows] = await connection.query(text, params);
      return (Array.isArray(rows) ? rows : []) as Row[];
    },
    drop: async () => {
      await connection.end().catch(() => undefined);
      const dropper = await createConnection({ uri: mysqlServerUrl() });
      try {
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function withMysqlDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.href;
}

/** The live AUTO_INCREMENT of a table (MariaDB reads it from the engine). */
export async function autoIncrementOf(db: MysqlTestDatabase, table: string): Promise<bigint> {
  const [row] = await db.sql<{ value: string }>(
    'SELECT CAST(AUTO_INCREMENT AS CHAR) AS value FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [db.name, table]);
  return BigInt(row.value);
}

/** The id the next ordinary insert into `table` gets (MariaDB's RETURNING), as the tests compare it: exactly. */
export async function insertedId(db: MysqlTestDatabase, table: string): Promise<bigint> {
  const [row] = await db.sql<{ id: string }>(`INSERT INTO ${table} () VALUES () RETURNING CAST(id AS CHAR) AS id`);
  return BigInt(row.id);
}

import { createConnection, createPool } from 'mysql2';
import { createPool as createPromisePool } from 'mysql2/promise';
import { check, realign, type Queryable } from '../src';
import { quoteIdent } from '../src/dialects/mysql/mysql-sql';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

async function nextId(db: MysqlTestDatabase, table: string, column = 'id'): Promise<number> {
  const [row] = await db.sql<{ id: string }>(`INSERT INTO ${table} () VALUES () RETURNING CAST(${column} AS CHAR) AS id`);
  return Number(row.id);
}

/** Names that break hand-written scripts: a backtick, quotes, a semicolon, spaces. */
const HOSTILE = ['we`ird; DROP TABLE canary; --', "it's \"quoted\"", 'with spaces', 'select', 'ünïcødé'];

describe('identifiers, batching and connections on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('mysql_conn'); });
  afterEach(() => db.drop());

  it('realigns sequences and AUTO_INCREMENTs under hostile names exactly, and nothing else runs', async () => {
    await db.sql('CREATE TABLE canary (id INT)');
    for (const [index, name] of HOSTILE.entries()) {
      const sequence = quoteIdent(`${name} seq`);
      await db.sql(`CREATE SEQUENCE ${sequence} NOCACHE; `
        + `CREATE TABLE ${quoteIdent(name)} (${quoteIdent(`${name} id`)} INT PRIMARY KEY DEFAULT NEXT VALUE FOR ${sequence});
        INSERT INTO ${quoteIdent(name)} VALUES (${100 + index});
        CREATE TABLE ${quoteIdent(`${name} ai`)} (id INT AUTO_INCREMENT PRIMARY KEY); `
        + `INSERT INTO ${quoteIdent(`${name} ai`)} VALUES (${500 + index}); DELETE FROM ${quoteIdent(`${name} ai`)};`);
    }
    const report = await realign(db.url, { mode: 'reset' });
    for (const [index, name] of HOSTILE.entries()) {
      expect(report.sequences.find((s) => s.sequence === `${name} seq`))
        .toMatchObject({ action: 'advanced', nextValueAfter: BigInt(101 + index) });
      expect(report.sequences.find((s) => s.sequence === `${name} ai`)).toMatchObject({ action: 'reset', nextValueAfter: 1n });
      expect(await nextId(db, quoteIdent(name), quoteIdent(`${name} id`))).toBe(101 + index);
      expect(await nextId(db, quoteIdent(`${name} ai`))).toBe(1);
    }
    expect(await db.sql('SELECT count(*) AS n FROM canary')).toEqual([{ n: 0 }]);
    expect(await db.sql(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'canary'`,
      [db.name],
    )).toHaveLength(1);
  });

  it('check takes 2 round trips and realign 3, for 5 tables and for 300 alike', async () => {
    const drift = async (from: number, to: number) => {
      const statements: string[] = [];
      for (let i = from; i <= to; i += 1) {
        statements.push(
          `CREATE SEQUENCE s${i} NOCACHE`,
          `CREATE TABLE t${i} (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s${i})`,
          `INSERT INTO t${i} VALUES (${i * 10})`,
        );
      }
      await db.sql(statements.join(';\n'));
    };
    await drift(1, 5);
    const small = { check: (await check(db.url)).roundTrips, realign: (await realign(db.url)).roundTrips };
    await drift(6, 300);
    const checkLarge = await check(db.url);
    const realignLarge = await realign(db.url);
    expect(small).toEqual({ check: 2, realign: 3 });
    expect({ check: checkLarge.roundTrips, realign: realignLarge.roundTrips }).toEqual({ check: 2, realign: 3 });
    expect(realignLarge.sequences.filter((s) => s.action === 'advanced')).toHaveLength(295);
    expect(realignLarge.batches).toBe(1);
    expect(await nextId(db, 't300')).toBe(3001);
  });

  it('a mysql2 pool without multipleStatements: same result, a constant number of round trips, DDL in one compound statement', async () => {
    const pool = createPool({ uri: db.url, connectionLimit: 2 });
    try {
      const setup = async (from: number, to: number) => {
        for (let i = from; i <= to; i += 1) {
          await db.sql(`CREATE TABLE IF NOT EXISTS p${i} (id INT AUTO_INCREMENT PRIMARY KEY); `
            + `INSERT INTO p${i} VALUES (${i}); DELETE FROM p${i}`);
        }
      };
      await setup(1, 3);
      const small = await realign(pool, { mode: 'reset' });
      await setup(4, 40);
      const large = await realign(pool, { mode: 'reset' });
      expect(small.dialect).toBe('mariadb');
      expect(large.roundTrips).toBe(small.roundTrips);
      expect(large.statements.filter((s) => s.startsWith('BEGIN NOT ATOMIC'))).toHaveLength(1);
      expect(large.sequences.filter((s) => s.action === 'reset')).toHaveLength(37);
      expect(await nextId(db, 'p40')).toBe(1);
    } finally {
      await new Promise((resolve) => pool.end(resolve));
    }
  });

  it('a mysql2 callback Connection and a mysql2/promise pool are adapted and left open', async () => {
    await db.sql('CREATE SEQUENCE s NOCACHE; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s); INSERT INTO t VALUES (9);');
    const connection = createConnection({ uri: db.url });
    const promisePool = createPromisePool({ uri: db.url, connectionLimit: 1 });
    try {
      expect((await check(connection)).sequences[0]).toMatchObject({ behind: true, nextValueAfter: 10n });
      expect((await realign(promisePool)).sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 10n });
      expect(await nextId(db, 't')).toBe(10);
      const [rows] = await promisePool.query('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      connection.end();
      await promisePool.end();
    }
  });

  it('inside a transaction the caller owns: SETVAL without START/COMMIT of ours; '
    + 'a reset that needs DDL is refused with nothing changed', async () => {
    await db.sql(`CREATE SEQUENCE s NOCACHE; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
      CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO a VALUES (50); DELETE FROM a;`);
    await db.connection.query('START TRANSACTION');
    await db.connection.query('INSERT INTO t VALUES (1), (2), (3)');
    const queryable: Queryable = {
      dialect: 'mariadb',
      query: async <Row extends object>(sql: string, params?: readonly unknown[]) => {
        const [rows] = await db.connection.query(sql, params as unknown[]);
        return (Array.isArray(rows) ? rows : []) as Row[];
      },
      transaction: (fn) => fn(queryable),
    };
    const report = await realign(queryable, { tables: ['t'] });
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 4n });
    expect(report.statements.filter((s) => /^(START TRANSACTION|COMMIT|ROLLBACK)/.test(s))).toEqual([]);
    await expect(realign(queryable, { mode: 'reset', tables: ['a'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION', message: expect.stringContaining('is DDL, and MySQL/MariaDB commit an open transaction before any DDL') });
    // Still the caller's transaction: its rows go away on rollback, and AUTO_INCREMENT was not touched.
    await db.connection.query('ROLLBACK');
    expect(await db.sql('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    expect(await nextId(db, 'a')).toBe(51);
  });

  it('a writer holding a row lock past the data makes realign time out naming the table, with nothing changed', async () => {
    await db.sql('CREATE SEQUENCE s NOCACHE; CREATE TABLE items (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s); '
      + 'INSERT INTO items VALUES (5);');
    const writer = await createMysqlWriter(db.url);
    try {
      await writer.query('START TRANSACTION');
      await writer.query('INSERT INTO items VALUES (8)');
      const error = await realign(db.url, { lockTimeoutMs: 1000 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'LOCK_TIMEOUT',
        message: expect.stringContaining(`lock timeout after 1000 ms waiting for table \`${db.name}\`.\`items\``),
      });
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
    expect((await check(db.url)).sequences[0]).toMatchObject({ nextValueBefore: 1n, behind: true });
  });

  it('dry run returns the SQL realign would send and changes nothing', async () => {
    await db.sql('CREATE SEQUENCE s NOCACHE; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s); INSERT INTO t VALUES (3);');
    const report = await realign(db.url, { dryRun: true });
    expect(report.statements).toContain(`SET @seqsync_setval = CONCAT_WS(',', `
      + `IFNULL(SETVAL(\`${db.name}\`.\`s\`, 3, 0, 0), '-'), IFNULL(SETVAL(\`${db.name}\`.\`s\`, 4, 0, 0), '-'))`);
    expect(report.sequences[0]).toMatchObject({ action: 'would_advance', nextValueBefore: 1n, nextValueAfter: 4n });
    expect((await check(db.url)).sequences[0]).toMatchObject({ nextValueBefore: 1n, behind: true });
  });
});

async function createMysqlWriter(url: string) {
  const { createConnection: connect } = await import('mysql2/promise');
  return connect({ uri: url });
}

import { check, realign, SeqsyncError } from '../src';
import { autoIncrementOf, createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

async function insertDefault(db: MysqlTestDatabase, table: string): Promise<number> {
  const [result] = await db.connection.query(`INSERT INTO ${table} () VALUES ()`);
  return Number((result as { insertId: number }).insertId);
}

async function insertDefaultReturningId(db: MysqlTestDatabase, table: string): Promise<number> {
  const [row] = await db.sql<{ id: string }>(`INSERT INTO ${table} () VALUES () RETURNING CAST(id AS CHAR) AS id`);
  return Number(row.id);
}

/** AUTO_INCREMENT and MariaDB sequences on the real server (MariaDB 10.11 here): drift, exact targets, ranges. */
describe('realign on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => { db = await createMysqlDatabase('realign'); });
  afterEach(() => db.drop());

  it('explicit ids advance AUTO_INCREMENT by themselves: check finds nothing behind and advance leaves it', async () => {
    await db.sql('CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO users (id) VALUES (1), (2), (40);');
    const report = await check(db.url);
    expect(report.dialect).toBe('mariadb');
    expect(report.sequences).toEqual([expect.objectContaining({
      schema: db.name, sequence: 'users', uses: [{ schema: db.name, table: 'users', column: 'id', kind: 'auto_increment' }],
      dataMax: 40n, nextValueBefore: 41n, nextValueAfter: 41n, behind: false, action: 'unchanged',
    })]);
    expect((await realign(db.url)).sequences[0].action).toBe('unchanged');
    expect(await insertDefault(db, 'users')).toBe(41);
  });

  it('a cached sequence whose real position is already past the target is reported unchanged, not at the target', async () => {
    await db.sql('CREATE SEQUENCE cached_seq CACHE 1000; CREATE TABLE cached (id BIGINT PRIMARY KEY DEFAULT NEXTVAL(cached_seq));');
    for (let i = 0; i < 5; i += 1) await db.sql('INSERT INTO cached () VALUES ()');
    await db.sql('DELETE FROM cached WHERE id = 5');
    const report = await realign(db.url);
    const sequence = report.sequences.find((s) => s.sequence === 'cached_seq')!;
    expect(sequence.action).toBe('unchanged');
    expect(sequence.nextValueAfter).toBe(sequence.nextValueBefore);
    expect(await insertDefaultReturningId(db, 'cached')).toBe(6);
  });

  it('reset after deleting rows compacts AUTO_INCREMENT to MAX+1; advance never lowers it', async () => {
    await db.sql('CREATE TABLE orders (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, note TEXT); INSERT INTO orders (note) VALUES ' +
      Array.from({ length: 10 }, () => "('x')").join(', ') + '; DELETE FROM orders WHERE id > 5;');
    expect(await autoIncrementOf(db, 'orders')).toBe(11n);
    const advance = await realign(db.url);
    expect(advance.sequences[0]).toMatchObject({ action: 'unchanged', nextValueAfter: 11n });
    const reset = await realign(db.url, { mode: 'reset' });
    expect(reset.sequences[0]).toMatchObject({ action: 'reset', dataMax: 5n, nextValueBefore: 11n, nextValueAfter: 6n });
    expect(reset.statements).toContain(`ALTER TABLE \`${db.name}\`.\`orders\` AUTO_INCREMENT = 6`);
    expect(await insertDefault(db, 'orders')).toBe(6);
  });

  it('a counter raised by hand is reset to exactly MAX+1, and an emptied table restarts at 1', async () => {
    await db.sql('CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO a VALUES (7); ALTER TABLE a AUTO_INCREMENT = 5000;' +
      'CREATE TABLE b (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO b VALUES (3); DELETE FROM b;');
    const report = await realign(db.url, { mode: 'reset' });
    expect(report.sequences.map((s) => [s.sequence, s.nextValueBefore, s.nextValueAfter, s.action])).toEqual([
      ['a', 5000n, 8n, 'reset'], ['b', 4n, 1n, 'reset']]);
    expect(await insertDefault(db, 'a')).toBe(8);
    expect(await insertDefault(db, 'b')).toBe(1);
  });

  it('a SEQUENCE default seeded with explicit ids fails with a duplicate key, is realigned, and the next insert gets MAX+1', async () => {
    await db.sql(`CREATE SEQUENCE invoice_seq; CREATE TABLE invoice (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR invoice_seq, ref TEXT);
      INSERT INTO invoice (id, ref) VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
    const before = await check(db.url);
    expect(before.sequences).toEqual([expect.objectContaining({
      sequence: 'invoice_seq', uses: [{ schema: db.name, table: 'invoice', column: 'id', kind: 'default' }],
      nextValueBefore: 1n, nextValueAfter: 4n, behind: true, action: 'would_advance',
    })]);
    await expect(insertDefaultReturningId(db, 'invoice')).rejects.toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062 });
    // The failed insert consumed 1 and made the server cache a block of 1000 values: the position is now a
    // range that cannot be read without consuming a value, so check cannot call it behind, but realign settles it.
    const cached = await check(db.url);
    expect(cached.sequences[0]).toMatchObject({ behind: false, action: 'would_advance', nextValueBefore: 1n, nextValueAfter: 4n });
    expect(cached.sequences[0].reason).toContain('cached in memory: the next one lies between 1 and 1001');
    const report = await realign(db.url);
    expect(report.sequences[0]).toMatchObject({ action: 'advanced', behind: true, nextValueAfter: 4n });
    expect(await insertDefaultReturningId(db, 'invoice')).toBe(4);
    expect(await insertDefaultReturningId(db, 'invoice')).toBe(5);
    expect((await check(db.url)).sequences[0].behind).toBe(false);
  });

  it('a sequence already past the data is left alone in advance mode and moved back exactly by reset', async () => {
    await db.sql(`CREATE SEQUENCE s NOCACHE START WITH 100; CREATE TABLE t (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s);
      INSERT INTO t VALUES (1), (2);`);
    expect((await realign(db.url)).sequences[0]).toMatchObject({ action: 'unchanged', nextValueBefore: 100n, nextValueAfter: 100n });
    // START 100: the progression starts there, so reset lands on START, not on MAX+1.
    expect((await realign(db.url, { mode: 'reset' })).sequences[0]).toMatchObject({ action: 'unchanged', nextValueAfter: 100n });
    await db.sql('CREATE SEQUENCE s2 NOCACHE; CREATE TABLE t2 (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR s2); '
      + `ALTER SEQUENCE s2 RESTART WITH 900;
      INSERT INTO t2 VALUES (1), (2), (3);`);
    const reset = await realign(db.url, { mode: 'reset', tables: ['t2'] });
    expect(reset.sequences[0]).toMatchObject({ sequence: 's2', action: 'reset', nextValueBefore: 900n, nextValueAfter: 4n });
    expect(reset.statements).toContain(`ALTER SEQUENCE \`${db.name}\`.\`s2\` RESTART WITH 4`);
    expect(await insertDefaultReturningId(db, 't2')).toBe(4);
  });

  it('one sequence feeding two tables moves past the higher of both', async () => {
    await db.sql(`CREATE SEQUENCE shared NOCACHE; CREATE TABLE p (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR shared);
      CREATE TABLE q (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR shared); INSERT INTO p VALUES (10); INSERT INTO q VALUES (25);`);
    const report = await realign(db.url, { tables: ['p'] });
    expect(report.sequences).toHaveLength(1);
    expect(report.sequences[0]).toMatchObject({ sequence: 'shared', dataMax: 25n, nextValueAfter: 26n });
    expect(report.sequences[0].uses.map((u) => u.table)).toEqual(['p', 'q']);
    expect(await insertDefaultReturningId(db, 'p')).toBe(26);
  });

  it.each([
    ['TINYINT UNSIGNED', '200', 78.43],
    ['INT UNSIGNED', '4000000000', 93.13],
    ['INT', '2000000000', 93.13],
    ['BIGINT', '4611686018427387904', 50],
    ['BIGINT UNSIGNED', '18000000000000000000', 97.57],
  ])('%s reports the share of its range used against the column type (%s → %d %%)', async (type, id, percent) => {
    await db.sql(`CREATE TABLE r (id ${type} AUTO_INCREMENT PRIMARY KEY); INSERT INTO r VALUES (${id});`);
    const [sequence] = (await check(db.url)).sequences;
    expect(sequence.nextValueBefore).toBe(BigInt(id) + 1n);
    expect(sequence.exhaustionPercent).toBeCloseTo(percent, 2);
    expect(sequence.exhaustionWarning).toBe(percent >= 75);
  });

  it('a sequence whose next value would not fit the column is skipped as exhausted instead of set', async () => {
    await db.sql('CREATE SEQUENCE tiny_seq NOCACHE; CREATE TABLE tiny (id TINYINT PRIMARY KEY DEFAULT NEXT VALUE FOR tiny_seq); '
      + 'INSERT INTO tiny VALUES (127);');
    const report = await realign(db.url);
    expect(report.sequences[0]).toMatchObject({ action: 'skipped', exhaustionPercent: 100, nextValueAfter: 1n });
    expect(report.sequences[0].reason).toMatch(/exhausted: data max is 127, the next value 128 lies outside the usable range 1\.\.127/);
  });

  it('scopes to the connection\'s database, a named table, an exclusion; unknown names fail before anything changes', async () => {
    await db.sql(`CREATE TABLE one (id INT AUTO_INCREMENT PRIMARY KEY); CREATE TABLE two (id INT AUTO_INCREMENT PRIMARY KEY);
      CREATE TABLE plain (code VARCHAR(10) PRIMARY KEY);`);
    expect((await check(db.url)).sequences.map((s) => s.sequence)).toEqual(['one', 'two']);
    expect((await check(db.url, { tables: ['two'] })).sequences.map((s) => s.sequence)).toEqual(['two']);
    expect((await check(db.url, { exclude: ['one'] })).sequences.map((s) => s.sequence)).toEqual(['two']);
    expect((await check(db.url, { tables: ['plain', 'one'] })).tablesWithoutSequence).toEqual([`${db.name}.plain`]);
    await expect(check(db.url, { tables: ['One'] }))
      .rejects.toMatchObject({ code: 'UNKNOWN_TABLE', message: 'unknown table "One": no such table in the database' });
    await expect(realign(db.url, { exclude: ['one', 'Two'] }))
      .rejects.toMatchObject({ code: 'UNKNOWN_TABLE', message: 'unknown excluded table "Two": no such table in the database' });
    await expect(check(db.url, { schemas: ['no_such_db'] })).rejects.toMatchObject({ code: 'UNKNOWN_SCHEMA' });
    const server = new URL(db.url);
    server.pathname = '/';
    expect((await check(server.href, { schemas: [db.name] })).sequences).toHaveLength(2);
  });

  it('a missing database, a closed port and a bad scheme fail with clear codes', async () => {
    const missing = new URL(db.url);
    missing.pathname = `/${db.name}_missing`;
    const error = await realign(missing.href).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeqsyncError);
    expect(error)
      .toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringMatching(/^cannot connect to MySQL\/MariaDB: Unknown database/) });
    await expect(check('mysql://root@127.0.0.1:1/x')).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
  });
});

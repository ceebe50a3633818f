import { createPool } from 'mysql2/promise';
import type { HealCause } from '../src';
import { SequenceHealer, driverError, healAttemptOf, sequenceKeyViolation } from '../src';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';

/**
 * Healing on MariaDB: error 1062 names only the key (`PRIMARY`), so the table is the caller's, and the catalog says
 * whether that table's one-column primary key is fed by a SEQUENCE (`DEFAULT NEXT VALUE FOR …`).
 */
describe('sequenceKeyViolation and SequenceHealer on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => {
    db = await createMysqlDatabase('heal');
    await db.sql(`CREATE SEQUENCE ticket_ids;
      CREATE TABLE tickets (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR ticket_ids, code VARCHAR(20) UNIQUE);
      INSERT INTO tickets (id, code) VALUES (1, 'a'), (2, 'b'), (3, 'c');
      CREATE TABLE plain (id INT PRIMARY KEY, code VARCHAR(20)); INSERT INTO plain VALUES (1, 'a');`);
  });
  afterEach(() => db.drop());

  const failure = (promise: Promise<unknown>) => promise.then(() => {
    throw new Error('expected the insert to fail');
  }, (e: unknown) => e);
  const insertTicket = (code: string) =>
    db.sql<{ id: string }>('INSERT INTO tickets (code) VALUES (?) RETURNING CAST(id AS CHAR) AS id', [code]);

  it('a 1062 on PRIMARY of a SEQUENCE-fed key: the table the caller names, its key column, its sequence', async () => {
    const error = await failure(insertTicket('new'));
    expect(error).toMatchObject({ errno: 1062, sqlMessage: "Duplicate entry '1' for key 'PRIMARY'" });

    expect(await sequenceKeyViolation(db.connection, error, { tables: ['tickets'] })).toMatchObject({
      constraint: 'PRIMARY', schema: db.name, table: 'tickets', column: 'id', tableName: `${db.name}.tickets`,
      sequence: { sequence: 'ticket_ids', nextValueAfter: 4n },
    });
    // As an ORM hands it on: core's driverError with the server's number as its code (Prisma's adapter does).
    const wrapped = new Error('P2002', { cause: driverError('1062', "Duplicate entry '2' for key 'PRIMARY'") });
    expect(await sequenceKeyViolation(db.connection, wrapped, { tables: ['tickets'] })).toMatchObject({ column: 'id' });
  });

  it('no violation: a duplicate on the unique code, a key no sequence feeds, a table the caller did not name', async () => {
    const code = await failure(db.sql("INSERT INTO tickets (id, code) VALUES (100, 'a')"));
    expect(code).toMatchObject({ errno: 1062, sqlMessage: "Duplicate entry 'a' for key 'code'" });
    expect(await sequenceKeyViolation(db.connection, code, { tables: ['tickets'] })).toBeNull();
    const plain = await failure(db.sql("INSERT INTO plain VALUES (1, 'b')"));
    expect(await sequenceKeyViolation(db.connection, plain, { tables: ['plain'] })).toBeNull();
    expect(await sequenceKeyViolation(db.connection, await failure(insertTicket('x')), { tables: ['plain'] })).toBeNull();
  });

  it('healer: the insert without an id succeeds on its first call with exactly MAX+1, after one realign', async () => {
    const causes: HealCause[] = [];
    const healer = new SequenceHealer({ onHeal: (_report, cause) => causes.push(cause) });

    const rows = await healer.run(() => insertTicket('new'), { database: db.connection, tables: ['tickets'], operation: 'insert' });

    expect(rows).toEqual([{ id: '4' }]);
    expect(causes).toEqual([{ table: `${db.name}.tickets`, operation: 'insert' }]);
  });

  it('healer: 20 concurrent inserts failing on one table all succeed after exactly one realign', async () => {
    const causes: HealCause[] = [];
    const healer = new SequenceHealer({ onHeal: (_report, cause) => causes.push(cause) });

    const pool = createPool({ uri: db.url, connectionLimit: 8 });
    const insert = (code: string) => () => pool.query('INSERT INTO tickets (code) VALUES (?) RETURNING CAST(id AS CHAR) AS id', [code])
      .then(([rows]) => rows as { id: string }[]);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        healer.run(insert(`c${i}`), { database: pool, tables: ['tickets'], operation: 'insert' })));

      expect(results.map((rows) => Number(rows[0].id)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 4 + i));
      expect(causes).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it('healer: a 1062 on PRIMARY that a trigger\'s insert into another table raised is not healed on the caller\'s table', async () => {
    // tickets' sequence is aligned; the trigger's insert into audit, whose sequence is behind, collides. MariaDB's
    // message names PRIMARY only — the same words as a collision on tickets.
    await db.sql(`SELECT SETVAL(ticket_ids, 3); CREATE SEQUENCE audit_ids;
      CREATE TABLE audit (id BIGINT PRIMARY KEY DEFAULT NEXT VALUE FOR audit_ids, note VARCHAR(20));
      INSERT INTO audit (id, note) VALUES (1, 'x'), (2, 'y');
      CREATE TRIGGER tickets_audit AFTER INSERT ON tickets FOR EACH ROW INSERT INTO audit (note) VALUES (NEW.code);`);
    const causes: HealCause[] = [];
    const healer = new SequenceHealer({ onHeal: (_report, cause) => causes.push(cause) });
    let calls = 0;
    const operation = () => { calls += 1; return insertTicket('new'); };

    const error = await failure(healer.run(operation, { database: db.connection, tables: ['tickets'], operation: 'insert' }));

    expect(error).toMatchObject({ errno: 1062, sqlMessage: "Duplicate entry '1' for key 'PRIMARY'" });
    expect(healAttemptOf(error)).toBeUndefined();
    expect(calls).toBe(1);
    expect(causes).toEqual([]);
  });
});

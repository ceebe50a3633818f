import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';
import { seqsync } from './cli-run';

async function nextValueOf(db: MysqlTestDatabase, sequence: string): Promise<string> {
  const [row] = await db.sql<{ next: string }>(`SELECT CAST(next_not_cached_value AS CHAR) AS next FROM \`${sequence}\``);
  return row.next;
}

/** The built `seqsync` binary against real MariaDB through mysql:// and mariadb:// URLs. */
describe('seqsync CLI on MariaDB', () => {
  let db: MysqlTestDatabase;
  beforeAll(async () => {
    db = await createMysqlDatabase('cli_mysql');
    await db.sql(`CREATE SEQUENCE user_seq NOCACHE; CREATE TABLE users (id INT PRIMARY KEY DEFAULT NEXT VALUE FOR user_seq);
      INSERT INTO users VALUES (1), (2), (3);
      CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY); INSERT INTO orders VALUES (50); DELETE FROM orders;`);
  });
  afterAll(() => db.drop());

  it('check exits 1 listing the sequence behind its data, reading DATABASE_URL', () => {
    const result = seqsync(['check'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 of 2 sequences are behind their data');
    expect(result.stdout).toMatch(new RegExp(`\n${db.name}\\.user_seq\\s+${db.name}\\.users\\.id\\s+3\\s+1\\s+4\n`));
    expect(result.stdout.trimEnd().split('\n').at(-1))
      .toBe('1 of 2 sequences are behind their data: run seqsync realign with the same options to move it past its data.');
  });

  it('realign --dry-run prints the SQL and changes nothing', async () => {
    const result = seqsync(['realign', '--dry-run', '--url', db.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Dry run: would move 1 of 2 sequences.');
    expect(result.stdout).toContain(`IFNULL(SETVAL(\`${db.name}\`.\`user_seq\`, 4, 0, 0), '-')`);
    expect(result.stdout).toMatch(new RegExp(`${db.name}\\.user_seq\\s+${db.name}\\.users\\.id\\s+3\\s+1\\s+4\\s+would_advance`));
    expect(await nextValueOf(db, 'user_seq')).toBe('1');
  });

  it('realign through a mariadb:// URL fixes it, check then exits 0, and --reset compacts AUTO_INCREMENT', async () => {
    const url = db.url.replace(/^mysql:/, 'mariadb:');
    expect(seqsync(['realign', '--url', url]).stdout).toContain('Moved 1 of 2 sequences in 1 transaction.');
    expect((await db.sql<{ id: number }>('INSERT INTO users () VALUES () RETURNING id'))[0].id).toBe(4);
    const clean = seqsync(['check', '--url', url]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('All 2 sequences are clear of their data.');
    const reset = seqsync(['realign', '--reset', '--json', '--url', url, '--table', 'orders']);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout).sequences[0])
      .toMatchObject({ sequence: 'orders', action: 'reset', nextValueBefore: '51', nextValueAfter: '1' });
  });

  it.each([
    [
      ['check', '--url', 'mysql://root@127.0.0.1:3306/seqsync_no_such_database'],
      /^seqsync: cannot connect to MySQL\/MariaDB: Unknown database 'seqsync_no_such_database'$/,
    ],
    [['check', '--url', 'mysql://root@127.0.0.1:1/x'], /^seqsync: cannot connect to MySQL\/MariaDB: .*ECONNREFUSED/],
    [['realign', '--table', 'nope'], /^seqsync: unknown table "nope": no such table in the database$/],
  ])('%j exits 2 with one line on stderr and changes nothing', async (args, expected) => {
    const result = seqsync(args, args.includes('--url') ? {} : { DATABASE_URL: db.url });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });
});

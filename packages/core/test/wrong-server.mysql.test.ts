import { check, realign, SeqsyncError } from '../src';
import { serverUrl } from '../../../test-support/test-database';
import { mysqlServerUrl } from '../../../test-support/mysql-database';

/** host:port as the messages name it, with the scheme's default port filled in. */
function address(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}


/** Far below the drivers' 10 s connect timeout, which a mysql:// URL at PostgreSQL used to wait out. */
const PROMPT_MS = 5_000;

async function failureOf(run: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await run.then(() => undefined, (failure: unknown) => failure);
  return { error, ms: Date.now() - started };
}

/**
 * A URL whose scheme does not match the server at its address fails at once with INVALID_URL, naming the address,
 * what answered there and the scheme to use, instead of a driver's protocol error or a connect timeout.
 */
describe('a URL of one database pointed at a server of the other', () => {
  const mysqlAddress = address(mysqlServerUrl(), 3306);
  const postgresAddress = address(serverUrl(), 5432);
  const postgresAtMysql = `postgres://root@${mysqlAddress}/app`;
  const mysqlAtPostgres = `mysql://postgres@${postgresAddress}/postgres`;
  const mysqlAnswered = `the server at ${mysqlAddress} answered like MySQL/MariaDB, not PostgreSQL: use a mysql:// URL`;
  const postgresAnswered = `the server at ${postgresAddress} answered like PostgreSQL, not MySQL/MariaDB: use a postgres:// URL`;

  it.each([
    ['check', postgresAtMysql, mysqlAnswered],
    ['realign', postgresAtMysql, mysqlAnswered],
    ['check', mysqlAtPostgres, postgresAnswered],
    ['realign', mysqlAtPostgres, postgresAnswered],
  ])('%s(%s) rejects with INVALID_URL, promptly', async (command, url, message) => {
    const { error, ms } = await failureOf(command === 'check' ? check(url) : realign(url));
    expect(error).toBeInstanceOf(SeqsyncError);
    expect(error).toMatchObject({ code: 'INVALID_URL', message, committedBatches: 0 });
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it('a mariadb:// URL at PostgreSQL gets the same answer', async () => {
    const { error } = await failureOf(check(`mariadb://postgres@${postgresAddress}/postgres`));
    expect(error).toMatchObject({ code: 'INVALID_URL', message: postgresAnswered });
  });

  it('a port nobody listens on is still a plain connection failure', async () => {
    const { error } = await failureOf(check('postgres://postgres@127.0.0.1:1/app'));
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', message: 'cannot connect to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1' });
  });
});

import { serverUrl } from '../../../test-support/test-database';
import { mysqlServerUrl } from '../../../test-support/mysql-database';
import { expectOneLineFailure, seqsync } from './cli-run';

/** host:port as the messages name it, with the scheme's default port filled in. */
function address(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** Far below the drivers' 10 s connect timeout, which a mysql:// URL at PostgreSQL used to wait out. */
const PROMPT_MS = 5_000;

/** The built `seqsync` binary given a URL whose scheme does not match the server at its address. */
describe('seqsync CLI with a URL of one database pointed at the other', () => {
  const mysqlAddress = address(mysqlServerUrl(), 3306);
  const postgresAddress = address(serverUrl(), 5432);

  it.each([
    ['check', `postgres://root@${mysqlAddress}/app`,
      `seqsync: the server at ${mysqlAddress} answered like MySQL/MariaDB, not PostgreSQL: use a mysql:// URL`],
    ['realign', `postgres://root@${mysqlAddress}/app`,
      `seqsync: the server at ${mysqlAddress} answered like MySQL/MariaDB, not PostgreSQL: use a mysql:// URL`],
    ['check', `mysql://postgres@${postgresAddress}/postgres`,
      `seqsync: the server at ${postgresAddress} answered like PostgreSQL, not MySQL/MariaDB: use a postgres:// URL`],
    ['realign', `mysql://postgres@${postgresAddress}/postgres`,
      `seqsync: the server at ${postgresAddress} answered like PostgreSQL, not MySQL/MariaDB: use a postgres:// URL`],
  ])('%s --url %s exits 2 with one line naming the address and the scheme to use, promptly', (command, url, line) => {
    const started = Date.now();
    const result = seqsync([command, '--url', url]);
    const ms = Date.now() - started;
    expectOneLineFailure(result, line);
    expect(ms).toBeLessThan(PROMPT_MS);
  });
});

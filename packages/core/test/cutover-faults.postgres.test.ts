import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { check, realign } from '../src';
import { createTestDatabase, dropRole, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { freePort } from '../../../test-support/free-port';
import { expectOneLineFailure, seqsync } from '../../cli/test/cli-run';
import { rejection, sequenceStates } from './support/cutover-state';

/*
 * A cutover that cannot be done is refused before anything is written: the source unreachable or unreadable, the
 * source being the target itself, a source position the target's counter cannot take, options that make no sense.
 * PostgreSQL targets only (a MySQL URL and a SQLite file name appear as unreachable sources), so the version matrix
 * runs it on every embedded version.
 */

/** Both counters behind their data, so any run that got as far as writing would move them. */
const TARGET = `CREATE TABLE accounts (id serial PRIMARY KEY); INSERT INTO accounts SELECT pg_catalog.generate_series(1, 5);
  CREATE TABLE users (id serial PRIMARY KEY); INSERT INTO users SELECT pg_catalog.generate_series(1, 10);`;

describe('a cutover that cannot be done changes nothing on the target', () => {
  let target: TestDatabase;
  let untouched: Record<string, string>;
  beforeEach(async () => {
    target = await createTestDatabase('cutover_faults');
    await target.sql(TARGET);
    untouched = await sequenceStates(target);
  });
  afterEach(() => target.drop());

  it('an unreachable source — PostgreSQL or MySQL on a closed port, a missing SQLite file — is CONNECTION_FAILED naming it '
    + 'as the source, its password hidden; the missing file is not created', async () => {
    const port = await freePort();
    const directory = mkdtempSync(join(tmpdir(), 'seqsync-cutover-'));
    const missing = join(directory, 'gone.db');
    try {
      const sources = [
        { url: `postgres://postgres:hunter2@127.0.0.1:${port}/app`, named: `127.0.0.1:${port}` },
        { url: `mysql://root:hunter2@127.0.0.1:${port}/app`, named: String(port) },
        { url: `sqlite:${missing}`, named: missing },
      ];
      const messages: string[] = [];
      for (const source of sources) {
        for (const run of [realign, check]) {
          const error = await rejection(run(target.url, { from: source.url }));
          expect({ url: source.url, code: error.code }).toEqual({ url: source.url, code: 'CONNECTION_FAILED' });
          expect(error.message).toMatch(/source/i);
          expect(error.message).toContain(source.named);
          expect(error.message).not.toContain('hunter2');
          messages.push(error.message);
        }
      }
      expect(existsSync(missing)).toBe(false);
      expectOneLineFailure(seqsync(['realign', '--url', target.url, '--from', sources[0].url]), `seqsync: ${messages[0]}`);
      expect(await sequenceStates(target)).toEqual(untouched);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('the target itself as the source is INVALID_OPTION — the same URL, the same database by its other host name or its '
    + 'socket, a connection to it', async () => {
    const alias = new URL(target.url);
    const other: Record<string, string> = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' };
    if (other[alias.hostname] === undefined) throw new Error(`this test needs the server at 127.0.0.1 or localhost, not ${alias.hostname}`);
    alias.hostname = other[alias.hostname];
    // Where this server puts its socket: /var/run/postgresql for Debian's, /tmp for the embedded ones.
    const [{ directories }] = await target.sql<{ directories: string }>(
      "SELECT pg_catalog.current_setting('unix_socket_directories') AS directories");
    const socket = `postgres://${alias.username}@/${target.name}?host=${directories.split(',')[0].trim()}&port=${alias.port || 5432}`;
    const connection = new Client({ connectionString: target.url });
    await connection.connect();
    try {
      for (const from of [target.url, alias.href, socket, connection]) {
        for (const run of [realign, check]) {
          const error = await rejection(run(target.url, { from }));
          expect({ from: String(from), code: error.code }).toEqual({ from: String(from), code: 'INVALID_OPTION' });
          expect(error.message).toMatch(/\bfrom\b|source/i);
        }
      }
    } finally {
      await connection.end();
    }
    const error = await rejection(realign(target.url, { from: alias.href }));
    expectOneLineFailure(seqsync(['realign', '--url', target.url, '--from', alias.href]), `seqsync: ${error.message}`);
    expect(await sequenceStates(target)).toEqual(untouched);
  });

  it('a bigint source sequence at 3,000,000,000 into an integer serial is CUTOVER_MISMATCH naming the counter; '
    + 'the counter that fits, in an earlier batch, is not moved either', async () => {
    const source = await createTestDatabase('cutover_bigint_source');
    try {
      await source.sql(`CREATE TABLE accounts (id serial PRIMARY KEY); SELECT pg_catalog.setval('accounts_id_seq', 99);
        CREATE TABLE users (id bigserial PRIMARY KEY); SELECT pg_catalog.setval('users_id_seq', 3000000000);`);
      const messages: string[] = [];
      for (const options of [{ from: source.url, batchSize: 1 }, { from: source.url, dryRun: true }]) {
        const error = await rejection(realign(target.url, options));
        expect(error.code).toBe('CUTOVER_MISMATCH');
        expect(error.message).toContain('users_id_seq');
        expect(error.message).not.toContain('accounts');
        messages.push(error.message);
      }
      expectOneLineFailure(seqsync(['realign', '--url', target.url, '--from', source.url]), `seqsync: ${messages[0]}`);
      expect(await sequenceStates(target)).toEqual(untouched);
      expect(await nextValue(target, 'accounts_id_seq')).toBe(1n);
    } finally {
      await source.drop();
    }
  });

  it('a source role without SELECT on a sequence is PERMISSION_DENIED naming the source and the sequence; granted it, '
    + 'a role that can only read (default_transaction_read_only) suffices', async () => {
    const source = await createTestDatabase('cutover_readonly_source');
    const role = `${source.name}_reader`;
    try {
      await source.sql(`CREATE TABLE accounts (id serial PRIMARY KEY); SELECT pg_catalog.setval('accounts_id_seq', 99);
        CREATE TABLE users (id serial PRIMARY KEY); SELECT pg_catalog.setval('users_id_seq', 499);
        CREATE ROLE "${role}" LOGIN; ALTER ROLE "${role}" SET default_transaction_read_only = on;
        GRANT SELECT ON accounts, users TO "${role}"; GRANT SELECT ON SEQUENCE accounts_id_seq TO "${role}";`);
      const from = new URL(source.url);
      from.username = role;
      const publisher = await sequenceStates(source);

      const error = await rejection(realign(target.url, { from: from.href }));
      expect(error.code).toBe('PERMISSION_DENIED');
      expect(error.message).toMatch(/source/i);
      expect(error.message).toContain('users_id_seq');
      expect(await sequenceStates(target)).toEqual(untouched);

      await source.sql(`GRANT SELECT ON SEQUENCE users_id_seq TO "${role}"`);
      const report = await realign(target.url, { from: from.href });
      expect(report.sequences.map((s) => [s.sequence, s.nextValueAfter, s.action]))
        .toEqual([['accounts_id_seq', 100n, 'advanced'], ['users_id_seq', 500n, 'advanced']]);
      expect(await sequenceStates(source)).toEqual(publisher);
    } finally {
      await source.sql(`DROP OWNED BY "${role}"`).catch(() => undefined);
      await source.drop();
      await dropRole(role);
    }
  });

  it('margin must be a whole number ≥ 0: -1, 1.5, NaN and "3" are INVALID_OPTION naming margin, with or without from', async () => {
    for (const margin of [-1, 1.5, Number.NaN, '3' as unknown as number]) {
      for (const options of [{ margin }, { margin, from: 'postgres://postgres@127.0.0.1:1/app' }]) {
        const error = await rejection(realign(target.url, options));
        expect({ margin, code: error.code }).toEqual({ margin, code: 'INVALID_OPTION' });
        expect(error.message).toMatch(/\bmargin\b/);
      }
    }
    expect(await sequenceStates(target)).toEqual(untouched);
  });

  it('the CLI: --margin -1, --margin abc, --margin 1.5, --margin and --from without a value exit 2 with one line naming the option',
    async () => {
      // A line naming the option as one seqsync knows: "unknown option --margin" would name it too.
      const naming = (option: string) => new RegExp(`^seqsync: (?!unknown option).*${option}\\b`);
      const from = target.url;
      const cases: [string[], string][] = [
        [['realign', '--url', target.url, '--from', from, '--margin', '-1'], '--margin'],
        [['realign', '--url', target.url, '--from', from, '--margin', 'abc'], '--margin'],
        [['realign', '--url', target.url, '--from', from, '--margin', '1.5'], '--margin'],
        [['realign', '--url', target.url, '--from', from, '--margin'], '--margin'],
        [['realign', '--url', target.url, '--from'], '--from'],
        [['check', '--url', target.url, '--from'], '--from'],
        [['realign', '--url', target.url, '--from', '--margin', '3'], '--from'],
      ];
      for (const [args, option] of cases) expectOneLineFailure(seqsync(args), naming(option));
      expect(await sequenceStates(target)).toEqual(untouched);
    });
});

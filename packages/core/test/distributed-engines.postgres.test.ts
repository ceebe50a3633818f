import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { check, fromPgClient, isSeqsyncError, realign } from '../src';
import { loadCatalog } from '../src/dialects/postgres/postgres-introspect';
import { SERVER_IDENTITY_SQL } from '../src/dialects/postgres/postgres-catalog-sql';
import { unsupportedEngineError } from '../src/dialects/postgres/postgres-engines';
import { createTestDatabase, dropRole, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { recording } from './support/sent-statements';

const EVERYTHING = { schemas: null, tables: null, exclude: [] };

/*
 * No CockroachDB, YugabyteDB or Citus can run here (docs/distributed.md says how each would be tested), so this
 * suite proves the other half on a real server: what the refusal is decided on is what the server says, read by the
 * catalog query itself, and PostgreSQL is never refused. The decision on those words is distributed-engines.test.ts.
 */
describe('distributed engines, on real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('distributed_engines');
  });
  afterAll(() => db.drop());

  it('the catalog read carries the server\'s own version() and no Citus, even with nothing in scope', async () => {
    const [{ version }] = await db.sql<{ version: string }>('SELECT pg_catalog.version() AS version');
    const catalog = await loadCatalog(fromPgClient(db.client), EVERYTHING);
    expect(catalog.sequences).toEqual([]);
    expect(catalog.server).toEqual({ version, citusVersion: null });
    expect(unsupportedEngineError(catalog.server)).toBeNull();
  });

  it('PostgreSQL is not refused: check and realign run, in the round trips they always took', async () => {
    await db.sql('CREATE TABLE items (id serial PRIMARY KEY); INSERT INTO items VALUES (1), (2), (7)');
    const checked = await check(db.url);
    expect(checked.sequences.map((s) => [s.sequence, s.behind])).toEqual([['items_id_seq', true]]);
    expect(checked.roundTrips).toBe(2);
    const realigned = await realign(db.url);
    expect(realigned.roundTrips).toBe(3);
    expect(await nextValue(db, 'items_id_seq')).toBe(8n);
  });

  it('a catalog query PostgreSQL itself refuses is reported as it was, after one question of what the server is', async () => {
    // A role without EXECUTE on a function the catalog query calls: the query fails with 42501, as CockroachDB's
    // and YugabyteDB's missing functions fail it with 42883, and seqsync asks version() once before reporting.
    const role = `seqsync_engines_${randomBytes(4).toString('hex')}`;
    await db.sql(`CREATE ROLE "${role}" LOGIN; GRANT SELECT ON items TO "${role}";
      REVOKE EXECUTE ON FUNCTION pg_catalog.pg_is_in_recovery() FROM PUBLIC`);
    const url = new URL(db.url);
    url.username = role;
    const client = new Client({ connectionString: url.href });
    await client.connect();
    try {
      const { queryable, sent } = recording(fromPgClient(client));
      const error: unknown = await check(queryable).catch((failure: unknown) => failure);
      expect(isSeqsyncError(error) && { code: error.code, message: error.message }).toEqual({
        code: 'PERMISSION_DENIED', message: 'permission denied: permission denied for function pg_is_in_recovery',
      });
      expect(sent.slice(-1)).toEqual([SERVER_IDENTITY_SQL]);
      expect(sent).toHaveLength(2);
    } finally {
      await client.end();
      await db.sql('GRANT EXECUTE ON FUNCTION pg_catalog.pg_is_in_recovery() TO PUBLIC');
      await db.sql(`DROP OWNED BY "${role}"`);
      await dropRole(role);
    }
  });
});

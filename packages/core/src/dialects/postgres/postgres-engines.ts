import { SeqsyncError } from '../../errors';

/*
 * Distributed engines that answer PostgreSQL's protocol, and why seqsync refuses them (docs/distributed.md has the
 * sources and what supporting each would take). On each of them "the sequence" is not the one thing a table's keys
 * come from, so a setval to MAX() + 1 — seqsync's whole method — would report success and leave inserts failing.
 * Told apart only by what the server says of itself, which costs nothing extra: the catalog read carries it.
 */

/** What a server says of itself: `version()`, and the installed `citus` extension's version (null when absent). */
export interface ServerIdentity {
  readonly version: string;
  readonly citusVersion: string | null;
}

export type DistributedEngineName = 'CockroachDB' | 'YugabyteDB' | 'Citus';

export interface DistributedEngine {
  readonly name: DistributedEngineName;
  /** The engine's own release as the server gives it (`v23.1.11`, `2.20.0.0-b0`, `12.1-1`), or null when unstated. */
  readonly release: string | null;
}

/*
 * CockroachDB's version() is its build summary, "CockroachDB <CCL|OSS> <tag> (<platform>, built …, go…)"
 * (pkg/build/info.go, Info.Short) — it does not pretend to be PostgreSQL there, only in server_version.
 */
const COCKROACH = /^CockroachDB\s+(?:\S+\s+)?(v\d[^\s(]*)/;
const COCKROACH_ANY = /^CockroachDB\b/;
/*
 * YugabyteDB's YSQL keeps PostgreSQL's version() and appends its own release to PostgreSQL's: "PostgreSQL
 * 11.2-YB-2.20.0.0-b0 on …", and from 2.25 (a PostgreSQL 15 fork) "PostgreSQL 15.2-YB-2025.1.0.0-b0 on …".
 * Plain PostgreSQL, a distribution's build ("15.20 (Debian 15.20-0+deb12u1)") and PGlite ("18.6 (PGlite 0.5.16)")
 * never put `-YB-` in the version number.
 */
const YUGABYTE = /^PostgreSQL\s+\d[\d.]*-YB-(\S+)/;

/**
 * The distributed engine behind a PostgreSQL-protocol server, or null for PostgreSQL itself (and PGlite). Citus is
 * an extension of real PostgreSQL, so its version() is PostgreSQL's: only the installed extension shows it.
 */
export function distributedEngineOf(server: ServerIdentity): DistributedEngine | null {
  const version = server.version.trim();
  if (COCKROACH_ANY.test(version)) return { name: 'CockroachDB', release: COCKROACH.exec(version)?.[1] ?? null };
  const yugabyte = YUGABYTE.exec(version);
  if (yugabyte !== null) return { name: 'YugabyteDB', release: yugabyte[1] };
  if (server.citusVersion !== null) return { name: 'Citus', release: server.citusVersion };
  return null;
}

/** Why a plain setval would be wrong there: one clause per engine, each borne out by the engine's docs. */
const WHY_NOT: Readonly<Record<DistributedEngineName, string>> = {
  CockroachDB: 'SERIAL columns there default to unique_rowid() (a timestamp and the node ID), not a sequence, unless '
    + 'serial_normalization is sql_sequence, and a sequence with CACHE hands out values held per session or per node, '
    + 'so no setval decides what the next insert gets',
  YugabyteDB: 'every connection (or, with ysql_sequence_cache_method = server, every YB-TServer) caches a range of each '
    + "sequence's values, at least ysql_sequence_cache_minval (100) at a time, and a setval does not take back ranges "
    + 'already handed out, so inserts would go on using values the realigned position had passed',
  Citus: "a distributed table's sequence exists on the coordinator and on every worker, and each worker hands out values "
    + 'from its own range (its group ID in the top bits), so a setval on this node moves one copy of the sequence '
    + 'while MAX() over the shards mixes the ranges of all of them',
};

/**
 * The refusal for a server seqsync must not realign: UNSUPPORTED_DATABASE, naming the engine and why setval is wrong
 * there; null for PostgreSQL. Raised before any user table is read or anything is written, so nothing changed.
 */
export function unsupportedEngineError(server: ServerIdentity): SeqsyncError | null {
  const engine = distributedEngineOf(server);
  if (engine === null) return null;
  const named = engine.name === 'Citus'
    ? `this database has the Citus extension${engine.release === null ? '' : ` (${engine.release})`}`
    : `the server is ${engine.name}${engine.release === null ? '' : ` ${engine.release}`}`;
  return new SeqsyncError('UNSUPPORTED_DATABASE',
    `${named}, which seqsync does not support: ${WHY_NOT[engine.name]}. Nothing was changed.`);
}

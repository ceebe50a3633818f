import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Queryable } from '../packages/core/src';
import { DEFAULT_PG_URL } from './postgres-server';

/** A database created for one test suite and dropped after it. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A connected client on the test database, closed by drop(). */
  readonly client: Client;
  /** Runs SQL as the superuser on the test database. */
  sql<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  return process.env.SEQSYNC_PG_URL ?? DEFAULT_PG_URL;
}

/** Creates a fresh, uniquely named database so suites running in parallel never share state. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `seqsync_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl(), name);
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    name,
    url,
    client,
    sql: async <Row extends object>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
    drop: async () => {
      await client.end().catch(() => undefined);
      const dropper = new Client({ connectionString: serverUrl() });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.href;
}

/** The value the next nextval() would return, read without consuming it. */
export async function nextValue(db: TestDatabase, sequence: string): Promise<bigint> {
  const [row] = await db.sql<{ last_value: string; is_called: boolean; increment_by: string }>(
    `SELECT s.last_value::text, s.is_called, p.seqincrement::text AS increment_by
     FROM ${sequence} s, pg_catalog.pg_sequence p WHERE p.seqrelid = $1::regclass`, [sequence]);
  return row.is_called ? BigInt(row.last_value) + BigInt(row.increment_by) : BigInt(row.last_value);
}

/**
 * The client's open transaction as a caller's library would hand it to seqsync: one statement at a time, with
 * `transaction` handing back itself, so seqsync neither begins nor commits and must put back what it sets.
 */
export function callerTransaction(client: Client): Queryable {
  const self: Queryable = {
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
      (await client.query(sql, params === undefined ? undefined : [...params])).rows as Row[],
    transaction: (fn) => fn(self),
  };
  return self;
}

/** Drops a role made for one suite; roles are the server's, not the database's, so dropping the database leaves them. */
export async function dropRole(role: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS "${role.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

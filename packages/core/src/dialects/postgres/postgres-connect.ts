import type { OpenDatabase } from '../../dialect';
import { loadOptionalDriver } from '../../optional-driver';
import { translatePostgresError } from './postgres-errors';
import { fromPgClient } from './pg-adapter';

interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number; application_name?: string }) => PgClient;
}
interface PgClient {
  connect(): Promise<void>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: object[] }>;
}

/** Opens one `pg` connection for a postgres:// URL; `pg` is an optional peer dependency loaded on demand. */
export async function connectPostgres(url: URL): Promise<OpenDatabase> {
  const pg = await loadOptionalDriver('pg', 'PostgreSQL',
    (loaded) => (typeof (loaded as Partial<PgModule> | undefined)?.Client === 'function' ? loaded as PgModule : undefined));
  const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 10_000, application_name: 'seqsync' });
  // A server-side termination arrives as an 'error' event; without a listener it would crash the process.
  // The query in flight rejects on its own, which is where seqsync reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw translatePostgresError(error, { phase: 'connect' });
  }
  return { queryable: fromPgClient(client), close: () => client.end().catch(() => undefined) };
}

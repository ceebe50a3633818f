import { SeqsyncError } from '@seqsync/core';

/** seqsync dialect for each Prisma datasource provider; the one place that branches on a provider name. */
const dialects: Readonly<Record<string, string>> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  'prisma+postgres': 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

const labels: Readonly<Record<string, string>> = {
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
  cockroachdb: 'CockroachDB',
  sqlserver: 'SQL Server',
  mongodb: 'MongoDB',
};

/** Dialects core realigns today. */
const SUPPORTED = new Set(['postgres']);

/**
 * The datasource provider of a client: generator metadata when given (it is what the schema says),
 * else what the generated client was built for. `_activeProvider` is internal to Prisma but has carried
 * the provider since Prisma 2; a driver adapter's `provider` is the last resort.
 */
export function providerOf(client: object, fromMetadata?: string): string {
  if (fromMetadata !== undefined) return fromMetadata;
  const active = (client as { _activeProvider?: unknown })._activeProvider;
  if (typeof active === 'string') return active;
  const adapter = (client as { _engineConfig?: { adapter?: { provider?: unknown } } })._engineConfig?.adapter?.provider;
  return typeof adapter === 'string' ? adapter : 'postgresql';
}

/** The seqsync dialect for a provider, or null for providers seqsync has no plan for. */
export function dialectOf(provider: string): string | null {
  return dialects[provider] ?? null;
}

/**
 * Fails fast, before any query, for a datasource core cannot realign yet — so a MySQL or SQLite project
 * gets a clear error instead of a run that silently does nothing.
 */
export function assertSupportedProvider(provider: string): string {
  const dialect = dialectOf(provider);
  if (dialect !== null && SUPPORTED.has(dialect)) return dialect;
  const label = labels[provider] ?? JSON.stringify(provider);
  throw new SeqsyncError('UNSUPPORTED_DATABASE',
    `${label} is not supported yet: seqsync currently realigns PostgreSQL only (Prisma datasource provider "${provider}")`);
}

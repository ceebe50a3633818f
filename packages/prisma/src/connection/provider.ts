import { SeqsyncError } from '@seqsync/core';

/**
 * The database families seqsync realigns through a Prisma client. `mysql` covers MySQL and MariaDB: one
 * Prisma provider, two core dialects, told apart by the server (see server-dialect.ts).
 */
export type DialectFamily = 'postgres' | 'mysql' | 'sqlite';

/** seqsync dialect family for each Prisma datasource provider; the one place that branches on a provider name. */
const families: Readonly<Record<string, DialectFamily>> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  'prisma+postgres': 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

/** Core dialect names, by family. */
const dialectFamilies: Readonly<Record<string, DialectFamily>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
};

const labels: Readonly<Record<string, string>> = {
  cockroachdb: 'CockroachDB',
  sqlserver: 'SQL Server',
  mongodb: 'MongoDB',
};

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

/** The dialect family of a provider, or null for providers seqsync has no plan for. */
export function familyOfProvider(provider: string): DialectFamily | null {
  return families[provider] ?? null;
}

/** The family of a core dialect name (`mariadb` → `mysql`); unknown names are their own family. */
export function familyOfDialect(dialect: string): DialectFamily | null {
  return dialectFamilies[dialect] ?? null;
}

/**
 * Fails fast, before any query, for a datasource core cannot realign — so a CockroachDB or SQL Server
 * project gets a clear error instead of a run that silently does nothing.
 */
export function assertSupportedProvider(provider: string): DialectFamily {
  const family = familyOfProvider(provider);
  if (family !== null) return family;
  const label = labels[provider] ?? JSON.stringify(provider);
  throw new SeqsyncError('UNSUPPORTED_DATABASE',
    `${label} is not supported yet: seqsync realigns PostgreSQL, MySQL/MariaDB and SQLite datasources (Prisma datasource provider "${provider}")`);
}

import type { PrismaClientLike } from './prisma-client-like';
import type { DialectFamily } from './provider';
import { SeqsyncError } from '@seqsync/core';
import { assertSupportedProvider } from './provider';

/**
 * The core dialect a client's database speaks. Prisma has one `mysql` provider for MySQL and MariaDB,
 * while core needs to know which: MariaDB adds SEQUENCE objects and compound statements, MySQL 8 needs
 * its statistics cache bypassed, and core refuses a connection declared as the other one. The server
 * names itself in `VERSION()` (`10.11.19-MariaDB-…`), so that is asked, once per run.
 */
export async function resolveDialect(client: PrismaClientLike, provider: string): Promise<string> {
  const family: DialectFamily = assertSupportedProvider(provider);
  if (family !== 'mysql') return family;
  let version: unknown;
  try {
    const rows = await client.$queryRawUnsafe<{ version?: unknown }[]>('SELECT VERSION() AS version');
    version = rows[0]?.version;
  } catch (error) {
    throw new SeqsyncError('QUERY_FAILED',
      `cannot tell MySQL from MariaDB: SELECT VERSION() failed: ${(error as Error | null)?.message ?? String(error)}`, { cause: error });
  }
  return /mariadb/i.test(String(version ?? '')) ? 'mariadb' : 'mysql';
}

import { SeqsyncError } from './errors';

/**
 * Loads a database driver that is an optional peer dependency, only when a URL needs it, so a PostgreSQL user
 * never needs mysql2 installed. `pick` finds the export seqsync uses in either module shape (ESM namespace or
 * CommonJS `default`). A driver that is installed but fails to load is reported with its own error, not as
 * missing: "npm install pg" would not help then.
 */
export async function loadOptionalDriver<T>(moduleName: string, label: string, pick: (loaded: unknown) => T | undefined): Promise<T> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(moduleName)) as { default?: unknown };
  } catch (error) {
    const notFound = (error as { code?: string } | null)?.code === 'MODULE_NOT_FOUND'
      || (error as { code?: string } | null)?.code === 'ERR_MODULE_NOT_FOUND';
    const missing = notFound && String((error as Error).message).includes(`'${moduleName}'`);
    throw new SeqsyncError('DRIVER_MISSING', missing
      ? `the ${label} driver is not installed: npm install ${moduleName}`
      : `the ${label} driver ${moduleName} is installed but failed to load: ${(error as Error | null)?.message ?? String(error)}`,
    { cause: error });
  }
  const found = pick(loaded) ?? pick(loaded.default);
  if (found === undefined) {
    throw new SeqsyncError('DRIVER_MISSING', `the ${label} driver ${moduleName} loaded, but without the API seqsync uses`);
  }
  return found;
}

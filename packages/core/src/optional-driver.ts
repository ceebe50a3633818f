import { createRequire } from 'node:module';
import { SeqsyncError } from './errors';

/**
 * The ESM build's `import.meta.url`, substituted by the build (packages/core/tsup.config.ts) because TypeScript
 * compiling core as CommonJS rejects `import.meta`; `undefined` in the CommonJS build.
 */
declare const __SEQSYNC_MODULE_URL__: string | undefined;

/**
 * Loads a database driver that is an optional peer dependency, only when a URL needs it, so a PostgreSQL user
 * never needs mysql2 installed. `pick` finds the export seqsync uses in either module shape (CommonJS exports or an
 * ESM namespace's `default`). A driver that is installed but fails to load is reported with its own error, not as
 * missing: "npm install pg" would not help then.
 */
export async function loadOptionalDriver<T>(moduleName: string, label: string, pick: (loaded: unknown) => T | undefined): Promise<T> {
  let loaded: { default?: unknown } | undefined;
  try {
    loaded = await loadModule(moduleName);
  } catch (error) {
    throw new SeqsyncError('DRIVER_MISSING', isNotFound(error, moduleName)
      ? `the ${label} driver is not installed: npm install ${moduleName}`
      : `the ${label} driver ${moduleName} is installed but failed to load: ${(error as Error | null)?.message ?? String(error)}`,
    { cause: error });
  }
  const found = pick(loaded) ?? pick(loaded?.default);
  if (found === undefined) {
    throw new SeqsyncError('DRIVER_MISSING', `the ${label} driver ${moduleName} loaded, but without the API seqsync uses`);
  }
  return found;
}

/**
 * `require` rather than `import()`: Jest without --experimental-vm-modules (most CommonJS projects) rejects every
 * `import()` (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG). A `require` made by `createRequire` rather than the bare
 * identifier: bundlers leave it alone, so the driver resolves from node_modules at run time next to the bundle, where
 * esbuild would turn a bare `require` in an ESM bundle into a stub that throws "Dynamic require … is not supported".
 */
async function loadModule(moduleName: string): Promise<{ default?: unknown } | undefined> {
  const base = moduleBase();
  if (base === undefined) return import(moduleName) as Promise<{ default?: unknown }>;
  try {
    return createRequire(base)(moduleName) as { default?: unknown };
  } catch (error) {
    // An ESM-only driver: Node before 20.19 (or run with --no-experimental-require-module) refuses require() of it,
    // as does any Node when its module graph has a top-level await, and so does Jest. import() still loads it.
    const code = (error as { code?: string } | null)?.code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return import(moduleName) as Promise<{ default?: unknown }>;
    throw error;
  }
}

/**
 * The file drivers resolve from: Node's own `__filename` in the CommonJS build and in any CommonJS bundle (an app
 * bundled to CommonJS may hold the ESM build, whose `import.meta` esbuild then empties), else the ESM build's URL.
 * Neither: core's source compiled as ESM by someone else's build, where only import() knows where it is.
 */
function moduleBase(): string | undefined {
  if (typeof __filename === 'string') return __filename;
  return typeof __SEQSYNC_MODULE_URL__ === 'string' ? __SEQSYNC_MODULE_URL__ : undefined;
}

/**
 * The driver itself is absent — not a dependency of it (`Cannot find module 'pg-types'` is a broken install of pg),
 * nor a file inside it. Node says `Cannot find module 'pg'` (require) or `Cannot find package 'pg'` (import), Jest
 * `Cannot find module 'pg' from '…'`.
 */
function isNotFound(error: unknown, moduleName: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return String((error as Error).message).startsWith(`Cannot find module '${moduleName}'`)
    || String((error as Error).message).startsWith(`Cannot find package '${moduleName}'`);
}

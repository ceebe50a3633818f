import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Replaced by the package.json version at build time (`define` in tsup.config.ts), as in @seqsync/cli, so the bin
// needs no package.json beside it at run time.
declare const __SEQSYNC_PRISMA_VERSION__: string | undefined;

/** The version in packages/prisma/package.json, whether this runs from the build or from source (ts-jest, tsx). */
export const VERSION: string = typeof __SEQSYNC_PRISMA_VERSION__ === 'string' ? __SEQSYNC_PRISMA_VERSION__ : versionFromPackageJson();

function versionFromPackageJson(): string {
  // From source this file is src/version.ts, one level below the package root.
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

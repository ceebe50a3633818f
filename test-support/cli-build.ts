import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';
import { cliDefine } from '../packages/cli/tsup.config';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'packages', 'cli');

/**
 * Builds the `seqsync` binary from the current source of the CLI and of @seqsync/core, once per jest run
 * (global setup), so the CLI tests never run a stale dist/ — neither the CLI's nor core's, which the shipped
 * bin requires. Same entry, target and constants as the package build (tsup.config.ts); core is bundled from
 * source instead of required from its dist. Drivers stay external and resolve from the CLI's node_modules,
 * where the output goes: a directory of this run's own, so concurrent runs never overwrite each other's.
 * Takes about a second (esbuild, no declarations).
 */
export async function buildCliForTests(): Promise<string> {
  const cacheDir = join(CLI, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const outDir = mkdtempSync(join(cacheDir, 'seqsync-cli-test-'));
  await build({
    config: false,
    entry: { bin: join(CLI, 'src', 'bin.ts') },
    outDir,
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    tsconfig: join(CLI, 'tsconfig.json'),
    define: cliDefine,
    // Every package stays a require() of the CLI's node_modules except core, which resolves to its source.
    skipNodeModulesBundle: true,
    noExternal: ['@seqsync/core'],
    silent: true,
    esbuildOptions(options) {
      options.alias = { '@seqsync/core': join(ROOT, 'packages', 'core', 'src', 'index.ts') };
    },
  });
  return join(outDir, 'bin.js');
}

export function removeCliBuild(bin: string): void {
  rmSync(join(bin, '..'), { recursive: true, force: true });
}

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';

const CLI = join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
const DRIVERS = ['pg', 'mysql2', 'better-sqlite3', '@electric-sql/pglite'];

/** The demo as `npm run demo` runs it, built from source into `outDir`; drivers stay require()s resolved from there. */
async function buildDemo(outDir: string): Promise<string> {
  await build({
    config: false,
    entry: { demo: join(CLI, 'src', 'demo.ts') },
    outDir,
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    tsconfig: join(CLI, 'tsconfig.json'),
    skipNodeModulesBundle: true,
    noExternal: ['@seqsync/core'],
    silent: true,
    esbuildOptions(options) {
      options.alias = { '@seqsync/core': join(CLI, '..', 'core', 'src', 'index.ts') };
    },
  });
  return join(outDir, 'demo.js');
}

function runDemo(demo: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [demo], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `npm install @seqsync/cli pg` brings no other driver: every driver is an optional peer dependency, loaded when a
 * URL (or the demo) needs it. The workspace keeps them all as devDependencies, so `npm run demo` still has PGlite.
 */
describe('@seqsync/cli drivers', () => {
  it('depends on @seqsync/core alone; every driver is an optional peer and a devDependency of the workspace', () => {
    expect(packageJson.dependencies).toEqual({ '@seqsync/core': 'workspace:*' });
    expect(packageJson.optionalDependencies).toBeUndefined();
    expect(Object.keys(packageJson.peerDependencies ?? {}).sort()).toEqual([...DRIVERS].sort());
    expect(packageJson.peerDependenciesMeta).toEqual(Object.fromEntries(DRIVERS.map((name) => [name, { optional: true }])));
    for (const name of DRIVERS) expect(Object.keys(packageJson.devDependencies ?? {})).toContain(name);
  });

  it('the demo runs on PGlite where it is installed (npm run demo): the drift found, fixed, and check exits 0', async () => {
    const cache = join(CLI, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const outDir = mkdtempSync(join(cache, 'seqsync-demo-test-'));
    try {
      const result = runDemo(await buildDemo(outDir));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('6. seqsync check → exit code 0: 3 sequences clear of their data.');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('without PGlite installed the demo says in one line what to install, and exits 2', async () => {
    // Outside the workspace nothing resolves @electric-sql/pglite: as in a project that installed only @seqsync/cli.
    const outDir = mkdtempSync(join(tmpdir(), 'seqsync-demo-'));
    try {
      expect(runDemo(await buildDemo(outDir))).toEqual({
        code: 2,
        stdout: '',
        stderr: 'seqsync demo: PGlite, which the demo runs on without --url, is not installed: npm install @electric-sql/pglite\n',
      });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const CORE = join(__dirname, '..', '..');

/** A project as npm leaves it: @seqsync/core's package.json and both builds in its node_modules, built from source. */
export interface InstalledCore {
  readonly dir: string;
  /** Writes a file of the project (a script, a test, a fake module under node_modules). */
  write(path: string, text: string): string;
  /** Installs the real `pg` of core's devDependencies into the project's node_modules (a symlink, as pnpm makes). */
  linkRealPg(): void;
  remove(): void;
}

/**
 * A script for an installed project: `node <it> '<JSON list of URLs>'` runs check on each URL and prints one line per
 * URL, `connected` or `CODE: message`, so a test sees every outcome and whatever else the process printed.
 */
export const CHECK_EACH_URL = `const { check } = require('@seqsync/core');
(async () => {
  for (const url of JSON.parse(process.argv[2])) {
    await check(url).then(() => console.log('connected'), (error) => console.log(\`\${error.code}: \${error.message}\`));
  }
})();
`;

/**
 * Builds core with its package build (tsup.config.ts, loaded by tsup as `pnpm build` loads it: both formats, the
 * module URL drivers resolve from) minus declarations and source maps, into a fresh project in the OS temp
 * directory — outside this repository, so the only drivers it can load are the ones a test puts in its
 * node_modules. tsup runs in a child process, not in this jest VM. About a second.
 */
export async function installCoreFromSource(label: string): Promise<InstalledCore> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `seqsync-${label}-`)));
  const installed = join(dir, 'node_modules', '@seqsync', 'core');
  mkdirSync(installed, { recursive: true });
  cpSync(join(CORE, 'package.json'), join(installed, 'package.json'));
  const overrides = { config: 'tsup.config.ts', outDir: join(installed, 'dist'), dts: false, sourcemap: false, silent: true };
  const built = await runNode(CORE, ['-e', `require('tsup').build(${JSON.stringify(overrides)})`]);
  if (built.code !== 0) throw new Error(`building core failed:\n${built.stdout}${built.stderr}`);
  const write = (path: string, text: string) => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  return {
    dir,
    write,
    linkRealPg: () => symlinkSync(realpathSync(join(CORE, 'node_modules', 'pg')), join(dir, 'node_modules', 'pg'), 'dir'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node` (or a script such as jest's bin) in the project; see {@link runCommand}. */
export function runNode(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  return runCommand(cwd, process.execPath, args, env);
}

/**
 * Runs a command in the project as a user's shell would: without this jest run's NODE_OPTIONS
 * (--experimental-vm-modules), nor a NODE_PATH that could find drivers outside the project.
 */
export function runCommand(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && key !== 'NODE_PATH'));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Built from the current source by jest's global setup (test-support/cli-build.ts), never a leftover dist/. */
const BIN = cliBin();

function cliBin(): string {
  const bin = process.env.SEQSYNC_CLI_BIN;
  if (bin === undefined) {
    throw new Error('SEQSYNC_CLI_BIN is not set: run the CLI tests through jest, whose global setup builds the binary');
  }
  return bin;
}

export interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the built `seqsync` binary with only PATH and the given variables in its environment. */
export function seqsync(args: string[], env: Record<string, string> = {}, cwd?: string): Run {
  const result = spawnSync(process.execPath, [BIN, ...args],
    { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the built `seqsync` with its stdout piped into `head -n 1`, as a shell pipeline: head exits after the first
 * line, so a report longer than the pipe holds meets a reader that has gone away. `code` is seqsync's own
 * (bash's PIPESTATUS), `stderr` is seqsync's alone (head writes none).
 */
export function seqsyncIntoHead(args: string[]): { firstLine: string; code: number; stderr: string } {
  const script = '"$@" | head -n 1; echo "${PIPESTATUS[0]}"';
  // stdin from /dev/null: bash given a socket for stdin (as Node's pipes are) takes itself for rshd's and reads ~/.bashrc.
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', process.execPath, BIN, ...args],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const [firstLine, code] = result.stdout.split('\n');
  return { firstLine, code: Number(code), stderr: result.stderr };
}

/**
 * Runs the built `seqsync` on a pseudo-terminal (util-linux `script`), as a person at a terminal would: stdout and
 * stderr are both the terminal, so `output` is the two interleaved as the person sees them, with the terminal's
 * \r\n for each newline. `code` is seqsync's (script -e passes it on).
 */
export function seqsyncOnTerminal(args: string[]): { code: number | null; output: string } {
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync('script', ['-qec', quoted, '/dev/null'],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { code: result.status, output: result.stdout };
}

/** The same, without blocking the event loop: for runs that wait on a lock this process holds. */
export function seqsyncAsync(args: string[]): Promise<Run> {
  return startSeqsync(args).done;
}

/** A running `seqsync`, to signal while it waits; `done` resolves when it has exited and its output is read. */
export function startSeqsync(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' } });
  const done = new Promise<Run>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Rejects, with its output, if a run that should still be waiting exits. */
export async function exitedEarly(done: Promise<Run>): Promise<never> {
  const result = await done;
  throw new Error(`seqsync exited before it was interrupted: ${JSON.stringify(result)}`);
}

/** Polls `probe` every 50 ms until it is true; fails after `timeoutMs` naming `what` was waited for. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The CLI's failure contract: exit 2, nothing on stdout, exactly one line on stderr. */
export function expectOneLineFailure(result: Run, expected: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof expected === 'string') expect(lines[0]).toBe(expected);
  else expect(lines[0]).toMatch(expected);
}

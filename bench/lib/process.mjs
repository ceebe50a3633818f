// Whole processes, timed from spawn to exit: what a developer waits for when they type `seqsync realign`, or a deploy
// step when it runs a script. Peak RSS is the kernel's (GNU time's %M, or VmHWM polled from /proc when the machine
// has no /usr/bin/time), so it is the CLI's own, --json output included.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CAPPED_HEAP_FLAG } from './contenders.mjs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/** What each whole-process contender runs, and which exit codes mean it did its job. */
function commandOf(key, url, tablesFile) {
  switch (key) {
    // check exits 1 when a sequence is behind, which after the drift every one is.
    case 'cli-realign': return { args: [CLI, 'realign', '--json', '--url', url], ok: [0] };
    case 'cli-check': return { args: [CLI, 'check', '--json', '--url', url], ok: [0, 1] };
    case 'cli-realign-capped': return { args: [CAPPED_HEAP_FLAG, CLI, 'realign', '--json', '--url', url], ok: [0] };
    case 'cli-check-capped': return { args: [CAPPED_HEAP_FLAG, CLI, 'check', '--json', '--url', url], ok: [0, 1] };
    case 'proc-loop': return { args: [CHILD, JSON.stringify({ contender: 'loop', url, tablesFile })], ok: [0] };
    case 'proc-floor': return { args: [CHILD, JSON.stringify({ contender: 'floor', url, tablesFile })], ok: [0] };
    default: throw new Error(`unknown process contender ${key}`);
  }
}

let runs = 0;

/**
 * One run of a whole-process contender; resolves like runChild: { ms, maxRssBytes, error?, roundTrips?, batches? }.
 * `scratch` is an empty directory: the working directory (so no stray .env is read) and where GNU time writes.
 */
export function runProcess(key, url, tablesFile, scratch) {
  const { args, ok } = commandOf(key, url, tablesFile);
  const rssFile = join(scratch, `rss-${process.pid}-${(runs += 1)}`);
  const gnuTime = existsSync(GNU_TIME);
  const [command, argv] = gnuTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'NODE_OPTIONS']) delete env[name];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    let polledKb = 0;
    const poll = gnuTime ? null : setInterval(() => { polledKb = Math.max(polledKb, vmHwmKb(child.pid)); }, 5);
    child.stdout.on('data', (chunk) => { chunks.push(chunk); });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (poll) clearInterval(poll);
      const stdout = Buffer.concat(chunks).toString('utf8');
      const maxRssBytes = (gnuTime ? readGnuTimeKb(rssFile) : polledKb) * 1024;
      rmSync(rssFile, { force: true });
      const outcome = { ms, maxRssBytes, ...summarize(key, stdout) };
      // V8's out-of-memory report ends in native stack frames: its own line is the one that says what happened.
      const fatal = /FATAL ERROR: [^\n]*/.exec(stderr)?.[0];
      if (!ok.includes(code)) outcome.error = `exit ${code}: ${fatal ?? (stderr.trim() || stdout.trim()).split('\n').pop()?.slice(0, 200)}`;
      resolve(outcome);
    });
  });
}

/** Round trips and batches from the CLI's --json report; a child.mjs run's own error. */
function summarize(key, stdout) {
  try {
    if (key.startsWith('cli-')) {
      const report = JSON.parse(stdout);
      return { roundTrips: report.roundTrips, batches: report.batches, outputBytes: Buffer.byteLength(stdout) };
    }
    const line = JSON.parse(stdout.trim().split('\n').pop());
    return line.error ? { error: line.error } : {};
  } catch {
    return { error: `printed no report: ${stdout.slice(0, 200)}` };
  }
}

function readGnuTimeKb(file) {
  // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  return Number(lines.pop() ?? 0) || 0;
}

function vmHwmKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

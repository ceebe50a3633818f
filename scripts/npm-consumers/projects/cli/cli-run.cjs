// Runs `npx seqsync` as the README says and checks its exit codes, then the size of what the install left.
const { spawnSync, execFileSync } = require('node:child_process');

const url = process.env.SEQSYNC_PG_URL;
const MAX_INSTALL_KB = 20 * 1024;

function seqsync(...args) {
  const result = spawnSync('npx', ['--no-install', 'seqsync', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectExit(args, status) {
  const result = seqsync(...args);
  if (result.status !== status) {
    throw new Error(`seqsync ${args.join(' ')} exited ${result.status}, expected ${status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

const version = expectExit(['--version'], 0).stdout.trim();
if (!/^seqsync \d+\.\d+\.\d+/.test(version)) throw new Error(`--version printed ${JSON.stringify(version)}`);
expectExit(['check', '--url', url], 1);
expectExit(['realign', '--url', url], 0);
expectExit(['check', '--url', url], 0);
const kilobytes = Number(execFileSync('du', ['-sk', 'node_modules'], { encoding: 'utf8' }).split('\t')[0]);
if (kilobytes > MAX_INSTALL_KB) throw new Error(`node_modules is ${kilobytes} KB, over the ${MAX_INSTALL_KB} KB budget`);
console.log(`${version}: check 1 → realign 0 → check 0; node_modules ${(kilobytes / 1024).toFixed(1)} MB`);

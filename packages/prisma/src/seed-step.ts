import type { PrismaSchemaMetadata } from './prisma-metadata';
import type { SequencesReport } from './realign-sequences';
import { type StdioOptions, spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SeqsyncError, check, dialectNameOf, realign } from '@seqsync/core';
import type { Io } from '@seqsync/cli';
import { EXIT_OK, UsageError, describeError, exitCodeFor } from '@seqsync/cli';
import { METADATA_JSON } from './emit-metadata';
import { resolveModelScope, toSchemaMetadata } from './prisma-metadata';
import { withSkippedModels } from './realign-sequences';
import { formatSequencesReport } from './seed';
import { VERSION } from './version';

/** Where the seed step writes: the CLI's Io; progress is never printed in a seed. */
export type SeedStepIo = Omit<Io, 'stderrIsTty'>;

export const USAGE = `Usage: seqsync-prisma realign|check [options] [-- <seed command>]

Realigns (or checks) the sequences behind your Prisma models' autoincrement
keys. Given a command after \`--\`, runs it first and realigns only if it
succeeded - the form for prisma.config.ts, whose seed command runs without a
shell (so no \`&&\`):
  migrations: { seed: 'seqsync-prisma realign --metadata generated/seqsync
                       -- tsx prisma/seed.ts' }

Options:
  --metadata <path>    models.json written by \`generator seqsync\` (or its
                       folder)
  --all                every table in the database, not only the models'
                       (then --metadata is optional)
  --model <Name>       only this Prisma model (repeatable)
  --url <url>          postgres://, mysql://, mariadb:// or file: (SQLite) URL;
                       default $DATABASE_URL
  --reset              move sequences backwards too (mode 'reset')
  --dry-run            print what would change and the SQL, change nothing
  --lock-timeout <ms>  per-batch lock wait, default 5000
  --json               print the report as JSON (bigints as strings); a seed
                       command's own output then goes to stderr
  -h, --help           this help (anywhere before \`--\`)
  -V, --version        print the version (-v works too)

The report goes to stdout, errors to stderr. Exit codes: 0 done (check:
nothing behind), 1 a sequence is behind (check) or still behind after
realign, 2 error, or the seed command's own code when it failed.
With no arguments and PRISMA_GENERATOR_INVOCATION set, this binary is the
Prisma generator.
`;

const HELP_FLAGS: readonly string[] = ['-h', '--help'];
// As in @seqsync/cli: -v is the version too, there being no verbose mode to mistake it for.
const VERSION_FLAGS: readonly string[] = ['-V', '-v', '--version'];

/** The `seqsync-prisma realign|check` seed step. Returns the exit code; all output goes through `io`. */
export async function runSeedStep(argv: readonly string[], io: SeedStepIo): Promise<number> {
  // What follows `--` is the seed command's, flags included (`-- tsx seed.ts --help` is the seed's --help).
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const seedCommand = separator === -1 ? [] : argv.slice(separator + 1);
  // Help and version count wherever they stand, as in the seqsync CLI; help wins.
  const [command, ...flags] = own;
  if (command === undefined || command === 'help' || own.some((token) => HELP_FLAGS.includes(token))) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (own.some((token) => VERSION_FLAGS.includes(token))) {
    io.stdout(`seqsync-prisma ${VERSION}\n`);
    return EXIT_OK;
  }
  try {
    if (command !== 'realign' && command !== 'check') {
      throw new UsageError(`unknown command ${JSON.stringify(command)}: expected realign or check (see seqsync-prisma --help)`);
    }
    // Options and metadata are checked before the seed runs, so a typo fails before any data is written.
    const { run, json } = await prepareRun(command, flags, io.env);
    if (seedCommand.length > 0) {
      // With --json, stdout carries the report alone: the seed's own output goes to stderr.
      const seedExit = await runChild(seedCommand, io.env, json ? 'stderr' : 'stdout');
      // A failed seed's own error is what matters; realigning after it would bury it.
      if (seedExit !== 0) return seedExit;
    }
    const report = await run();
    // The report's toJSON writes BigInts as strings: the same JSON as `seqsync --json`, plus the Prisma fields.
    io.stdout(`${json ? JSON.stringify(report, null, 2) : formatSequencesReport(report, command)}\n`);
    return exitCodeFor(command, report);
  } catch (error) {
    const { message, exitCode } = describeError(error);
    io.stderr(`seqsync-prisma: ${message}\n`);
    return exitCode;
  }
}

interface PreparedRun {
  readonly run: () => Promise<SequencesReport>;
  readonly json: boolean;
}

async function prepareRun(command: 'realign' | 'check', argv: readonly string[], env: Io['env']): Promise<PreparedRun> {
  const { values } = parseFlags(argv);
  const url = values.url ?? env.DATABASE_URL;
  if (url === undefined || url.length === 0) throw new UsageError('no database: pass --url or set DATABASE_URL');
  if (values.metadata === undefined && values.all !== true) {
    throw new SeqsyncError('INVALID_OPTION',
      'pass --metadata <folder of generator seqsync> to realign the models\' tables, or --all for every table');
  }
  const metadata = values.metadata === undefined ? undefined : await readMetadata(values.metadata);
  if (metadata !== undefined) dialectNameOf(metadata.provider);
  const scope = resolveModelScope(null, { metadata, models: values.model, allTables: values.all }, metadata?.provider);
  const lockTimeoutMs = values['lock-timeout'] === undefined ? undefined : Number(values['lock-timeout']);
  const options = {
    tables: scope.tables,
    mode: values.reset === true ? 'reset' as const : 'advance' as const,
    dryRun: values['dry-run'] === true,
    lockTimeoutMs,
  };
  const run = async () => withSkippedModels(await (command === 'check' ? check : realign)(url, options), scope);
  return { run, json: values.json === true };
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        metadata: { type: 'string' }, all: { type: 'boolean' }, model: { type: 'string', multiple: true },
        url: { type: 'string' }, reset: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'lock-timeout': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    // node:util reports an unknown or malformed flag as a TypeError; to the user it is a usage error.
    throw new UsageError((error as Error).message);
  }
}

async function readMetadata(path: string): Promise<PrismaSchemaMetadata> {
  const file = (await stat(path).catch(() => null))?.isDirectory() === true ? join(path, METADATA_JSON) : path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SeqsyncError('INVALID_OPTION', `cannot read ${file}: run \`prisma generate\` with \`generator seqsync\` first`,
      { cause: error });
  }
  const parsed = JSON.parse(text) as PrismaSchemaMetadata;
  return toSchemaMetadata(parsed, parsed.provider);
}

/** Runs the wrapped seed command with the terminal attached, as `prisma db seed` would have; its stdout to `stdout`. */
function runChild(command: readonly string[], env: Io['env'], stdout: 'stdout' | 'stderr'): Promise<number> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    // Windows resolves npm's .cmd shims only through a shell.
    // File descriptor 2 is this process's stderr, shared with the child.
    const stdio: StdioOptions = ['inherit', stdout === 'stdout' ? 'inherit' : 2, 'inherit'];
    const child = spawn(file, args, { stdio, env, shell: process.platform === 'win32' });
    child.once('error', (error) => reject(new SeqsyncError('INVALID_OPTION',
      `cannot run seed command ${JSON.stringify(command.join(' '))}: ${error.message}`, { cause: error })));
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

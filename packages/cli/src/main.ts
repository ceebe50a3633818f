import { check, realign, type Options, type Report } from '@seqsync/core';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { CHECK_HELP, MAIN_HELP, REALIGN_HELP } from './help';
import { EXIT_OK, describeError, exitCodeFor } from './exit-codes';
import { formatCheck, formatRealign, toJson } from './format';
import { VERSION } from './version';

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal: progress is printed only then. */
  readonly stderrIsTty: boolean;
  /** Aborted with the signal's name ('SIGINT', 'SIGTERM') to stop the run: see bin.ts. */
  readonly signal?: AbortSignal;
  /** Told each time a batch of realign's commits, with how many have (a second signal's message counts them). */
  readonly onCommitted?: (committedBatches: number) => void;
}

/** Below this many batches there is nothing worth a progress line. */
const PROGRESS_MIN_BATCHES = 2;

/** Runs one seqsync command line and resolves to its exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout(`${args.topic === 'check' ? CHECK_HELP : args.topic === 'realign' ? REALIGN_HELP : MAIN_HELP}\n`);
      return EXIT_OK;
    }
    if (args.command === 'version') {
      io.stdout(`seqsync ${VERSION}\n`);
      return EXIT_OK;
    }
    const url = args.url ?? io.env.DATABASE_URL;
    if (url === undefined || url.length === 0) throw new UsageError('no database URL: pass --url or set DATABASE_URL');
    const options = toOptions(args, io);
    if (args.command === 'check') {
      const report = await check(url, options);
      io.stdout(`${args.json ? toJson(report) : formatCheck(report)}\n`);
      return exitCodeFor('check', report);
    }
    const report: Report = await realign(url, options);
    io.stdout(`${args.json ? toJson(report) : formatRealign(report)}\n`);
    return exitCodeFor('realign', report);
  } catch (error) {
    const { message, exitCode } = describeError(error);
    io.stderr(`seqsync: ${message}\n`);
    return exitCode;
  }
}

function toOptions(args: ParsedArgs, io: Io): Options {
  return {
    schemas: args.schemas.length > 0 ? args.schemas : undefined,
    tables: args.tables.length > 0 ? args.tables : undefined,
    exclude: args.exclude.length > 0 ? args.exclude : undefined,
    mode: args.reset ? 'reset' : 'advance',
    dryRun: args.dryRun,
    lockTimeoutMs: args.lockTimeoutMs,
    signal: io.signal,
    onProgress: (done, total) => {
      if (args.command === 'realign' && !args.dryRun) io.onCommitted?.(done);
      if (io.stderrIsTty && total >= PROGRESS_MIN_BATCHES) io.stderr(`\r${done}/${total} batches${done === total ? '\n' : ''}`);
    },
  };
}

import { check, realign, type Options, type Report } from '@seqsync/core';
import { parseArgs, type ParsedArgs } from './args';
import { findDatabaseUrl } from './database-url';
import { helpText } from './help';
import { EXIT_OK, describeError, exitCodeFor } from './exit-codes';
import { formatCheck, formatRealign, warningLines } from './format';
import { jsonChunks } from './json-output';
import { Output } from './output';
import { VERSION } from './version';

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface Io {
  /** Writes to stdout; `false` when the text was queued rather than written (a pipe whose reader is behind). */
  readonly stdout: (text: string) => boolean | void;
  /** Resolves once what stdout queued is written: --json waits for it before stringifying more of the report. */
  readonly stdoutDrained?: () => Promise<void>;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal: progress is printed only then. */
  readonly stderrIsTty: boolean;
  /** Where a `.env` is looked for when no URL is given; default `process.cwd()`. */
  readonly cwd?: string;
  /** Aborted with the signal's name ('SIGINT', 'SIGTERM') to stop the run: see bin.ts. */
  readonly signal?: AbortSignal;
  /** Told each time a batch of realign's commits, with how many have (a second signal's message counts them). */
  readonly onCommitted?: (committedBatches: number) => void;
}

/** Runs one seqsync command line and resolves to its exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let output = new Output(io, false);
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout(`${helpText(args.topic)}\n`);
      return EXIT_OK;
    }
    if (args.command === 'version') {
      io.stdout(`seqsync ${VERSION}\n`);
      return EXIT_OK;
    }
    output = new Output(io, io.stderrIsTty && !args.quiet);
    const { url, note } = findDatabaseUrl(args.url, io.env, io.cwd ?? process.cwd());
    if (note !== undefined && !args.quiet) output.stderr(`seqsync: ${note}\n`);
    const command = args.command;
    const options = toOptions(args, io, output);
    const report: Report = command === 'check' ? await check(url, options) : await realign(url, options);
    await print(args, report, output, io);
    return exitCodeFor(command, report);
  } catch (error) {
    const { message, exitCode } = describeError(error);
    output.stderr(`seqsync: ${message}\n`);
    return exitCode;
  }
}

/**
 * --quiet keeps the warnings, on stderr: each names something seqsync could not vouch for (a default it cannot trace
 * to a sequence, a range nearly used up), which the exit code does not carry.
 */
async function print(args: ParsedArgs, report: Report, output: Output, io: Io): Promise<void> {
  if (args.quiet) {
    for (const line of warningLines(report)) output.stderr(`seqsync: ${line}\n`);
  } else if (args.json) {
    for (const chunk of jsonChunks(report)) {
      if (output.stdout(chunk) === false) await io.stdoutDrained?.();
    }
    output.stdout('\n');
  } else {
    output.stdout(`${args.command === 'check' ? formatCheck(report) : formatRealign(report)}\n`);
  }
}

function toOptions(args: ParsedArgs, io: Io, output: Output): Options {
  return {
    schemas: args.schemas.length > 0 ? args.schemas : undefined,
    tables: args.tables.length > 0 ? args.tables : undefined,
    exclude: args.exclude.length > 0 ? args.exclude : undefined,
    mode: args.reset ? 'reset' : 'advance',
    dryRun: args.dryRun,
    lockTimeoutMs: args.lockTimeoutMs,
    batchSize: args.batchSize,
    ...(args.from === undefined ? {} : { from: args.from }),
    ...(args.margin === undefined ? {} : { margin: args.margin }),
    signal: io.signal,
    onProgress: (done, total) => {
      if (args.command === 'realign' && !args.dryRun) io.onCommitted?.(done);
      output.progress(done, total);
    },
  };
}

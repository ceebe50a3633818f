/** Parsed command line; no I/O here, so every rule is unit-testable. */
export interface ParsedArgs {
  readonly command: 'check' | 'realign' | 'help' | 'version';
  /** For `help`: the command whose help was asked for, if any. */
  readonly topic?: 'check' | 'realign';
  readonly url?: string;
  readonly schemas: string[];
  readonly tables: string[];
  readonly exclude: string[];
  readonly reset: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Nothing on stdout and no notes on stderr: only errors and the report's warnings (see main.ts). */
  readonly quiet: boolean;
  readonly lockTimeoutMs?: number;
  /** At most this many tables per transaction (core's `batchSize`). */
  readonly batchSize?: number;
  /** Cutover: the database the target's counters must not fall behind (core's `from`). */
  readonly from?: string;
  /** Steps past the source's position (or, without --from, past the data). */
  readonly margin?: number;
}

/** A usage mistake: the CLI prints it on one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Command = 'check' | 'realign';

const COMMANDS: readonly string[] = ['check', 'realign'];
const HELP_FLAGS: readonly string[] = ['-h', '--help'];
// -v stays the version, as in node and npm: seqsync has no verbose mode it could be mistaken for.
const VERSION_FLAGS: readonly string[] = ['-V', '-v', '--version'];
const VALUE_OPTIONS: readonly string[] = [
  '--url', '--schema', '--table', '--exclude', '--lock-timeout', '--batch-size', '--from', '--margin',
];
const SWITCHES: Readonly<Record<Command, readonly string[]>> = {
  check: ['--json', '--quiet', '-q'],
  realign: ['--json', '--quiet', '-q', '--reset', '--dry-run'],
};
const MAX_WHOLE_NUMBER = 2_147_483_647;

function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command ${JSON.stringify(name)}: expected "check" or "realign" (see seqsync --help)`);
}

/**
 * -h / --help and -V / --version count wherever they stand, as in git, npm and prisma: someone halfway through
 * typing options who asks for help gets help, not an error about the options typed so far. Help wins over version.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  const wantsHelp = argv.some((token) => HELP_FLAGS.includes(token));
  if (first === undefined) return helpFor(undefined);
  if (first === 'help') {
    const [topic, extra] = rest;
    if (topic === undefined || HELP_FLAGS.includes(topic) || topic === 'help') return helpFor(undefined);
    if (!COMMANDS.includes(topic)) throw unknownCommand(topic);
    if (extra !== undefined && !HELP_FLAGS.includes(extra)) {
      throw new UsageError(`unexpected argument ${JSON.stringify(extra)} for "seqsync help" (see seqsync --help)`);
    }
    return helpFor(topic as Command);
  }
  if (!COMMANDS.includes(first) && !first.startsWith('-')) throw unknownCommand(first);
  const command = COMMANDS.includes(first) ? first as Command : undefined;
  if (wantsHelp) return helpFor(command);
  if (argv.some((token) => VERSION_FLAGS.includes(token))) return { ...EMPTY, command: 'version' };
  if (command === undefined) throw unknownCommand(first);
  return parseCommand(command, rest);
}

const EMPTY = { schemas: [], tables: [], exclude: [], reset: false, dryRun: false, json: false, quiet: false };

function helpFor(topic: Command | undefined): ParsedArgs {
  return { ...EMPTY, command: 'help', topic };
}

function parseCommand(command: Command, rest: readonly string[]): ParsedArgs {
  const parsed: { -readonly [K in keyof ParsedArgs]: ParsedArgs[K] } = {
    ...EMPTY, command, schemas: [], tables: [], exclude: [],
  };
  for (let index = 0; index < rest.length; index += 1) {
    const token = rest[index];
    const [flag, inline] = token.startsWith('--') && token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    if (SWITCHES[command].includes(flag)) {
      if (inline !== undefined) throw new UsageError(`option ${flag} takes no value`);
      if (flag === '--json') parsed.json = true;
      if (flag === '--quiet' || flag === '-q') parsed.quiet = true;
      if (flag === '--reset') parsed.reset = true;
      if (flag === '--dry-run') parsed.dryRun = true;
      continue;
    }
    if (!VALUE_OPTIONS.includes(flag)) {
      throw new UsageError(flag.startsWith('-')
        ? `unknown option ${flag} for "seqsync ${command}" (see seqsync ${command} --help)`
        : `unexpected argument ${JSON.stringify(token)} for "seqsync ${command}" (see seqsync ${command} --help)`);
    }
    const value = inline ?? rest[index + 1];
    if (inline === undefined) index += 1;
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value`);
    if (value.length === 0) throw new UsageError(`option ${flag} needs a non-empty value`);
    if (flag === '--url') parsed.url = value;
    else if (flag === '--schema') parsed.schemas.push(value);
    else if (flag === '--table') parsed.tables.push(value);
    else if (flag === '--exclude') parsed.exclude.push(value);
    else if (flag === '--lock-timeout') parsed.lockTimeoutMs = wholeNumber(flag, value, 'milliseconds');
    else if (flag === '--batch-size') parsed.batchSize = wholeNumber(flag, value, 'tables');
    else if (flag === '--from') parsed.from = value;
    else if (flag === '--margin') parsed.margin = wholeNumber(flag, value, 'steps', 0);
  }
  // Both ask for stdout: one for the report as JSON, the other for nothing at all.
  if (parsed.quiet && parsed.json) throw new UsageError('options --quiet and --json cannot be used together');
  return parsed;
}

function wholeNumber(flag: string, value: string, unit: string, least = 1): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < least || Number(value) > MAX_WHOLE_NUMBER) {
    throw new UsageError(`option ${flag} needs a whole number of ${unit} ≥ ${least}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

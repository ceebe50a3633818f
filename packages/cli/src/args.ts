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
  readonly lockTimeoutMs?: number;
}

/** A usage mistake: the CLI prints it on one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const VALUE_FLAGS = {
  check: ['--url', '--schema', '--table', '--exclude', '--lock-timeout'],
  realign: ['--url', '--schema', '--table', '--exclude', '--lock-timeout'],
} as const;
const SWITCHES = { check: ['--json', '--help'], realign: ['--json', '--help', '--reset', '--dry-run'] } as const;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  const empty = { schemas: [], tables: [], exclude: [], reset: false, dryRun: false, json: false };
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] === 'check' || rest[0] === 'realign' ? rest[0] : undefined;
    return { command: 'help', topic, ...empty };
  }
  if (first === '--version' || first === '-v') return { command: 'version', ...empty };
  if (first !== 'check' && first !== 'realign') {
    throw new UsageError(`unknown command ${JSON.stringify(first)}: expected "check" or "realign" (see seqsync --help)`);
  }
  const parsed = {
    command: first as 'check' | 'realign', ...empty, schemas: [] as string[], tables: [] as string[], exclude: [] as string[],
  } as {
    -readonly [K in keyof ParsedArgs]: ParsedArgs[K];
  };
  for (let index = 0; index < rest.length; index += 1) {
    const token = rest[index];
    const [flag, inline] = token.startsWith('--') && token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    if ((SWITCHES[first] as readonly string[]).includes(flag)) {
      if (inline !== undefined) throw new UsageError(`option ${flag} takes no value`);
      if (flag === '--help') return { command: 'help', topic: first, ...empty };
      if (flag === '--json') parsed.json = true;
      if (flag === '--reset') parsed.reset = true;
      if (flag === '--dry-run') parsed.dryRun = true;
      continue;
    }
    if (!(VALUE_FLAGS[first] as readonly string[]).includes(flag)) {
      throw new UsageError(flag.startsWith('-')
        ? `unknown option ${flag} for "seqsync ${first}" (see seqsync ${first} --help)`
        : `unexpected argument ${JSON.stringify(token)} for "seqsync ${first}" (see seqsync ${first} --help)`);
    }
    const value = inline ?? rest[index + 1];
    if (inline === undefined) index += 1;
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value`);
    if (value.length === 0) throw new UsageError(`option ${flag} needs a non-empty value`);
    if (flag === '--url') parsed.url = value;
    else if (flag === '--schema') parsed.schemas.push(value);
    else if (flag === '--table') parsed.tables.push(value);
    else if (flag === '--exclude') parsed.exclude.push(value);
    else if (flag === '--lock-timeout') {
      if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 2_147_483_647) {
        throw new UsageError(`option --lock-timeout needs a whole number of milliseconds ≥ 1, got ${JSON.stringify(value)}`);
      }
      parsed.lockTimeoutMs = Number(value);
    }
  }
  return parsed;
}

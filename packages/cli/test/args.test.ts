import { parseArgs, UsageError } from '../src/args';

describe('parseArgs', () => {
  it('reads repeated and inline options', () => {
    expect(parseArgs([
      'realign', '--url=postgres://x/db', '--schema', 'a', '--schema=b', '--table', 'public.User', '--exclude', 'x', '--reset', '--dry-run',
      '--lock-timeout', '250', '--json',
    ]))
      .toEqual({
        command: 'realign',
        url: 'postgres://x/db',
        schemas: ['a', 'b'],
        tables: ['public.User'],
        exclude: ['x'],
        reset: true,
        dryRun: true,
        json: true,
        lockTimeoutMs: 250,
      });
  });

  it.each([
    [['check', '--reset'], 'unknown option --reset for "seqsync check" (see seqsync check --help)'],
    [['realign', '--force'], 'unknown option --force for "seqsync realign" (see seqsync realign --help)'],
    [['realign', '--lock-timeout', 'soon'], 'option --lock-timeout needs a whole number of milliseconds ≥ 1, got "soon"'],
    [['check', '--url'], 'option --url needs a value'],
    [['check', '--table', '--json'], 'option --table needs a value'],
    [['check', 'extra'], 'unexpected argument "extra" for "seqsync check" (see seqsync check --help)'],
    [['fix'], 'unknown command "fix": expected "check" or "realign" (see seqsync --help)'],
    [['check', '--json=yes'], 'option --json takes no value'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it('routes --help to the command it follows', () => {
    expect(parseArgs(['realign', '--url', 'x', '--help'])).toMatchObject({ command: 'help', topic: 'realign' });
    expect(parseArgs([])).toMatchObject({ command: 'help', topic: undefined });
  });
});

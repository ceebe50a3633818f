import { parseArgs, UsageError } from '../src/args';

describe('parseArgs', () => {
  it('reads repeated and inline options', () => {
    expect(parseArgs([
      'realign', '--url=postgres://x/db', '--schema', 'a', '--schema=b', '--table', 'public.User', '--exclude', 'x', '--reset', '--dry-run',
      '--lock-timeout', '250', '--batch-size=40', '--json',
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
        quiet: false,
        lockTimeoutMs: 250,
        batchSize: 40,
      });
  });

  it('-q and --quiet set quiet, for check and realign alike', () => {
    expect(parseArgs(['check', '-q'])).toMatchObject({ command: 'check', quiet: true, json: false });
    expect(parseArgs(['realign', '--quiet', '--dry-run'])).toMatchObject({ command: 'realign', quiet: true, dryRun: true });
  });

  it.each([
    [['check', '--reset'], 'unknown option --reset for "seqsync check" (see seqsync check --help)'],
    [['realign', '--force'], 'unknown option --force for "seqsync realign" (see seqsync realign --help)'],
    [['realign', '--lock-timeout', 'soon'], 'option --lock-timeout needs a whole number of milliseconds ≥ 1, got "soon"'],
    [['check', '--batch-size', '0'], 'option --batch-size needs a whole number of tables ≥ 1, got "0"'],
    [['check', '--batch-size=2.5'], 'option --batch-size needs a whole number of tables ≥ 1, got "2.5"'],
    [['check', '--batch-size', '-1'], 'option --batch-size needs a whole number of tables ≥ 1, got "-1"'],
    [['check', '--batch-size', '1e3'], 'option --batch-size needs a whole number of tables ≥ 1, got "1e3"'],
    [['check', '--batch-size', '99999999999'], 'option --batch-size needs a whole number of tables ≥ 1, got "99999999999"'],
    [['check', '--url'], 'option --url needs a value'],
    [['check', '--table', '--json'], 'option --table needs a value'],
    [['check', 'extra'], 'unexpected argument "extra" for "seqsync check" (see seqsync check --help)'],
    [['fix'], 'unknown command "fix": expected "check" or "realign" (see seqsync --help)'],
    [['fix', '--help'], 'unknown command "fix": expected "check" or "realign" (see seqsync --help)'],
    [['help', 'fix'], 'unknown command "fix": expected "check" or "realign" (see seqsync --help)'],
    [['help', 'check', 'extra'], 'unexpected argument "extra" for "seqsync help" (see seqsync --help)'],
    [['--url', 'x', 'check'], 'unknown command "--url": expected "check" or "realign" (see seqsync --help)'],
    [['check', '--json=yes'], 'option --json takes no value'],
    [['check', '--quiet', '--json'], 'options --quiet and --json cannot be used together'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it.each([
    [[], undefined],
    [['-h'], undefined],
    [['--help'], undefined],
    [['help'], undefined],
    [['help', 'help'], undefined],
    [['help', 'check'], 'check'],
    [['help', 'realign', '-h'], 'realign'],
    [['check', '-h'], 'check'],
    [['realign', '--url', 'x', '--help'], 'realign'],
    // Asking for help beats a mistake made before it: the help is what explains the mistake.
    [['realign', '--bogus', '--lock-timeout', 'soon', '-h'], 'realign'],
    [['check', '--version', '--help'], 'check'],
  ])('%j asks for help on %s', (argv, topic) => {
    expect(parseArgs(argv)).toMatchObject({ command: 'help', topic });
  });

  it.each([[['-V']], [['-v']], [['--version']], [['check', '-V']], [['realign', '--url', 'x', '--version']], [['check', '--bogus', '-v']]])(
    '%j asks for the version', (argv) => {
      expect(parseArgs(argv).command).toBe('version');
    });
});

import { CHECK_HELP, MAIN_HELP, REALIGN_HELP } from '../src/help';
import { seqsync } from './cli-run';

/** The built binary's help: where it is reachable from, what it says, and that it fits a default terminal. */
describe('seqsync help', () => {
  it.each([
    [['--help'], MAIN_HELP],
    [['-h'], MAIN_HELP],
    [['help'], MAIN_HELP],
    [[], MAIN_HELP],
    [['check', '-h'], CHECK_HELP],
    [['check', '--url', 'postgres://x/y', '--help'], CHECK_HELP],
    [['help', 'check'], CHECK_HELP],
    [['realign', '--dry-run', '-h'], REALIGN_HELP],
    [['help', 'realign'], REALIGN_HELP],
  ])('seqsync %j prints exactly its help on stdout and exits 0', (args, help) => {
    expect(seqsync(args)).toEqual({ code: 0, stdout: `${help}\n`, stderr: '' });
  });

  it.each([['main', MAIN_HELP], ['check', CHECK_HELP], ['realign', REALIGN_HELP]])(
    'every line of the %s help fits 80 columns', (_name, help) => {
      expect(help.split('\n').filter((line) => line.length > 80)).toEqual([]);
    });

  it.each([['check', CHECK_HELP], ['realign', REALIGN_HELP]])('the %s help lists its exit codes and every option', (_name, help) => {
    expect(help).toMatch(/\nExit codes:\n {2}0 {4}.*\n {2}1 {4}.*\n(?: {7}.*\n)* {2}2 {4}.*\n(?: {7}.*\n)* {2}130 {2}SIGINT/);
    for (const option of ['--url', '--schema', '--table', '--exclude', '--lock-timeout', '--batch-size', '--json', '-q, --quiet',
      '-h, --help', '-V, --version']) {
      expect(help).toContain(`\n  ${option} `);
    }
  });

  it('the overview names the version flags and every place a database URL comes from', () => {
    expect(MAIN_HELP).toContain('seqsync -V, --version       print the version (-v works too)');
    for (const source of ['--url URL', '$DATABASE_URL', 'DATABASE_URL in ./.env', 'PGHOST, PGPORT, PGUSER or PGDATABASE']) {
      expect(MAIN_HELP).toContain(source);
    }
  });
});

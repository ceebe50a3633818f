import { createTestDatabase, nextValue, type TestDatabase } from '../../../test-support/test-database';
import { EXIT_BEHIND, EXIT_OK } from '../src/exit-codes';
import { seqsync } from './cli-run';

interface JsonSequence {
  sequence: string; nextValueBefore: string; nextValueAfter: string; behind: boolean; action: string; reason: string;
}
interface JsonReport { dryRun: boolean; sequences: JsonSequence[] }

function json(args: string[]): { code: number | null; report: JsonReport } {
  const result = seqsync([...args, '--json']);
  if (result.stdout === '') throw new Error(`seqsync ${args.join(' ')} printed no report: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport };
}

/** A read-only run says what realign would do in words no script can take for a change: would_advance, would_reset. */
describe('seqsync check and --dry-run report would-be actions (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('cli_would_be');
    await db.sql(`CREATE TABLE behind (id serial PRIMARY KEY); INSERT INTO behind VALUES (1), (2), (3);
      CREATE TABLE high (id serial PRIMARY KEY); INSERT INTO high VALUES (5); SELECT setval('high_id_seq', 99);`);
  });
  afterEach(() => db.drop());

  it('check --json: would_advance to 4, exit 1, and the sequence is untouched', async () => {
    const { code, report } = json(['check', '--url', db.url]);
    expect(code).toBe(EXIT_BEHIND);
    expect(report.dryRun).toBe(true);
    expect(report.sequences.map((s) => [s.sequence, s.action, s.behind, s.nextValueBefore, s.nextValueAfter])).toEqual([
      ['behind_id_seq', 'would_advance', true, '1', '4'], ['high_id_seq', 'unchanged', false, '100', '100']]);
    expect(report.sequences[0].reason).toBe('next value 1 would collide (data max is 3); the target is 4');
    expect(await nextValue(db, 'behind_id_seq')).toBe(1n);
  });

  it('realign --dry-run --json: would_advance, exit 0; its human output shows the same word in the action column', async () => {
    const { code, report } = json(['realign', '--dry-run', '--url', db.url]);
    expect(code).toBe(EXIT_OK);
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]))
      .toEqual([['behind_id_seq', 'would_advance', '4'], ['high_id_seq', 'unchanged', '100']]);
    const human = seqsync(['realign', '--dry-run', '--url', db.url]);
    expect(human.stdout).toContain('Dry run: would move 1 of 2 sequences.');
    expect(human.stdout).toMatch(/public\.behind_id_seq\s+public\.behind\.id\s+3\s+1\s+4\s+would_advance\n/);
    expect(await nextValue(db, 'behind_id_seq')).toBe(1n);
  });

  it('realign --reset --dry-run --json: would_reset back to 6 and would_advance to 4; nothing moves', async () => {
    const { code, report } = json(['realign', '--reset', '--dry-run', '--url', db.url]);
    expect(code).toBe(EXIT_OK);
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueBefore, s.nextValueAfter]))
      .toEqual([['behind_id_seq', 'would_advance', '1', '4'], ['high_id_seq', 'would_reset', '100', '6']]);
    expect(report.sequences[1].reason).toBe('next value 100 is ahead of 6, the first value past the data (data max is 5); the target is 6');
    expect(await nextValue(db, 'high_id_seq')).toBe(100n);
  });

  it('realign --json, which writes, says advanced and reset', async () => {
    const { code, report } = json(['realign', '--reset', '--url', db.url]);
    expect(code).toBe(EXIT_OK);
    expect(report.dryRun).toBe(false);
    expect(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]))
      .toEqual([['behind_id_seq', 'advanced', '4'], ['high_id_seq', 'reset', '6']]);
    expect(await nextValue(db, 'behind_id_seq')).toBe(4n);
    expect(await nextValue(db, 'high_id_seq')).toBe(6n);
  });
});

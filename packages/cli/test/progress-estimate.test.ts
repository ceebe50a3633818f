import { Output, formatTimeLeft } from '../src/output';

/** An Output on a terminal whose clock the test moves: `at(ms)` sets it before each count. */
function terminal(): { output: Output; stderr: () => string; at: (ms: number) => void } {
  let text = '';
  let now = 0;
  const output = new Output({ stdout: (chunk) => { text += chunk; }, stderr: (chunk) => { text += chunk; } }, true, () => now);
  return { output, stderr: () => text, at: (ms) => { now = ms; } };
}

describe('progress on a terminal: batches done / total, and the time left on a run of more than a few seconds', () => {
  it('a run shorter than 3 s shows the counts alone, as before', () => {
    const { output, stderr, at } = terminal();
    for (const [done, ms] of [[1, 500], [2, 1_000], [3, 2_999]]) {
      at(ms);
      output.progress(done, 4);
    }
    expect(stderr()).toBe('\r1/4 batches\r2/4 batches\r3/4 batches');
  });

  it('past 3 s: the batches left at the pace since the first; a shorter line padded over the longer; none after the last', () => {
    const { output, stderr, at } = terminal();
    // The catalog read took 2 s; then a batch each 10 s, then each 1 s.
    for (const [done, ms] of [[1, 2_000], [2, 12_000], [3, 22_000], [40, 59_000], [50, 60_000]]) {
      at(ms);
      output.progress(done, 50);
    }
    expect(stderr().split('\r')).toEqual([
      '',
      '1/50 batches',
      '2/50 batches, about 8 min left',
      '3/50 batches, about 8 min left',
      '40/50 batches, about 15 s left',
      `${'50/50 batches'.padEnd('40/50 batches, about 15 s left'.length)}\n`,
    ]);
  });

  it('a line of its own after a message that ends the progress line is not padded to the earlier one', () => {
    const { output, stderr, at } = terminal();
    at(4_000);
    output.progress(1, 3);
    at(64_000);
    output.progress(2, 3);
    output.stderr('seqsync: note\n');
    output.progress(3, 3);
    expect(stderr()).toBe('\r1/3 batches\r2/3 batches, about 1 min left\nseqsync: note\n\r3/3 batches\n');
  });

  it.each([
    [0, '1 s'], [400, '1 s'], [1_001, '2 s'], [59_000, '59 s'], [59_500, '1 min'], [89_000, '1 min'], [90_000, '2 min'],
    [3_569_000, '59 min'], [3_600_000, '1 h 0 min'], [5_430_000, '1 h 31 min'],
  ])('%i ms left reads "about %s left"', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});

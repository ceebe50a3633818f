import { withJson, type Report, type SequenceReport } from '@seqsync/core';
import { writeJson } from '../src/json-output';

/** 2^53 + 1 and the int8 maximum: values a JavaScript number cannot hold, which JSON carries as strings. */
const PAST_NUMBER = 9007199254740993n;
const INT8_MAX = 9223372036854775807n;

function sequence(index: number): SequenceReport {
  return {
    schema: `s${index}`, sequence: 'ledger_id_seq', uses: [{ schema: `s${index}`, table: 'ledger', column: 'id', kind: 'identity' }],
    increment: index % 2 === 0 ? 1n : -1n, dataMax: PAST_NUMBER + BigInt(index), dataMin: null, nextValueBefore: PAST_NUMBER,
    nextValueAfter: INT8_MAX, behind: true, action: 'would_advance', reason: 'a "quoted" reason\nwith a newline and \u00e9',
    exhaustionPercent: 99.5, exhaustionWarning: true,
  };
}

function reportOf(sequences: readonly SequenceReport[], extra: object = {}): Report {
  return withJson({
    dialect: 'postgres', mode: 'advance', dryRun: true, sequences, tablesWithoutSequence: [], warnings: ['one', 'two'],
    statements: ['BEGIN', 'SELECT 1'], statementsOmitted: 12, batches: 0, roundTrips: 3, ...extra,
  }) as Report;
}

function written(report: Report): string[] {
  const chunks: string[] = [];
  writeJson(report, (chunk) => chunks.push(chunk));
  return chunks;
}

describe('--json output written in pieces', () => {
  it('is byte for byte JSON.stringify(report, null, 2): BigInts past 2^53 as decimal strings, escapes, empty lists', () => {
    const report = reportOf([sequence(0), sequence(1)]);
    expect(written(report).join('')).toBe(JSON.stringify(report, null, 2));
    expect(JSON.parse(written(report).join('')).sequences[0].dataMax).toBe('9007199254740993');
  });

  it('a report with nothing in scope and one with fields of its own (a cutover, an ORM package\'s extras) read the same', () => {
    const empty = reportOf([]);
    const extended = reportOf([sequence(2)], {
      cutover: { source: 'postgres://x', unmatchedSource: [], unmatchedTarget: ['a.b.c'], sourceRoundTrips: 3 },
      skipped: [{ model: 'Tag', reason: 'no default' }], maybe: undefined, nested: [[1n, [2n]], {}],
    });
    expect([written(empty).join(''), written(extended).join('')])
      .toEqual([JSON.stringify(empty, null, 2), JSON.stringify(extended, null, 2)]);
  });

  it('3,000 sequences arrive in several writes of about 64 KB, none of them the whole report, joined exactly as one', () => {
    const report = reportOf(Array.from({ length: 3_000 }, (_, index) => sequence(index)));
    const chunks = written(report);
    const whole = JSON.stringify(report, null, 2);
    const largest = Math.max(...chunks.map((chunk) => chunk.length));
    expect({ joined: chunks.join('') === whole, several: chunks.length > 10, small: largest < whole.length / 10 })
      .toEqual({ joined: true, several: true, small: true });
  });
});

import { createSqliteFile, type SqliteTestFile } from '../../../test-support/sqlite-database';
import { main } from '../src/main';

/**
 * --json on a stdout that queues (a pipe whose reader is behind): the next piece of the report is stringified and
 * written only once the last has drained, so the report's 50 MB at 100,000 tables are never queued in memory at once;
 * and the pieces together are exactly the report JSON.stringify would write.
 */
describe('seqsync --json waits for stdout to drain', () => {
  let file: SqliteTestFile;
  beforeAll(() => {
    file = createSqliteFile('json_drain');
    const tables = Array.from({ length: 400 }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY AUTOINCREMENT);
      INSERT INTO t${i} (id) VALUES (${i + 5}); UPDATE sqlite_sequence SET seq = 1 WHERE name = 't${i}';`);
    file.db.exec(tables.join('\n'));
  });
  afterAll(() => file.remove());

  it('writes one piece per drain, never two queued, and the pieces are the whole report', async () => {
    const written: string[] = [];
    let queued = false;
    let writesWhileQueued = 0;
    let drains = 0;
    const code = await main(['check', '--json', '--url', file.url], {
      stdout: (text) => {
        if (queued) writesWhileQueued += 1;
        written.push(text);
        // Every piece is "queued" until the drain below, as a full pipe's writes are.
        queued = true;
        return false;
      },
      stdoutDrained: async () => {
        drains += 1;
        await new Promise((resolve) => setImmediate(resolve));
        queued = false;
      },
      stderr: () => undefined,
      env: {},
      stderrIsTty: false,
    });
    expect(code).toBe(1);
    expect(writesWhileQueued).toBe(0);
    // 400 counters of about 500 characters each: several pieces of 64 KB, and the closing newline.
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(drains).toBe(written.length - 1);
    const report = JSON.parse(written.join(''));
    expect(report.sequences).toHaveLength(400);
    expect(report.sequences.every((s: { behind: boolean }) => s.behind)).toBe(true);
    expect(report.sequences[0]).toMatchObject({ sequence: 't0', dataMax: '5', nextValueBefore: '2', nextValueAfter: '6' });
  });
});

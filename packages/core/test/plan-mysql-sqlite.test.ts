import type { MysqlCounter, SequenceState } from '../src/dialects/mysql/mysql-introspect';
import { plainRule as plain } from '../src/sequence-decision';
import type { SqliteTable } from '../src/dialects/sqlite/sqlite-introspect';
import { ddlStatements, integerRange, planCounter, setvalStatement, settleSetval } from '../src/dialects/mysql/mysql-plan';
import { parseSequenceDefault, quoteIdent as quoteMysql, textLiteral } from '../src/dialects/mysql/mysql-sql';
import { planCounter as planSqliteCounter, writeStatements } from '../src/dialects/sqlite/sqlite-plan';
import { createTableKeywords, quoteIdent as quoteSqlite } from '../src/dialects/sqlite/sqlite-sql';

const STEP = { increment: 1n, offset: 1n };
const autoIncrement = (name = 'orders', dataType = 'int', unsigned = false): MysqlCounter => ({
  kind: 'auto_increment',
  schema: 'app',
  name,
  uses: [{ schema: 'app', table: name, column: 'id', kind: 'auto_increment', dataType, unsigned }],
});
const sequence = (name = 'seq'): MysqlCounter => ({
  kind: 'sequence',
  schema: 'app',
  name,
  uses: [{ schema: 'app', table: 't', column: 'id', kind: 'default', dataType: 'bigint', unsigned: false }],
});
const sequenceState = (nextNotCached: bigint, cacheSize: bigint, dataMax: bigint | null): SequenceState => ({
  kind: 'sequence', nextNotCached, cacheSize, cycle: false, cycleCount: 0n, dataMax, dataMin: dataMax === null ? null : 1n,
  beyondBound: null, shape: { start: 1n, increment: 1n, minValue: 1n, maxValue: 2n ** 63n - 2n },
});

describe('MySQL/MariaDB planning', () => {
  it.each([
    // name, mode, counter, data max, action, next after, write
    ['AUTO_INCREMENT clear of the data is left alone', 'advance', 11n, 10n, 'unchanged', 11n, null],
    ['AUTO_INCREMENT left high by deletes is left alone in advance mode', 'advance', 1001n, 3n, 'unchanged', 1001n, null],
    ['reset compacts AUTO_INCREMENT to MAX+1 with ALTER TABLE', 'reset', 1001n, 3n, 'reset', 4n, 'alter_auto_increment'],
    ['reset on an empty table goes back to 1', 'reset', 7n, null, 'reset', 1n, 'alter_auto_increment'],
  ] as const)('%s', (_name, mode, counterValue, dataMax, action, after, write) => {
    const step = planCounter(
      autoIncrement(),
      { kind: 'auto_increment', nextValue: counterValue, dataMax, dataMin: dataMax === null ? null : 1n },
      plain(mode),
      STEP,
    );
    expect({ action: step.report.action, after: step.report.nextValueAfter, write: step.write }).toEqual({ action, after, write });
  });

  it.each([
    ['an exact sequence behind the data moves forward with SETVAL', 'advance', sequenceState(1n, 0n, 3n), 'advanced', 4n, 'setval', true],
    ['an unused cached sequence is exact (stored value = START)', 'advance', sequenceState(1n, 1000n, 3n), 'advanced', 4n, 'setval', true],
    [
      'cached, data inside the block: realign tries SETVAL, check does not call it behind',
      'advance', sequenceState(1001n, 1000n, 3n), 'advanced', 4n, 'setval', false,
    ],
    ['cached, data past the whole block: surely behind', 'advance', sequenceState(1001n, 1000n, 2000n), 'advanced', 2001n, 'setval', true],
    ['cached, data below the block: clear', 'advance', sequenceState(3001n, 1000n, 5n), 'unchanged', 2001n, null, false],
    [
      'reset of an exact sequence backwards needs ALTER SEQUENCE RESTART',
      'reset', sequenceState(900n, 0n, 3n), 'reset', 4n, 'restart', false,
    ],
    [
      'reset from a cached position below the target moves forward with SETVAL',
      'reset', sequenceState(1001n, 1000n, 5000n), 'advanced', 5001n, 'setval', true,
    ],
    ['reset from a cached position always pins it with RESTART', 'reset', sequenceState(1001n, 1000n, 3n), 'reset', 4n, 'restart', false],
  ] as const)('%s', (_name, mode, state, action, after, write, behind) => {
    const step = planCounter(sequence(), state, plain(mode), STEP);
    expect({ action: step.report.action, after: step.report.nextValueAfter, write: step.write, behind: step.report.behind })
      .toEqual({ action, after, write, behind });
  });

  it.each([
    ['the move was ignored (the sequence was past 4): unchanged, at 5 or later', '-', null, 'unchanged', false, 5n, 5n],
    ['the probe was ignored and the move answered 4: it already stood at 4, unchanged', null, '4', 'unchanged', false, 4n, 4n],
    ['both applied: it stood behind 4 and moved there', '3', '4', 'advanced', true, 1n, 4n],
  ] as const)("settles SETVAL's answers: %s", (_name, probe, result, action, behind, before, after) => {
    const step = planCounter(sequence(), sequenceState(1001n, 1000n, 3n), plain('advance'), STEP);
    expect(settleSetval(step, probe === '-' ? null : probe, result).report)
      .toMatchObject({ action, behind, nextValueBefore: before, nextValueAfter: after });
  });

  it('writes every SETVAL in one statement and each DDL with quoted names', () => {
    const odd = sequence('we`ird; --');
    const steps = [
      planCounter(sequence(), sequenceState(1n, 0n, 9n), plain('advance'), STEP),
      planCounter(odd, sequenceState(1n, 0n, 4n), plain('advance'), STEP),
      planCounter(autoIncrement('o`k'), { kind: 'auto_increment', nextValue: 50n, dataMax: 2n, dataMin: 1n }, plain('reset'), STEP),
    ];
    // Each move is a probe one step before the target, then the target, in the sequence's round (cycle_count 0).
    expect(setvalStatement(steps)).toBe("SET @seqsync_setval = CONCAT_WS(',', "
      + "IFNULL(SETVAL(`app`.`seq`, 9, 0, 0), '-'), IFNULL(SETVAL(`app`.`seq`, 10, 0, 0), '-'), "
      + "IFNULL(SETVAL(`app`.`we``ird; --`, 4, 0, 0), '-'), IFNULL(SETVAL(`app`.`we``ird; --`, 5, 0, 0), '-'))");
    expect(ddlStatements(steps)).toEqual(['ALTER TABLE `app`.`o``k` AUTO_INCREMENT = 3']);
  });

  it.each([
    ['tinyint', true, 0n, 255n], ['smallint', false, -32768n, 32767n], ['mediumint', true, 0n, 16777215n],
    ['int', true, 0n, 4294967295n], ['bigint', false, -(2n ** 63n), 2n ** 63n - 1n], ['bigint', true, 0n, 2n ** 64n - 1n],
  ] as const)('%s (unsigned: %s) ranges over %d..%d', (type, unsigned, min, max) => {
    expect(integerRange(type, unsigned)).toEqual({ min, max });
  });

  it.each([
    ['nextval(`app`.`seq`)', { schema: 'app', name: 'seq' }],
    ['nextval(`a``b`.`c d`)', { schema: 'a`b', name: 'c d' }],
    ['NEXT VALUE FOR app.seq', { schema: 'app', name: 'seq' }],
    ['nextval(seq)', { schema: null, name: 'seq' }],
    ['nextval(`app`.`seq`) + 1', null],
    ['current_timestamp()', null],
    [null, null],
  ])('reads the sequence a default draws from: %s', (text, expected) => {
    expect(parseSequenceDefault(text)).toEqual(expected);
  });

  it('quotes identifiers with doubled backticks and text as hex, so no sql_mode can change their meaning', () => {
    expect(quoteMysql("we`ird'; DROP TABLE x; --")).toBe("`we``ird'; DROP TABLE x; --`");
    expect(textLiteral("it's")).toBe("CONVERT(X'69742773' USING utf8mb4)");
  });
});

describe('SQLite planning', () => {
  const table = (autoincrement = true, name = 'notes'): SqliteTable => ({ schema: 'main', table: name, column: 'id', autoincrement });

  it.each([
    ['a stale row is raised to MAX', 'advance', 2n, 10n, 'advanced', 11n, 9n + 1n],
    ['a missing row is inserted at MAX', 'advance', null, 7n, 'advanced', 8n, 7n],
    ['a row left high is kept in advance mode', 'advance', 100n, 7n, 'unchanged', 101n, null],
    ['reset compacts a high row to MAX', 'reset', 100n, 7n, 'reset', 8n, 7n],
    ['reset on an empty table stores 0', 'reset', 100n, null, 'reset', 1n, 0n],
  ] as const)('%s', (_name, mode, sequenceValue, dataMax, action, after, stored) => {
    const step = planSqliteCounter(table(), { sequenceValue, dataMax, dataMin: dataMax === null ? null : 1n }, plain(mode));
    expect({
      action: step.report.action,
      after: step.report.nextValueAfter,
      stored: step.newNextValue === null ? null : step.newNextValue - 1n,
    }).toEqual({ action, after, stored });
  });

  it('never plans a write for a rowid table', () => {
    const step = planSqliteCounter(table(false), { sequenceValue: null, dataMax: 41n, dataMin: 1n }, plain('reset'));
    expect(step).toMatchObject({ newNextValue: null, report: { action: 'unchanged', nextValueAfter: 42n, behind: false } });
  });

  it('writes one UPDATE and one INSERT per database, names as literals', () => {
    const steps = [
      planSqliteCounter(table(true, "it's"), { sequenceValue: 1n, dataMax: 5n, dataMin: 1n }, plain('advance')),
      planSqliteCounter(table(true, 'b'), { sequenceValue: 1n, dataMax: 9n, dataMin: 1n }, plain('advance')),
      planSqliteCounter(table(true, 'c'), { sequenceValue: null, dataMax: 3n, dataMin: 1n }, plain('advance')),
    ];
    expect(writeStatements(steps)).toEqual([
      `UPDATE "main".sqlite_sequence SET seq = CASE name WHEN 'it''s' THEN 5 WHEN 'b' THEN 9 END WHERE name IN ('it''s', 'b')`,
      `INSERT INTO "main".sqlite_sequence (name, seq) VALUES ('c', 3)`,
    ]);
  });

  it.each([
    ['CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)', { autoincrement: true, withoutRowid: false }],
    ['CREATE TABLE t (id integer primary key autoincrement, x)', { autoincrement: true, withoutRowid: false }],
    ['CREATE TABLE t (id INTEGER PRIMARY KEY, "autoincrement" TEXT) -- AUTOINCREMENT', { autoincrement: false, withoutRowid: false }],
    [
      "CREATE TABLE t (id INTEGER PRIMARY KEY, note DEFAULT 'AUTOINCREMENT' /* AUTOINCREMENT */)",
      { autoincrement: false, withoutRowid: false },
    ],
    ['CREATE TABLE t (id INTEGER PRIMARY KEY) WITHOUT ROWID', { autoincrement: false, withoutRowid: true }],
  ])('reads the key keywords of %s', (sql, expected) => {
    expect(createTableKeywords(sql)).toEqual(expected);
  });

  it('quotes identifiers with doubled double quotes', () => {
    expect(quoteSqlite('we"ird')).toBe('"we""ird"');
  });
});

import { check, realign, SeqsyncError } from '../src';
import type { TestDatabase } from '../../../test-support/test-database';
import { createTestDatabase } from '../../../test-support/test-database';

/**
 * Report.statements keeps every statement of a dry run (its preview) and the first 1,000 of any other run, counting
 * the rest in statementsOmitted; `statementLimit` sets the bound.
 */
describe('statements in the report: every one in a dry run, the first 1,000 otherwise', () => {
  let db: TestDatabase;
  const reset = () => db.sql(`SELECT pg_catalog.count(pg_catalog.setval(c.oid::regclass, 1, false)) FROM pg_catalog.pg_class c
    WHERE c.relkind = 'S'`);
  beforeAll(async () => {
    db = await createTestDatabase('statement_limit');
    // 600 tables behind their data: realign restates each moving sequence in two statements, 1,200 and more in all.
    await db.sql(`DO $$ BEGIN FOR i IN 1..600 LOOP
      EXECUTE pg_catalog.format('CREATE TABLE t%s (id serial PRIMARY KEY); INSERT INTO t%s VALUES (5)', i, i);
    END LOOP; END $$`);
  });
  afterAll(() => db.drop());

  it('a dry run lists all; check and realign the first 1,000 of the same statements and count the rest', async () => {
    const dry = await realign(db.url, { dryRun: true });
    const checked = await check(db.url);
    const real = await realign(db.url);
    expect(dry.statements.length).toBeGreaterThan(1_200);
    expect({ dryOmitted: 'statementsOmitted' in dry, checked: checked.statements, checkOmitted: checked.statementsOmitted })
      .toEqual({ dryOmitted: false, checked: dry.statements.slice(0, 1_000), checkOmitted: dry.statements.length - 1_000 });
    expect({ real: real.statements, omitted: real.statementsOmitted })
      .toEqual({ real: dry.statements.slice(0, 1_000), omitted: dry.statements.length - 1_000 });
    expect(real.sequences.filter((s) => s.action === 'advanced')).toHaveLength(600);
  });

  it('statementLimit bounds a dry run too, and Infinity keeps every statement of a real run', async () => {
    await reset();
    const dry = await realign(db.url, { dryRun: true, statementLimit: 5 });
    const all = await realign(db.url, { statementLimit: Infinity });
    expect({ dry: dry.statements, omitted: dry.statementsOmitted })
      .toEqual({ dry: all.statements.slice(0, 5), omitted: all.statements.length - 5 });
    expect('statementsOmitted' in all).toBe(false);
    await reset();
    const none = await realign(db.url, { statementLimit: 0 });
    expect({ statements: none.statements, omitted: none.statementsOmitted }).toEqual({ statements: [], omitted: all.statements.length });
  });

  it.each([-1, 1.5, Number.NaN])('statementLimit %p is refused with INVALID_OPTION', async (statementLimit) => {
    const failure = await check(db.url, { statementLimit }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SeqsyncError);
    expect((failure as SeqsyncError).code).toBe('INVALID_OPTION');
  });
});

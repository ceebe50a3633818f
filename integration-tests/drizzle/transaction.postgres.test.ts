import { checkSequences, realignSequences } from '@seqsync/drizzle';
import { nextValue, PG_DRIVERS, schema, type PgDriver, type PgHarness } from './support/pg-drivers';

const { userAccounts, users } = schema;
const TRANSACTION_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\b/i;

describe.each<PgDriver>(PG_DRIVERS)('realignSequences(tx) inside db.transaction through $name', (driver) => {
  let harness: PgHarness;

  beforeAll(async () => {
    harness = await driver.open('drizzle_tx');
  });
  beforeEach(() => harness.recreate());
  afterAll(() => harness.close());

  it('joins the transaction: sees its uncommitted rows, sends no BEGIN or COMMIT, and commits with it', async () => {
    const inside = await harness.db.transaction(async (tx) => {
      await tx.insert(users).values([{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }, { id: 3, name: 'Barbara' }]);
      const report = await realignSequences(tx, { tables: [users] });
      const [user] = await tx.insert(users).values({ name: 'Linus' }).returning();
      return { report, id: user.id };
    });

    expect(inside.report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter])).toEqual([['users_id_seq', 'advanced', 4n]]);
    expect(inside.report.statements.filter((s) => TRANSACTION_CONTROL.test(s))).toEqual([]);
    expect(inside.id).toBe(4);
    const [after] = await harness.db.insert(users).values({ name: 'Margaret' }).returning();
    expect(after.id).toBe(5);
  });

  it('rolled back with the transaction: the rows and the sequence\'s move are both undone', async () => {
    await expect(harness.db.transaction(async (tx) => {
      await tx.insert(userAccounts).values([{ accountId: 1 }, { accountId: 2 }]);
      const report = await realignSequences(tx, { tables: [userAccounts] });
      expect(report.sequences[0]).toMatchObject({ action: 'advanced', nextValueAfter: 3n });
      tx.rollback();
    })).rejects.toThrow('Rollback');

    expect(await nextValue(harness, '"public"."UserAccount_account_id_seq"')).toBe(1n);
    expect(await harness.sql('SELECT count(*)::int AS n FROM "UserAccount"')).toEqual([{ n: 0 }]);
  });

  it('in a savepoint (tx.transaction) too, and checkSequences(tx) reads the same uncommitted rows', async () => {
    await harness.db.transaction(async (tx) => {
      await tx.insert(users).values([{ id: 1 }, { id: 9 }]);
      const check = await checkSequences(tx, { tables: [users] });
      expect(check.sequences[0]).toMatchObject({ behind: true, dataMax: 9n, action: 'would_advance', nextValueAfter: 10n });
      await tx.transaction((savepoint) => realignSequences(savepoint, { tables: [users] }));
    });

    const [user] = await harness.db.insert(users).values({ name: 'Linus' }).returning();
    expect(user.id).toBe(10);
  });
});

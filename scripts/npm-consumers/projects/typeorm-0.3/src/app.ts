// A TypeORM 0.3 app end to end on real PostgreSQL: explicit-id seeds put both sequences behind; checkSequences names
// exactly those; realignSequences moves them and the next ordinary save() gets exactly the next id. Then the same
// through an EntityManager inside a transaction, the subscriber and the migration step — the paths that read the
// DataSource from a QueryRunner, an EntityManager or an event, which TypeORM 0.3 calls `connection`, not `dataSource`.
import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { DataSource, QueryFailedError } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import {
  checkSequences, isSeqsyncError, realignSequences, realignSequencesMigration, realignSequencesSubscriber,
} from '@seqsync/typeorm';
import { healOnDuplicateKey, healAttemptOf } from '@seqsync/typeorm';
import type { SequencesReport } from '@seqsync/typeorm';
import { Invoice, User } from './entities.js';

const options: DataSourceOptions = { type: 'postgres', url: process.env.SEQSYNC_PG_URL, entities: [User, Invoice] };

/** Each sequence's name, action and next value, in report order. */
const moves = (report: SequencesReport) => report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]);

async function open(extra: Partial<DataSourceOptions> = {}): Promise<DataSource> {
  return new DataSource({ ...options, ...extra } as DataSourceOptions).initialize();
}

async function api(): Promise<void> {
  const dataSource = await open({ synchronize: true });
  try {
    await dataSource.createQueryBuilder().insert().into(User, ['id', 'name'])
      .values([{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }, { id: 3, name: 'edsger' }]).execute();
    await dataSource.getRepository(Invoice).insert([{ id: '5', total: 10 }, { id: '7', total: 20 }]);

    const before = await checkSequences(dataSource);
    assert.deepEqual(before.sequences.filter((s) => s.behind).map((s) => [s.sequence, s.nextValueBefore, s.nextValueAfter]),
      [['User_id_seq', 1n, 4n], ['invoice_id_seq', 1n, 8n]]);
    assert.deepEqual(before.entityTables.map((t) => `${t.schema}.${t.table}`), ['public.User', 'public.invoice']);
    assert.deepEqual(before.skipped, []);

    // JSON.stringify(report) writes BigInts as strings, as `seqsync --json` prints them.
    assert.deepEqual(JSON.parse(JSON.stringify(before)).sequences.map((s: { nextValueAfter: string }) => s.nextValueAfter), ['4', '8']);
    assert.deepEqual(moves(await realignSequences(dataSource)), [['User_id_seq', 'advanced', 4n], ['invoice_id_seq', 'advanced', 8n]]);
    assert.deepEqual((await checkSequences(dataSource)).sequences.filter((s) => s.behind), []);
    assert.equal((await dataSource.getRepository(User).save({ name: 'barbara' })).id, 4);
    assert.equal((await dataSource.getRepository(Invoice).save({ total: 30 })).id, '8');

    const next = await dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(User, ['id', 'name']).values({ id: 50, name: 'fifty' }).execute();
      const report = await realignSequences(manager, { entities: [User] });
      assert.deepEqual(moves(report), [['User_id_seq', 'advanced', 51n]]);
      return (await manager.getRepository(User).save({ name: 'in the transaction' })).id;
    });
    assert.equal(next, 51);

    const refused = await checkSequences(new DataSource(options)).catch((error: unknown) => error);
    assert.ok(isSeqsyncError(refused) && refused.code === 'INVALID_OPTION', `an uninitialized DataSource: ${String(refused)}`);
    console.log('checkSequences → realignSequences (DataSource, EntityManager in a transaction): next ids 4, 8, 51');
  } finally {
    await dataSource.destroy();
  }
}

async function subscriber(): Promise<void> {
  const reports: SequencesReport[] = [];
  const dataSource = await open({ subscribers: [realignSequencesSubscriber({ onReport: (report) => reports.push(report) })] });
  try {
    await dataSource.transaction((manager) =>
      manager.createQueryBuilder().insert().into(User, ['id', 'name']).values({ id: 100, name: 'hundred' }).execute());
    // Outside a transaction: realigned once the statement is done.
    await dataSource.createQueryBuilder().insert().into(Invoice).values({ id: '200', total: 1 }).execute();
    // save() drops an explicit id of an increment key, so the sequence hands one out: nothing to realign.
    assert.equal((await dataSource.getRepository(User).save({ id: 7, name: 'dropped id' })).id, 101);

    assert.deepEqual(reports.map(moves), [[['User_id_seq', 'advanced', 101n]], [['invoice_id_seq', 'advanced', 201n]]]);
    assert.equal((await dataSource.getRepository(Invoice).save({ total: 2 })).id, '201');
    console.log('RealignSequencesSubscriber: realigned after the commit and after the statement; next ids 101, 201');
  } finally {
    await dataSource.destroy();
  }
}

async function migration(): Promise<void> {
  const reports: SequencesReport[] = [];
  const step = realignSequencesMigration({ timestamp: 1700000000002, onReport: (report) => void reports.push(report) });
  const dataSource = await open({ migrations: [step] });
  try {
    await dataSource.query('INSERT INTO "User" (id, name) VALUES (300, \'restored\')');
    const ran = await dataSource.runMigrations();

    assert.deepEqual(ran.map((m) => m.name), ['RealignSequences1700000000002']);
    assert.deepEqual(reports.map(moves), [[['User_id_seq', 'advanced', 301n], ['invoice_id_seq', 'unchanged', 202n]]]);
    assert.equal((await dataSource.getRepository(User).save({ name: 'after the migration' })).id, 301);
    console.log('realignSequencesMigration: ran once in the migration transaction; next id 301');
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The README's self-heal lines verbatim: "User" emptied and refilled with explicit ids 1..3 leaves its sequence
 * behind; a plain DataSource's save() fails with the duplicate key first, and the same save() through
 * healOnDuplicateKey succeeds on its first call with exactly id 4, onHeal told once.
 */
async function heal(): Promise<void> {
  const plain = await open();
  try {
    await plain.query('TRUNCATE "User" RESTART IDENTITY');
    await plain.createQueryBuilder().insert().into(User, ['id', 'name'])
      .values([{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }, { id: 3, name: 'edsger' }]).execute();
    const refused: unknown = await plain.getRepository(User).save({ name: 'Ada' }).then(() => null, (error: unknown) => error);
    assert.ok(refused instanceof QueryFailedError, `without the wrapper save() should fail on the behind sequence: ${String(refused)}`);
    const { code, constraint } = refused.driverError as { code?: string; constraint?: string };
    // synchronize named the key as TypeORM does, PK_<hash>: the catalog, not the name, tells seqsync it is the key.
    assert.ok(code === '23505' && /^PK_/.test(constraint ?? ''), `a duplicate key on the primary key: ${code} ${constraint}`);
    assert.equal(healAttemptOf(refused), undefined);
  } finally {
    await plain.destroy();
  }

  const heals: { table: string; operation: string; model?: string; sequences: readonly { sequence: string; action: string }[] }[] = [];
  const log = { warn: (entry: (typeof heals)[number]) => void heals.push(entry) };
  const dataSource = healOnDuplicateKey(await new DataSource(options).initialize(), {
    onHeal: (report, { table, operation, model }) => log.warn({ table, operation, model, sequences: report.sequences }),
  });
  try {
    const saved = await dataSource.getRepository(User).save({ name: 'Ada' }); // user_id_seq behind? realigned, the save run again
    assert.equal(saved.id, 4);
    assert.deepEqual(heals.map((h) => [h.table, h.operation, h.model, h.sequences.map((s) => [s.sequence, s.action])]),
      [['public.User', 'save', 'User', [['User_id_seq', 'advanced']]]]);
    assert.equal((await dataSource.getRepository(User).save({ name: 'Grace' })).id, 5);
    assert.equal(heals.length, 1, 'a second save needs no heal');
    console.log('healOnDuplicateKey: a plain DataSource failed on the key; through the wrapper the first save() got id 4, onHeal once');
  } finally {
    await dataSource.destroy();
  }
}

api().then(subscriber).then(migration).then(heal).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

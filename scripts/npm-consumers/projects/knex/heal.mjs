// The README's self-heal lines verbatim, as an ECMAScript module (its `import knexFactory from 'knex'`): a table whose
// rows went in with explicit ids 1..3 leaves users_id_seq behind; a plain knex fails on users_pkey first, and the same
// insert through healOnDuplicateKey succeeds on its first call with exactly id 4, onHeal told once.
import { strict as assert } from 'node:assert';
import knexFactory from 'knex';
import { healOnDuplicateKey, healAttemptOf } from '@seqsync/knex';

const config = { client: 'pg', connection: process.env.SEQSYNC_PG_URL };
const heals = [];
const log = { warn: (entry) => void heals.push(entry) };

const plain = knexFactory(config);
try {
  await plain.schema.createTable('users', (table) => {
    table.increments('id');
    table.text('name').notNullable();
  });
  await plain('users').insert([{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }, { id: 3, name: 'edsger' }]);
  const refused = await plain('users').insert({ name: 'Ada' }).returning('id').then(() => null, (error) => error);
  assert.ok(refused !== null, 'without the wrapper the insert should fail on the behind sequence');
  assert.deepEqual([refused.code, refused.constraint], ['23505', 'users_pkey']);
  assert.equal(healAttemptOf(refused), undefined);
} finally {
  await plain.destroy();
}

const knex = healOnDuplicateKey(knexFactory(config), {
  onHeal: (report, { table, operation }) => log.warn({ table, operation, sequences: report.sequences }),
});
try {
  const inserted = await knex('users').insert({ name: 'Ada' }).returning('id'); // users_id_seq behind? realigned, the insert run again
  assert.deepEqual(inserted, [{ id: 4 }]);
  assert.deepEqual(heals.map(({ table, operation, sequences }) => [table, operation, sequences.map((s) => [s.sequence, s.action])]),
    [['public.users', 'insert into users', [['users_id_seq', 'advanced']]]]);
  assert.deepEqual(await knex('users').insert({ name: 'Grace' }).returning('id'), [{ id: 5 }]);
  assert.equal(heals.length, 1, 'a second insert needs no heal');
  console.log('healOnDuplicateKey: plain knex failed on users_pkey; through the wrapper the first insert got id 4, onHeal once');
} finally {
  await knex.destroy();
}

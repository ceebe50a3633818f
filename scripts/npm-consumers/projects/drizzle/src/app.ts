// A Drizzle app on real PostgreSQL, as the @seqsync/drizzle README has it: a db made with drizzle(url, { schema }),
// typed use of the API (a type error fails `tsc`), the shared check → realign → check, a realign inside
// db.transaction, and realignAfterSeed around drizzle-seed's seed().
import { strict as assert } from 'node:assert';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigint, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { seed } from 'drizzle-seed';
import { checkSequences, isSeqsyncError, realignAfterSeed, realignSequences } from '@seqsync/drizzle';
import type { SequencesReport } from '@seqsync/drizzle';
import run from '../expect-run.cjs';

const user = pgTable('User', { id: serial().primaryKey(), name: text().notNull() });
const invoice = pgTable('invoice', {
  id: bigint({ mode: 'bigint' }).generatedByDefaultAsIdentity().primaryKey(),
  total: integer().notNull(),
});
const posts = pgTable('posts', { id: serial().primaryKey(), title: text() });
const schema = { user, invoice };

async function main(): Promise<void> {
  const db = drizzle(process.env.SEQSYNC_PG_URL ?? '', { schema });
  try {
    await run.expectCheckRealignCheck({ check: checkSequences, realign: realignSequences, isSeqsyncError }, db);

    const inside: SequencesReport = await db.transaction((tx) => realignSequences(tx, { tables: [user] }));
    assert.deepEqual(inside.sequences.map((s) => [s.sequence, s.action]), [['User_id_seq', 'unchanged']]);
    assert.deepEqual(inside.schemaTables.map((t) => t.table), ['User']);

    await db.execute(sql`CREATE TABLE posts (id serial PRIMARY KEY, title text)`);
    const { report } = await realignAfterSeed(db, (seeded) => seed(seeded, { posts }, { count: 5 }), { schema: { posts } });
    assert.deepEqual(report.sequences.map((s) => [s.sequence, s.action, s.nextValueAfter]), [['posts_id_seq', 'advanced', 6n]]);
    const [post] = await db.insert(posts).values({ title: 'next' }).returning();
    assert.equal(post.id, 6);
    console.log('in a transaction, and around drizzle-seed: as expected');
  } finally {
    await db.$client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

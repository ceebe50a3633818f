// The README's self-heal lines verbatim: a db made with drizzle(pool, { schema }) and wrapped by healOnDuplicateKey.
// Rows with explicit ids 1..3 leave users_id_seq behind; a plain db's insert fails on users_pkey first, and the same
// insert through the wrapper succeeds on its first call with exactly id 4, onHeal told once.
import { strict as assert } from 'node:assert';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { Pool } from 'pg';
import { healOnDuplicateKey } from '@seqsync/drizzle';

const users = pgTable('users', { id: serial().primaryKey(), name: text().notNull() });
const schema = { users };
const heals: unknown[] = [];
const log = { warn: (entry: unknown) => void heals.push(entry) };

/** The driver's error under drizzle's DrizzleQueryError ("Failed query: …"), which keeps it as `cause`. */
function driverErrorOf(error: unknown): { code?: string; constraint?: string } {
  const cause = (error as { cause?: unknown }).cause;
  return (cause ?? error) as { code?: string; constraint?: string };
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.SEQSYNC_PG_URL });
  try {
    const plain = drizzle(pool, { schema });
    await plain.execute(sql`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL)`);
    await plain.insert(users).values([{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }, { id: 3, name: 'edsger' }]);
    const refused: unknown = await plain.insert(users).values({ name: 'Ada' }).returning().then(() => null, (error: unknown) => error);
    assert.ok(refused !== null, 'without the wrapper the insert should fail on the behind sequence');
    const { code, constraint } = driverErrorOf(refused);
    assert.deepEqual([code, constraint], ['23505', 'users_pkey']);

    const db = healOnDuplicateKey(drizzle(pool, { schema }), { onHeal: (report, { table }) => log.warn({ table }) });
    const inserted = await db.insert(users).values({ name: 'Ada' }).returning(); // users_id_seq behind? realigned, the insert run again
    assert.deepEqual(inserted, [{ id: 4, name: 'Ada' }]);
    assert.deepEqual(heals, [{ table: 'public.users' }]);
    assert.deepEqual(await db.insert(users).values({ name: 'Grace' }).returning({ id: users.id }), [{ id: 5 }]);
    assert.equal(heals.length, 1, 'a second insert needs no heal');
    console.log('healOnDuplicateKey: a plain db failed on users_pkey; through the wrapper the first insert got id 4, onHeal once');
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

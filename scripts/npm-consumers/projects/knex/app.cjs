// The knex API over knex's own pool: check, realign, check, with the same assertions as the core projects.
const knex = require('knex');
const { checkSequences, realignSequences, isSeqsyncError } = require('@seqsync/knex');
const run = require('./expect-run.cjs');

async function main() {
  const db = knex({ client: 'pg', connection: process.env.SEQSYNC_PG_URL });
  try {
    await run.expectCheckRealignCheck({ check: checkSequences, realign: realignSequences, isSeqsyncError }, db);
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

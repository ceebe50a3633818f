/**
 * Child process for faults.postgres.test.ts: realign on a caller's pg Pool while its leased backend is
 * terminated. Prints "rejected <code>" and exits 0 when realign fails cleanly; exits 3 when the process
 * would have crashed on an uncaught exception. Uses the built package (packages/core/dist), which
 * `pnpm test` builds first, as the CLI tests do.
 */
const { join } = require('node:path');
const { Client, Pool } = require('pg');
const { realign } = require(join(__dirname, '..', '..', '..', 'dist', 'index.js'));

process.on('uncaughtException', (error) => {
  process.stdout.write(`uncaught: ${error.message}\n`);
  process.exit(3);
});

async function main(url) {
  const admin = new Client({ connectionString: url });
  const blocker = new Client({ connectionString: url });
  admin.on('error', () => undefined);
  blocker.on('error', () => undefined);
  await admin.connect();
  await blocker.connect();
  await blocker.query('BEGIN; INSERT INTO b VALUES (21)');
  const pool = new Pool({ connectionString: url, application_name: 'seqsync-pool-victim', max: 1 });
  pool.on('error', () => undefined);
  const run = realign(pool, { lockTimeoutMs: 60000 }).then(
    () => 'resolved',
    (error) => `rejected ${error.code}`,
  );
  for (let i = 0; i < 500; i += 1) {
    const { rows } = await admin.query(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'seqsync-pool-victim' AND wait_event_type = 'Lock'`);
    if (rows.length > 0) {
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const outcome = await run;
  // Give a late 'error' event the chance to surface before declaring success.
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.stdout.write(`${outcome}\n`);
  await blocker.query('ROLLBACK');
  await Promise.all([pool.end(), admin.end(), blocker.end()]);
}

main(process.argv[2]).catch((error) => {
  process.stdout.write(`error: ${error.message}\n`);
  process.exit(4);
});

// Runs the project's own Prisma 6 CLI (`node prisma-offline.cjs generate`) the way `npx prisma generate` would, with
// two settings for a machine that cannot reach binaries.prisma.sh — test infrastructure, not something users need:
//  - PRISMA_SCHEMA_ENGINE_BINARY: the CLI fetches the schema engine before every command, generate included, though
//    generate never runs it; a stub that fails loudly if it ever is run satisfies that check.
//  - DATABASE_URL: the CLI learns the client's engineType from the schema only when the schema's env("DATABASE_URL")
//    resolves; unset, it falls back to the library engine and downloads that (libquery_engine) instead.
const { spawnSync } = require('node:child_process');
const { chmodSync } = require('node:fs');
const { join } = require('node:path');

const url = process.env.SEQSYNC_PG_URL;
if (!url) throw new Error('SEQSYNC_PG_URL is not set: run through scripts/npm-consumers.mjs');
const stub = join(__dirname, 'schema-engine-offline.sh');
// A copy may lose the executable bit; Prisma runs the stub as a program.
chmodSync(stub, 0o755);
// `npm test` has put node_modules/.bin on PATH, where Prisma also finds the `seqsync-prisma` generator.
const result = spawnSync('prisma', process.argv.slice(2), {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA_ENGINE_BINARY: stub, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);

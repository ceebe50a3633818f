import { defineConfig, env } from 'prisma/config';

/**
 * Seed hook, way 2: the seed script stays as it is; seqsync-prisma runs it, then realigns through a
 * mysql:// DATABASE_URL. Prisma runs the seed command without a shell, so the command goes after `--`.
 */
export default defineConfig({
  schema: 'schema.prisma',
  migrations: {
    path: 'migrations',
    seed: 'seqsync-prisma realign --metadata generated/seqsync -- tsx seed-plain.ts',
  },
  datasource: { url: env('DATABASE_URL') },
});

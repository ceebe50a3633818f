import { defineConfig, env } from 'prisma/config';

/** The problem as users meet it: a seed with explicit ids and nothing to realign afterwards. */
export default defineConfig({
  schema: 'schema.prisma',
  migrations: {
    path: 'migrations',
    seed: 'tsx seed-plain.ts',
  },
  datasource: { url: env('DATABASE_URL') },
});

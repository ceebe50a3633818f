import { defineConfig, env } from 'prisma/config';

/** Seed hook, way 1: seed.ts wraps its inserts in realignAfterSeed(). */
export default defineConfig({
  schema: 'schema.prisma',
  migrations: {
    path: 'migrations',
    seed: 'tsx seed.ts',
  },
  datasource: { url: env('DATABASE_URL') },
});

// @ts-nocheck -- ./generated exists only in the copies the tests generate (see ../support/prisma-project.ts).
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { realignAfterSeed } from '@seqsync/prisma';
import { PrismaClient } from './generated/client/client';
import { seqsyncMetadata } from './generated/seqsync/index.js';
import { seedExplicitIds } from './seed-data';

const prisma = new PrismaClient({ adapter: new PrismaMariaDb(process.env.DATABASE_URL) });

// Runs the seed, then realigns the models' counters, prints a summary and disconnects.
realignAfterSeed(prisma, seedExplicitIds, { metadata: seqsyncMetadata }).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// @ts-nocheck -- ./generated exists only in the copies the tests generate (see ../support/prisma-project.ts).
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from './generated/client/client';
import { seedExplicitIds } from './seed-data';

const prisma = new PrismaClient({ adapter: new PrismaMariaDb(process.env.DATABASE_URL) });

seedExplicitIds(prisma)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => prisma.$disconnect());

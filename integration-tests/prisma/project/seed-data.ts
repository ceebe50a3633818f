// @ts-nocheck -- ./generated exists only in the copies the tests generate (see ../support/prisma-project.ts).
import type { PrismaClient } from './generated/client/client';

/** Rows with explicit ids, the way fixtures, dumps and imports bring them in. */
export async function seedExplicitIds(prisma: PrismaClient): Promise<void> {
  await prisma.user.createMany({
    data: [{ id: 1, email: 'ada@example.com' }, { id: 2, email: 'grace@example.com' }, { id: 3, email: 'edsger@example.com' }],
  });
  await prisma.blogPost.createMany({
    data: [{ postId: 1, title: 'Notes on the engine', authorId: 1 }, { postId: 2, title: 'Goto considered harmful', authorId: 3 }],
  });
  await prisma.invoice.createMany({ data: [{ id: 500, number: 'INV-500' }] });
  await prisma.auditEvent.create({ data: { id: 9007199254740993n, kind: 'import' } });
  await prisma.membership.createMany({ data: [{ userId: 1, groupId: 1 }] });
  await prisma.tag.createMany({ data: [{ slug: 'databases' }] });
  await prisma.document.create({ data: { id: '0b8e7d1c-4f1a-4c2e-9d3b-5a6f7e8d9c0b', title: 'Charter' } });
}

// @ts-nocheck -- ./generated exists only in the copies the tests generate (see ../support/prisma-project.ts).
import type { PrismaClient } from './generated/client/client';

/**
 * Rows with explicit ids, the way fixtures, dumps and imports bring them in. AUTO_INCREMENT follows
 * explicit ids on its own; the `tickets` SEQUENCE does not, so the next ticket would get id 1.
 */
export async function seedExplicitIds(prisma: PrismaClient): Promise<void> {
  await prisma.user.createMany({
    data: [{ id: 1, email: 'ada@example.com' }, { id: 2, email: 'grace@example.com' }, { id: 3, email: 'edsger@example.com' }],
  });
  await prisma.blogPost.createMany({
    data: [{ postId: 1, title: 'Notes on the engine', authorId: 1 }, { postId: 2, title: 'Goto considered harmful', authorId: 3 }],
  });
  await prisma.auditEvent.create({ data: { id: 9007199254740993n, kind: 'import' } });
  await prisma.ticket.createMany({
    data: [{ id: 1, title: 'Printer on fire' }, { id: 2, title: 'Lost password' }, { id: 3, title: 'Coffee machine' }],
  });
  await prisma.membership.createMany({ data: [{ userId: 1, groupId: 1 }] });
  await prisma.tag.createMany({ data: [{ slug: 'databases' }] });
}

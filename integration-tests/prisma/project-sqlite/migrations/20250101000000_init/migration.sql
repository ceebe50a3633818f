-- What `prisma migrate dev` creates for schema.prisma: produced by Prisma's schema engine (see
-- ../../support/schema-engine-diff.mjs; api.sqlite.test.ts checks it still matches). Note the keys:
-- Int autoincrement() is INTEGER PRIMARY KEY AUTOINCREMENT (a counter in sqlite_sequence), BigInt
-- autoincrement() is BIGINT PRIMARY KEY (not the rowid: no counter). Applied by the tests with better-sqlite3.

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "blog_posts" (
    "post_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "author_id" INTEGER NOT NULL,
    CONSTRAINT "blog_posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "memberships" (
    "user_id" INTEGER NOT NULL,
    "group_id" INTEGER NOT NULL,

    PRIMARY KEY ("user_id", "group_id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "slug" TEXT NOT NULL PRIMARY KEY
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

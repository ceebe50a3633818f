import { execFile } from 'node:child_process';
import { chmod, cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaSchemaMetadata } from '@seqsync/prisma';
import type { TestDatabase } from '../../../test-support/test-database';

const PRISMA_TESTS = resolve(__dirname, '..');
/** The installed binaries, as `npx prisma …` / `pnpm prisma …` put them on PATH for a user. */
const BIN = resolve(PRISMA_TESTS, '..', 'node_modules', '.bin');
const SCHEMA_ENGINE_SHIM = join(PRISMA_TESTS, 'support', 'schema-engine-offline.sh');

/** What the tests use of a model delegate; the generated types exist only after `prisma generate`. */
export interface ModelDelegate {
  create(args: object): Promise<Record<string, unknown>>;
  createMany(args: object): Promise<{ count: number }>;
  createManyAndReturn(args: object): Promise<Record<string, unknown>[]>;
  upsert(args: object): Promise<Record<string, unknown>>;
  update(args: object): Promise<Record<string, unknown>>;
  delete(args: object): Promise<Record<string, unknown>>;
  deleteMany(args?: object): Promise<{ count: number }>;
  findFirstOrThrow(args?: object): Promise<Record<string, unknown>>;
  count(args?: object): Promise<number>;
}

/** A generated Prisma client, typed as far as the tests need (each project has a subset of these models). */
export interface TestPrismaClient {
  readonly user: ModelDelegate;
  readonly blogPost: ModelDelegate;
  readonly invoice: ModelDelegate;
  readonly auditEvent: ModelDelegate;
  readonly membership: ModelDelegate;
  readonly tag: ModelDelegate;
  readonly document: ModelDelegate;
  /** MariaDB project only: a key fed by a SEQUENCE. */
  readonly ticket: ModelDelegate;
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  $transaction<T>(fn: (tx: TestPrismaClient) => Promise<T>, options?: object): Promise<T>;
  $transaction<T>(queries: Promise<T>[]): Promise<T[]>;
  $extends(extension: unknown): TestPrismaClient;
  $on(event: 'query', listener: (event: { query: string }) => void): void;
  $disconnect(): Promise<void>;
}

export interface PrismaProject {
  /** The copy this suite generated into (gitignored, removed by `remove()`). */
  readonly dir: string;
  /** Runs the real Prisma CLI in the project, as `npx prisma …` would. */
  prisma(args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Runs another installed binary (`seqsync-prisma`) in the project. */
  bin(name: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  /** A new client of the generated PrismaClient on this suite's database, through the project's driver adapter. */
  newClient(options?: { logQueries?: boolean }): TestPrismaClient;
  /** The generated PrismaClient class itself. */
  PrismaClient(): new (options: object) => TestPrismaClient;
  /** The metadata `generator seqsync` wrote. */
  metadata(): PrismaSchemaMetadata;
  remove(): Promise<void>;
}

export interface ProjectOptions {
  /** The committed project folder to copy: `project` (PostgreSQL, the default), `project-mysql`, `project-sqlite`. */
  readonly template?: string;
  /** Replaces schema.prisma, for a project on another provider. */
  readonly schema?: string;
  /** The driver adapter `newClient` builds for the database URL; default @prisma/adapter-pg. */
  readonly adapter?: (url: string) => object;
}

/**
 * Copies a committed Prisma project into a gitignored folder of its own (suites run in parallel), and
 * runs the real `prisma generate` there — the Prisma client and seqsync's generator both write into it.
 */
export async function preparePrismaProject(
  label: string,
  database: { url: string } | null,
  options: ProjectOptions = {},
): Promise<PrismaProject> {
  const template = join(PRISMA_TESTS, options.template ?? 'project');
  const adapter = options.adapter ?? ((url: string) => new PrismaPg({ connectionString: url }));
  const dir = join(PRISMA_TESTS, 'generated', `${label}-${randomBytes(4).toString('hex')}`);
  await cp(template, dir, { recursive: true, filter: (source) => !source.startsWith(join(template, 'generated')) });
  if (options.schema !== undefined) await writeFile(join(dir, 'schema.prisma'), options.schema);
  // git may not keep the executable bit everywhere; Prisma needs it on the shim.
  await chmod(SCHEMA_ENGINE_SHIM, 0o755);
  const env = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE_SHIM,
    // Offline: no update check, no telemetry round trip to wait for.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    DATABASE_URL: database?.url ?? 'postgres://unused@127.0.0.1:1/unused',
  };
  const run = (file: string, args: readonly string[]) => new Promise<{ stdout: string; stderr: string; code: number }>((done) => {
    execFile(file, [...args], { cwd: dir, env, timeout: 90_000 }, (error, stdout, stderr) => {
      done({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 });
    });
  });
  const prisma = async (args: readonly string[]) => {
    const result = await run(join(BIN, 'prisma'), args);
    if (result.code !== 0) throw new Error(`prisma ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  await prisma(['generate']);
  const clientClass = () => (require(join(dir, 'generated', 'client', 'client.ts')) as {
    PrismaClient: new (options: object) => TestPrismaClient;
  }).PrismaClient;
  return {
    dir,
    prisma,
    bin: (name, args) => run(join(BIN, name), args),
    PrismaClient: clientClass,
    newClient: (options = {}) => {
      if (database === null) throw new Error('this project has no database');
      const PrismaClient = clientClass();
      return new PrismaClient({
        adapter: adapter(database.url),
        ...(options.logQueries === true ? { log: [{ emit: 'event', level: 'query' }] } : {}),
      });
    },
    metadata: () => (require(join(dir, 'generated', 'seqsync', 'index.ts')) as { seqsyncMetadata: PrismaSchemaMetadata }).seqsyncMetadata,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The committed migrations of a project template, in the order `prisma migrate deploy` applies them. */
export async function migrationScripts(template = 'project'): Promise<string[]> {
  const folder = join(PRISMA_TESTS, template, 'migrations');
  const entries = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(entries.map((name) => readFile(join(folder, name, 'migration.sql'), 'utf8')));
}

/** Applies the PostgreSQL project's migrations in order, as `prisma migrate deploy` would, through pg. */
export async function applyMigrations(db: TestDatabase): Promise<void> {
  for (const script of await migrationScripts()) await db.sql(script);
}

/** Empties every model table and restarts its sequences at 1, so each test starts from the same state. */
export async function resetTables(db: TestDatabase): Promise<void> {
  await db.sql(`TRUNCATE "public"."User", "public"."blog_posts", "billing"."Invoice", "public"."audit_events",
    "public"."memberships", "public"."Tag", "public"."Document" RESTART IDENTITY`);
}

/**
 * The error Prisma raises on the next insert when a sequence is behind: P2002 on the key's index —
 * `<table>_pkey` with SQLSTATE 23505 on PostgreSQL, `PRIMARY` with error 1062 on MySQL/MariaDB.
 */
export async function expectDuplicateKey(insert: Promise<unknown>, constraint: string, originalCode = '23505'): Promise<void> {
  const error = await insert.then(() => null, (caught: unknown) => caught as {
    code?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; constraint?: { index?: string } } } };
  });
  expect(error).not.toBeNull();
  expect(error!.code).toBe('P2002');
  expect(error!.meta?.driverAdapterError?.cause?.originalCode).toBe(originalCode);
  expect(error!.meta?.driverAdapterError?.cause?.constraint?.index).toBe(constraint);
}

/**
 * One row of the table the CLI's formatRealign / formatCheck prints (and the seed hook and seed step with
 * it): sequence, the columns it feeds, data max, next value before and after, action — columns two spaces apart or more.
 */
export function sequenceRow(sequence: string, feeds: string, dataMax: string, before: string, after: string, action: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${[sequence, feeds, dataMax, before, after, action].map(escape).join(' {2,}')}$`, 'm');
}

/**
 * The parts of a Prisma client seqsync uses. Structural, so any generated client (`prisma-client` or
 * `prisma-client-js`, extended or not) fits without seqsync importing the user's generated code.
 */
export interface PrismaClientLike {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $transaction?: unknown;
}

/** Options of an interactive transaction (`prisma.$transaction(fn, options)`). */
export interface PrismaTransactionOptions {
  readonly maxWait?: number;
  readonly timeout?: number;
}

/** A client that can open an interactive transaction. */
export interface TransactionCapableClient extends PrismaClientLike {
  $transaction<T>(fn: (tx: PrismaClientLike) => Promise<T>, options?: PrismaTransactionOptions): Promise<T>;
}

/**
 * A transaction client (the `tx` inside `$transaction(async (tx) => …)`) has no `$disconnect`: Prisma
 * removes the connection-lifecycle methods from it. That is the sign seqsync is already in a transaction
 * and must neither open another connection nor commit.
 */
export function isTransactionClient(client: PrismaClientLike): boolean {
  return typeof (client as { $disconnect?: unknown }).$disconnect !== 'function';
}

export function canOpenTransaction(client: PrismaClientLike): client is TransactionCapableClient {
  return typeof client.$transaction === 'function' && !isTransactionClient(client);
}

import type { HealCause, Queryable, Report } from '@seqsync/core';
import type { PrismaModelMetadata } from './prisma-metadata';
import type { TransactionInfo } from './transaction-context';
import { SequenceHealer, formatTableName } from '@seqsync/core';
import { toDriverError } from './prisma-connection';
import { modelsCreatedWithoutKeys } from './explicit-keys';

/** What `onHeal` is told: the table realigned, and the model and operation whose create failed. */
export interface PrismaHealCause extends HealCause {
  readonly model: string;
}

/** One model call, as the extension's query hook receives it. */
export interface HealedCall {
  readonly model: string;
  readonly operation: string;
  readonly args: unknown;
  readonly query: (args: unknown) => Promise<unknown>;
  readonly transaction: TransactionInfo | undefined;
}

/**
 * The extension's heal: a call creating rows whose sequence-fed key it leaves to the sequence runs through core's
 * healer, which realigns the table a P2002 on that key names and runs the call once more. The heal reads and writes
 * through the client the extension was given — outside any transaction, as Prisma runs that client's queries.
 *
 * Inside a transaction (interactive or batch) the call is not retried: the failed INSERT aborted the transaction on
 * PostgreSQL, and a retry of this one call could not redo the transaction's other writes. The original error is thrown
 * with `seqsyncHeal`, whose `report` (a check) says whether the sequence is behind and where realign would move it.
 */
export class PrismaHealer {
  private readonly healer: SequenceHealer;

  constructor(
    private readonly byModel: ReadonlyMap<string, PrismaModelMetadata>,
    private readonly database: Queryable,
    onHeal: ((report: Report, cause: PrismaHealCause) => void) | undefined,
  ) {
    this.healer = new SequenceHealer({ onHeal: onHeal && ((report, cause) => onHeal(report, cause as PrismaHealCause)) });
  }

  run({ model, operation, args, query, transaction }: HealedCall): Promise<unknown> {
    const tables = [...modelsCreatedWithoutKeys(this.byModel, model, operation, args)]
      .map((name) => this.byModel.get(name)!)
      .map((meta) => formatTableName({ schema: meta.schema, name: meta.table }));
    if (tables.length === 0) return query(args);
    return this.healer.run(() => query(args), {
      database: this.database, tables, operation, model, retry: transaction === undefined, driverErrorOf: duplicateKeyError,
    });
  }
}

interface AdapterUniqueViolation {
  readonly originalCode?: unknown;
  readonly originalMessage?: unknown;
  readonly constraint?: { readonly index?: unknown };
}
interface PrismaUniqueViolation {
  readonly code?: unknown;
  readonly meta?: { readonly driverAdapterError?: { readonly cause?: AdapterUniqueViolation } };
}

/**
 * PostgreSQL's own message for 23505. Prisma 6's @prisma/adapter-pg (6.19) passes on only the key's fields, not the
 * constraint, so its name is read from here; a server writing messages in another language is simply not healed.
 */
const POSTGRES_UNIQUE_MESSAGE = /^duplicate key value violates unique constraint "(.+)"$/;

/**
 * A P2002 as the driver reported it: the server's code and message (core's driverError, as for raw queries), and the
 * constraint the driver adapter names — `User_pkey` from @prisma/adapter-pg 7 (Prisma 6's adapter leaves it to the
 * message), `PRIMARY` from the MariaDB adapter's message. Any other error is left as it is, and is no duplicate key to core.
 */
function duplicateKeyError(error: unknown): unknown {
  const prismaError = (error ?? {}) as PrismaUniqueViolation;
  if (prismaError.code !== 'P2002') return error;
  const driverError = toDriverError(error);
  const cause = prismaError.meta?.driverAdapterError?.cause;
  const named = cause?.originalCode === '23505' && typeof cause.originalMessage === 'string'
    ? POSTGRES_UNIQUE_MESSAGE.exec(cause.originalMessage)?.[1] : undefined;
  const index = cause?.constraint?.index ?? named;
  return typeof index === 'string' && driverError !== error ? Object.assign(driverError as object, { constraint: index }) : driverError;
}

import type { CutoverSummary, Mode, Queryable, Report, SequenceReport } from './types';
import type { QualifiedName } from './table-names';
import type { SeqsyncError } from './errors';
import type { DialectName } from './dialects';
import type { CutoverRule, DecisionRule } from './sequence-decision';
import type { CounterOutline, SourceRead } from './cutover-match';

/** A connection seqsync opened or adapted, and how to let go of it. */
export interface OpenDatabase {
  readonly queryable: Queryable;
  /** Closes what seqsync opened itself; a no-op for connections the caller owns. */
  close(): Promise<void>;
  /**
   * Asks the server, on a channel of its own, to cancel the statement running on this connection (PostgreSQL's
   * CancelRequest, MySQL's KILL QUERY from a second connection), so its transaction fails and lets go of its locks.
   * Resolves to null once the server took the request, or to the failure when it could not be reached within
   * `timeoutMs`. Only on connections seqsync opened itself: a caller's connection is never cancelled.
   */
  cancel?(timeoutMs: number): Promise<Error | null>;
  /** Drops the connection at once, without waiting on the server: after a cancel that could not reach it. */
  destroy?(): void;
}

/** Which server, and which database on it; `database` null when a connection's scope is every database of the server. */
export interface DatabaseIdentity {
  readonly server: string;
  readonly database: string | null;
}

/** A run's options after validation, in the shape dialects take. */
export interface RunRequest extends DecisionRule {
  /** What was asked for: `realign` (its dry run too, which reads only) or `check`. */
  readonly command: 'check' | 'realign';
  readonly mode: Mode;
  /** `margin`, and once the source is matched (the runner does, before the first batch) each counter's source position. */
  readonly cutover: CutoverRule | null;
  /**
   * A name in `tables` or `exclude` the database lacks is left out rather than refused: a cutover's source is scoped by
   * the target's names, and a table new on the target is not one the source must have. Only for that read.
   */
  readonly missingTablesAllowed?: boolean;
  /** What a run with `from` read on the source, for the runner to match against the target's catalog; else null. */
  readonly source: SourceRead | null;
  readonly lockTimeoutMs: number;
  readonly batchSize: number | null;
  readonly schemas: readonly string[] | null;
  readonly tables: readonly QualifiedName[] | null;
  readonly exclude: readonly QualifiedName[];
  readonly onProgress?: (done: number, total: number) => void;
  /** See `Options.signal`: the runner looks at it before each batch and each statement it sends. */
  readonly signal?: AbortSignal;
  /** See `Options.statementLimit`; absent: the default for the run (every statement in a dry run). */
  readonly statementLimit?: number;
}

/** The part of a request that decides which tables are in scope: what every catalog read takes. */
export type CatalogScope = Pick<RunRequest, 'schemas' | 'tables' | 'exclude' | 'missingTablesAllowed'>;

/** The part of a Report the runner fills in; the engine adds the rest. */
export type DialectResult = Pick<Report, 'sequences' | 'tablesWithoutSequence' | 'warnings' | 'statements' | 'statementsOmitted'
  | 'batches'> & {
  readonly cutover?: Omit<CutoverSummary, 'sourceRoundTrips'>;
};

/** What every dialect's catalog holds besides its counters. */
export interface DialectCatalog {
  /** Tables named in the request that exist but that no counter feeds. */
  readonly tablesWithoutSequence: readonly string[];
  /** Run-level warnings the catalog alone shows (see {@link Report.warnings}); absent when there are none. */
  readonly warnings?: readonly string[];
}

/** One statement; bound parameters keep it out of multi-statement scripts, which cannot carry them. */
export type Statement = string | { readonly sql: string; readonly params: readonly unknown[] };

/** What planning one counter produced: its report, plus whatever the dialect's writer needs. */
export interface PlannedStep {
  readonly report: SequenceReport;
  /** Warnings about this counter for {@link Report.warnings}; absent when there are none. */
  readonly warnings?: readonly string[];
  /**
   * Where a cutover whose source this is must take the counter to stand, when that is past `report.nextValueBefore`:
   * a MariaDB sequence's values up to its cached block's end may already be handed out.
   */
  readonly handedOutBefore?: bigint;
}

/**
 * One connection inside one transaction, as the runner hands it to a dialect for one batch. Whether the
 * transaction is seqsync's own or a caller's (an ORM's `$transaction`, a migration's) is decided by the
 * runner; the dialect places `begin()` and `commit()` in its scripts, which are empty inside a caller's
 * transaction, and the runner rolls back a failed batch of its own.
 */
export interface BatchConnection {
  readonly queryable: Queryable;
  readonly ownsTransaction: boolean;
  /** True when `send` can carry several statements in one round trip. */
  readonly scripted: boolean;
  /** The statements that open seqsync's transaction; none inside a caller's. */
  begin(): string[];
  /** `COMMIT` for seqsync's transaction; none inside a caller's, whose own commit decides. */
  commit(): string[];
  /**
   * Sends statements in order and returns the rows of the last one: as one script when the connection takes
   * scripts and nothing is bound, else one by one. Each is recorded for the report.
   */
  send<Row extends object = Record<string, unknown>>(statements: readonly Statement[]): Promise<Row[]>;
}

/**
 * What decides the form of a batch's statements: whose transaction it is (BEGIN and COMMIT only in seqsync's own)
 * and whether scripts travel. The runner chooses it from the Queryable alone, so a dry run's batch has the form its
 * real run will have.
 */
export type BatchForm = Pick<BatchConnection, 'ownsTransaction' | 'scripted' | 'begin' | 'commit'>;

/**
 * What one database supplies; everything the same for every database — batches, transactions, rollback,
 * progress, failure reports with the batches already committed — lives once, in runner.ts. The three jobs:
 * `introspect` reads the catalog, `plan` (in the dialect's `*-plan.ts`) is pure, `writeBatch` is the one
 * writer.
 */
export interface Dialect<Catalog extends DialectCatalog = DialectCatalog, Counter = unknown, Step extends PlannedStep = PlannedStep> {
  readonly name: DialectName;
  /** What opens seqsync's own transaction for a batch (`BEGIN`, `BEGIN IMMEDIATE`, …). */
  readonly beginStatements: readonly string[];
  /** Quotes an identifier the way this database reads it back verbatim. */
  quoteIdent(identifier: string): string;
  /** Opens a connection for a URL of this dialect, loading its driver lazily. */
  connect(url: URL): Promise<OpenDatabase>;
  /** Read-only: the counters in scope and what they feed, from the catalog. */
  introspect(db: Queryable, scope: CatalogScope): Promise<Catalog>;
  /** Pure: each counter's name, columns and, where the catalog knows them, increment and range — what a cutover matches. */
  outline(catalog: Catalog): readonly CounterOutline[];
  /**
   * Read-only, one round trip: what tells this database apart from any other (a server's identity and the database
   * within it), so a cutover whose source is its own target is refused.
   */
  identify(db: Queryable): Promise<DatabaseIdentity>;
  /** Fails, before anything is read or written, when a privilege the run needs is missing. */
  assertPrivileges(catalog: Catalog, writing: boolean): void;
  /** The counters in batches, one transaction each; how much one may hold is the database's limit to know. */
  batches(catalog: Catalog, request: RunRequest): readonly (readonly Counter[])[];
  /**
   * The catalog the batches are run with once they are formed: what the per-batch calls below read of it, without
   * the counters, which the batches hold from here on. The runner lets go of each batch once it is done, so at
   * 100,000 tables the tens of megabytes their catalog entries take do not stay for the whole run. Absent: the
   * catalog as it is.
   */
  withoutCounters?(catalog: Catalog): Catalog;
  /** Read-only (check, dry run): one batch's live state, without write locks, planned. */
  inspectBatch(connection: BatchConnection, catalog: Catalog, batch: readonly Counter[], request: RunRequest): Promise<Step[]>;
  /**
   * What a real run's `writeBatch` would send for this batch on a connection of this `form`, for a dry run (and check)
   * to report: exactly the statements the real run lists in `Report.statements`, in order and grouped as it sends
   * them — its opening, its locks, its read under them, its write, its close. What depends on that read, the write, is
   * shown as the dry run's own read predicts it (`steps`); so a batch with nothing to move still lists its opening,
   * locks, read and commit, which a real run sends. Bound values are not shown (a real run's report shows none
   * either). Built by the same builder `writeBatch` executes, so the two cannot drift.
   */
  previewStatements(form: BatchForm, catalog: Catalog, batch: readonly Counter[], steps: readonly Step[], request: RunRequest): string[];
  /** The one writer: locks one batch, reads it again under the locks, plans on that, writes, commits. */
  writeBatch(connection: BatchConnection, catalog: Catalog, batch: readonly Counter[], request: RunRequest): Promise<Step[]>;
  /**
   * A lock timeout in a batch, after its rollback, as an error naming what was waited for. `connection` is null
   * when it cannot be asked (inside a caller's transaction, which the failure aborted).
   */
  explainLockTimeout(
    connection: Queryable | null, batch: readonly Counter[], error: SeqsyncError, request: RunRequest,
  ): Promise<SeqsyncError>;
  /** Turns a driver error into a SeqsyncError naming what failed; `committedBatches` is set while applying. */
  translateError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError;
  /**
   * Pure: the unique constraint one driver error object says an insert violated (PostgreSQL's 23505, MySQL/MariaDB's
   * 1062), or null for any other error. Absent: this database's duplicate keys are never healed (heal.ts).
   */
  duplicateKeyOf?(error: object): DuplicateKey | null;
  /**
   * Read-only: which of `tables` has `constraint` as its primary key, when that key is one column — read from the
   * catalog, never from the names. Null when none has. Present wherever {@link Dialect.duplicateKeyOf} is.
   */
  primaryKeyColumn?(db: Queryable, constraint: string, tables: readonly QualifiedName[]): Promise<KeyColumn | null>;
}

/** A unique constraint a failed insert violated, as the driver's error names it. */
export interface DuplicateKey {
  /** The constraint (PostgreSQL) or key (MySQL/MariaDB: `PRIMARY` for the primary key). */
  readonly constraint: string;
  /** Where the driver says (pg's `schema` / `table`, postgres.js's `schema_name` / `table_name`); else null. */
  readonly schema: string | null;
  readonly table: string | null;
}

/** A table's single-column primary key, in the catalog's own names. */
export interface KeyColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

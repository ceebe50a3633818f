import type { Mode, Queryable, SequenceReport } from './types';
import type { QualifiedName } from './table-names';
import type { SeqsyncError } from './errors';

/** A connection seqsync opened or adapted, and how to let go of it. */
export interface OpenDatabase {
  readonly queryable: Queryable;
  /** Closes what seqsync opened itself; a no-op for connections the caller owns. */
  close(): Promise<void>;
}

/** A run's options after validation, in the shape dialects take. */
export interface RunRequest {
  readonly mode: Mode;
  readonly lockTimeoutMs: number;
  readonly batchSize: number | null;
  readonly schemas: readonly string[] | null;
  readonly tables: readonly QualifiedName[] | null;
  readonly exclude: readonly QualifiedName[];
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DialectResult {
  readonly sequences: readonly SequenceReport[];
  readonly tablesWithoutSequence: readonly string[];
  readonly statements: readonly string[];
  readonly batches: number;
}

/**
 * One database's way of doing the three jobs. `introspect` and `inspect` only read; `apply` is the one
 * writer. The pure planning each of them uses lives in the dialect's `*-plan.ts`.
 */
export interface Dialect<Catalog = unknown> {
  readonly name: string;
  /** Quotes an identifier the way this database reads it back verbatim. */
  quoteIdent(identifier: string): string;
  /** Opens a connection for a URL of this dialect, loading its driver lazily. */
  connect(url: URL): Promise<OpenDatabase>;
  /** Read-only: the counters in scope and what they feed, from the catalog. */
  introspect(db: Queryable, request: RunRequest): Promise<Catalog>;
  /** Read-only: live state and the plan built from it (check, dry run). */
  inspect(db: Queryable, catalog: Catalog, request: RunRequest): Promise<DialectResult>;
  /** Writes the plan, batch by batch, re-planning each batch on state read under its locks. */
  apply(db: Queryable, catalog: Catalog, request: RunRequest): Promise<DialectResult>;
  /** Turns a driver error into a SeqsyncError naming what failed. */
  translateError(error: unknown, context: { phase: 'connect' | 'run'; committedBatches?: number }): SeqsyncError;
}

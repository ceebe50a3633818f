/**
 * The smallest connection seqsync needs. Every driver and ORM is adapted onto it.
 *
 * @example
 * const db: Queryable = { query: async (sql, params) => (await client.query(sql, params)).rows };
 */
export interface Queryable {
  /**
   * Which database this connection talks to: `postgres` (the default), `mysql`, `mariadb`, `sqlite`, or a
   * driver's or ORM's name for one of them (`pg`, `postgresql`, `mysql2`, `better-sqlite3`, …). For MySQL and
   * MariaDB the server decides, whichever of the two is declared.
   */
  readonly dialect?: string;
  /**
   * The server's version string when the connection already knows it (mysql2 keeps MariaDB's greeting,
   * `5.5.5-10.11.19-MariaDB`); otherwise seqsync asks the server once where the answer matters.
   */
  readonly serverVersion?: string;
  /**
   * Runs one statement (or, when {@link Queryable.multiStatement} is true and no params are given, a script) and
   * returns the rows of its last statement.
   * Parameters use the database's own placeholders: `$1`…`$n` for PostgreSQL, `?` for MySQL/MariaDB and SQLite.
   */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * True when `query(script)` without params may carry several `;`-separated statements in one round trip
   * (PostgreSQL's simple query protocol). Lets apply send lock + read, and write + commit, as one trip each.
   */
  readonly multiStatement?: boolean;
  /**
   * True when the driver has the server describe a statement with params before it sends their values (postgres.js):
   * such a statement costs two round trips, and the report's {@link Report.roundTrips} counts both.
   */
  readonly describesParametersFirst?: boolean;
  /**
   * Leases one physical connection for `fn` (a pool checks a client out). Absent: this Queryable already is one connection.
   */
  connection?<T>(fn: (connection: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction owned by the caller's library (an ORM's `$transaction`, a transaction already open).
   * Absent: seqsync issues BEGIN / COMMIT / ROLLBACK itself on one connection.
   */
  transaction?<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** `advance` only ever moves a sequence forward; `reset` moves it to exactly the next value after the data, backwards too. */
export type Mode = 'advance' | 'reset';

/** A table named by the user: `name`, `schema.name`, or with double quotes for names holding dots. */
export type TableName = string;

export interface Options {
  /** Schemas whose tables are in scope. Default: every non-system schema. */
  schemas?: readonly string[];
  /** Only sequences feeding these tables. Names match exactly (no case folding): `User`, `public.User`, `"odd.name"`. */
  tables?: readonly TableName[];
  /** Leave sequences feeding only these tables alone. */
  exclude?: readonly TableName[];
  /** Default `advance`. */
  mode?: Mode;
  /** How long to wait for each batch's table locks before giving up. Default 5000 ms. */
  lockTimeoutMs?: number;
  /** Plan and return the SQL without writing anything. */
  dryRun?: boolean;
  /** Tables per transaction. Default: derived from the server's lock table size. */
  batchSize?: number;
  /** Called with progress as batches finish (the CLI prints it when stderr is a TTY). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops the run when it aborts; the run rejects with a SeqsyncError `INTERRUPTED` that counts the batches already
   * committed. On a connection seqsync opened (a URL), the statement waiting on the server is cancelled there — so
   * its batch rolls back and lets go of its locks now, not at its lock timeout. A connection the caller passed is
   * never cancelled: the run stops before its next statement. A string `signal.reason` (the CLI's `SIGINT`) is named
   * in the message.
   */
  signal?: AbortSignal;
  /**
   * Cutover: another database (a URL or a connection, as the target takes) whose counters the target must not fall
   * behind — the publisher of a logical replication, the MySQL or SQLite database a migration copied from. It is only
   * read (never written, never `nextval`): each target counter is matched to the source counter feeding the same
   * schema, table and column (by table and column when either side has no schemas), and its next value becomes at
   * least the source's next value plus `margin` steps. See the README's "Cutover".
   */
  from?: string | Queryable | object;
  /**
   * How many statements {@link Report.statements} keeps: the first this many sent, the rest only counted
   * ({@link Report.statementsOmitted}). A whole number ≥ 0, or `Infinity` for every one. Default: every statement in a
   * dry run (they are its preview); otherwise the first {@link DEFAULT_STATEMENT_LIMIT} within 1,000,000 characters —
   * a run of 10,000 tables sends more, and its live reads alone are megabytes of text.
   */
  statementLimit?: number;
  /**
   * Steps of each sequence's own increment to leave free: past the source's next value with `from` (for writes the
   * old primary still takes during the cutover), past the data without it. A whole number ≥ 0; default 0.
   */
  margin?: number;
}

/** One column a sequence feeds. */
export interface SequenceUse {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /**
   * How the catalog ties the counter to the column. `auto_increment`: MySQL/MariaDB AUTO_INCREMENT, SQLite
   * AUTOINCREMENT; `rowid`: a SQLite INTEGER PRIMARY KEY without AUTOINCREMENT (reported, never moved).
   */
  readonly kind: 'identity' | 'owned' | 'default' | 'auto_increment' | 'rowid';
}

/**
 * What became of one sequence. `advanced` and `reset` mean it was written, and appear only in a report of `realign`
 * that wrote; a read-only run (`check`, a dry run) says what realign would do with `would_advance` / `would_reset`,
 * so a script reading a report cannot take a plan for a change. `unchanged`: left as it is, nothing to do;
 * `skipped`: left as it is, because it cannot be judged or no value past the data fits its range (see `reason`).
 */
export type Action = 'advanced' | 'reset' | 'would_advance' | 'would_reset' | 'unchanged' | 'skipped';

/** True for an action that moved the sequence (`advanced`, `reset`) or, in a read-only run, would move it. */
export function movesSequence(action: Action): boolean {
  return action === 'advanced' || action === 'reset' || action === 'would_advance' || action === 'would_reset';
}

/** What seqsync found and did for one sequence. Values are BigInt: int8 sequences pass 2^53. */
export interface SequenceReport {
  readonly schema: string;
  readonly sequence: string;
  readonly uses: readonly SequenceUse[];
  /** The sequence's INCREMENT; negative for descending sequences, whose data side is `dataMin`. */
  readonly increment: bigint;
  /**
   * Highest key over every use (ascending sequences) or lowest (descending) that the sequence can reach; the other
   * side is not read and stays null, as it does for empty tables. A key beyond the sequence's MAXVALUE (descending:
   * below its MINVALUE) is one it never hands out, so it cannot collide: it is left out here and named in
   * {@link Report.warnings} instead.
   */
  readonly dataMax: bigint | null;
  readonly dataMin: bigint | null;
  /** The value the next insert gets, before and after this run (a read-only run: after the realign it plans). */
  readonly nextValueBefore: bigint;
  readonly nextValueAfter: bigint;
  /**
   * Whether the next ordinary insert would collide with existing data before this run — or, with `from`, get a value
   * before the one required ({@link CutoverEvidence.requiredNextValue}).
   */
  readonly behind: boolean;
  readonly action: Action;
  readonly reason: string;
  /** Share of the usable range (sequence bounds and column type) consumed, 0–100. */
  readonly exhaustionPercent: number;
  /** True at or above {@link EXHAUSTION_WARNING_PERCENT}. */
  readonly exhaustionWarning: boolean;
  /** Present when the run had `from` or a `margin`: what besides the data the value was decided by. */
  readonly cutover?: CutoverEvidence;
}

/** For one target counter of a run with `from` or `margin`: the evidence its next value was decided on. */
export interface CutoverEvidence {
  /** The source counter matched, `schema.name` as the source reports it; null without `from` or without a match. */
  readonly sourceCounter: string | null;
  /** The value the source would hand out next (further, if the source's own data is past it); null when unmatched. */
  readonly sourceNextValue: bigint | null;
  /** The steps asked for (`margin`). */
  readonly margin: number;
  /**
   * With `from`: the value the next insert must get at least, the source's next value (on this counter's progression) +
   * margin steps; null for a counter no source counter feeds, decided by its own data without the margin. Without
   * `from`: where a counter behind its data goes (the first value past it + margin steps); one clear of its data stays.
   */
  readonly requiredNextValue: bigint | null;
  /**
   * What decided `nextValueAfter`: `source` (its position plus the margin), `data` (the target's own keys, plus the margin
   * without `from`), or `current` (the counter was already there or beyond, and a counter is not moved back unless reset).
   */
  readonly decidedBy: 'source' | 'data' | 'current';
}

/** What a run with `from` found on both sides beyond the counters it matched. */
export interface CutoverSummary {
  /** The source's dialect and location (a URL with its password hidden, or the connection's dialect). */
  readonly source: string;
  /** Source columns fed by a counter, `schema.table.column`, that no target counter in scope feeds. */
  readonly unmatchedSource: readonly string[];
  /** Target columns, `schema.table.column`, whose counter no source counter feeds: decided by the target alone. */
  readonly unmatchedTarget: readonly string[];
  /** Round trips to the source (the target's are {@link Report.roundTrips}). */
  readonly sourceRoundTrips: number;
}

export interface Report {
  readonly dialect: string;
  readonly mode: Mode;
  /** True for `check` and `dryRun`: nothing was written. */
  readonly dryRun: boolean;
  readonly sequences: readonly SequenceReport[];
  /** Tables named in `tables` that exist but have no sequence feeding a column. */
  readonly tablesWithoutSequence: readonly string[];
  /**
   * What seqsync saw but could not act on or vouch for, one sentence each, naming the object: a default it cannot
   * trace to a sequence, a use it does not compare, a write that cannot be rolled back. Empty when there is none.
   */
  readonly warnings: readonly string[];
  /**
   * The statements that ran (or, in a read-only run, would run), in order: every one in a dry run, else the first
   * ones, as {@link Options.statementLimit} says.
   */
  readonly statements: readonly string[];
  /** Present when {@link Options.statementLimit} left statements out: how many were sent (or would be) after the last listed. */
  readonly statementsOmitted?: number;
  /** Round trips to the database for this run. */
  readonly roundTrips: number;
  /** Transactions committed (one per batch). */
  readonly batches: number;
  /** Present when the run had `from`. */
  readonly cutover?: CutoverSummary;
  /**
   * What `JSON.stringify(report)` writes: the report with every BigInt as its decimal string (JSON has no 64-bit
   * integers), exactly as `seqsync --json` prints it. Not enumerable, so spreading, `Object.keys` and deep equality
   * see only the fields above — and a spread copy (`{ ...report, extra }`) has no `toJSON`: wrap it in
   * {@link withJson}.
   */
  toJSON(): ReportJson;
}

/** A value as JSON carries it: BigInt as a decimal string, methods dropped. */
export type JsonOf<T> = T extends bigint ? string
  : T extends readonly (infer Item)[] ? JsonOf<Item>[]
    : T extends object ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: JsonOf<T[K]> }
      : T;

/** What {@link Report.toJSON} returns. */
export type ReportJson = JsonOf<Report>;

/**
 * A copy of `report` (its own enumerable fields) with the non-enumerable `toJSON` of {@link Report.toJSON}, which
 * serialises every field the copy has, extra ones included. For a library that returns core's report with fields
 * of its own: `return withJson({ ...report, skipped })`.
 *
 * @example
 * JSON.parse(JSON.stringify(withJson({ ...report, skipped: [] }))).sequences[0].nextValueBefore; // '9007199254740993'
 */
export function withJson<T extends object>(report: T): T & { toJSON(): JsonOf<T> } {
  return Object.defineProperty({ ...report }, 'toJSON', { value: reportToJson, enumerable: false, writable: true, configurable: true }) as
    T & { toJSON(): JsonOf<T> };
}

function reportToJson(this: object): unknown {
  return jsonValueOf(this);
}

/** Arrays and plain objects are copied with BigInts as strings; anything else is left for JSON.stringify as it is. */
function jsonValueOf(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValueOf);
  if (typeof value !== 'object' || value === null) return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, jsonValueOf(field)]));
}

export const EXHAUSTION_WARNING_PERCENT = 75;

/**
 * What {@link Report.statements} keeps by default outside a dry run: the first 1,000 statements, as long as their
 * text stays within {@link DEFAULT_STATEMENT_TEXT_LIMIT} characters — every statement of a run of a few hundred tables.
 */
export const DEFAULT_STATEMENT_LIMIT = 1_000;

/** See {@link DEFAULT_STATEMENT_LIMIT}: one batch's live read of a thousand tables is some 330,000 characters. */
export const DEFAULT_STATEMENT_TEXT_LIMIT = 1_000_000;

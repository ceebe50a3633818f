import type { Queryable } from '../../types';
import { SeqsyncError } from '../../errors';

/**
 * postgres.js (the `postgres` package, 3.4) as a Queryable: its `sql` pool, a connection `sql.reserve()` handed out,
 * or the `tx` of `sql.begin(async (tx) => …)`. Read against postgres.js 3.4.9's source; what it does that seqsync
 * must undo or avoid is said where it is handled.
 */

/** What a postgres.js `unsafe` query is to seqsync: a promise of its result (one per statement of a script). */
interface PostgresJsQuery extends PromiseLike<unknown> {
  /** Rows as arrays of the bytes the server sent: no type parser, value transform or type fetch stands in. */
  raw(): PromiseLike<unknown>;
}

/** The parts of any postgres.js `sql` (the pool, a reserved connection, a transaction) seqsync uses. */
export interface PostgresJsSqlLike {
  unsafe(query: string, parameters?: never[], options?: { prepare?: boolean; simple?: boolean }): PostgresJsQuery;
}
/** The pool: `postgres(url, options)`. Only it shows its options; a reserved connection or a transaction does not. */
interface PostgresJsPoolLike extends PostgresJsSqlLike {
  reserve(): Promise<PostgresJsSqlLike & { release(): void }>;
  readonly options: { readonly transform?: { readonly column?: { readonly from?: ((name: string) => string) | null } } };
}

/** One result of a statement: raw rows, with the columns' names (as postgres.js renamed them) and type OIDs. */
interface RawResult extends ReadonlyArray<unknown> {
  readonly command: string | null;
  readonly columns?: readonly { readonly name: string; readonly type: number }[] | null;
}

export function isPostgresJs(value: object): value is PostgresJsSqlLike {
  const candidate = value as { unsafe?: unknown; typed?: unknown; array?: unknown; json?: unknown };
  return typeof candidate.unsafe === 'function' && typeof candidate.typed === 'function'
    && typeof candidate.array === 'function' && typeof candidate.json === 'function';
}

function isPool(sql: PostgresJsSqlLike): sql is PostgresJsPoolLike {
  const candidate = sql as Partial<PostgresJsPoolLike>;
  return typeof candidate.reserve === 'function' && typeof candidate.options === 'object';
}

function isTransaction(sql: PostgresJsSqlLike): boolean {
  return typeof (sql as { savepoint?: unknown }).savepoint === 'function';
}

/**
 * - The pool: reads go to any of its connections; a batch's transaction gets one `sql.reserve()` leases (postgres.js
 *   refuses a BEGIN sent to a pool of more than one connection, UNSAFE_TRANSACTION).
 * - A reserved connection is one connection: seqsync begins and commits on it.
 * - A transaction (`tx`, or a savepoint's): `transaction` hands back itself, so seqsync neither begins nor commits, and
 *   sees the transaction's uncommitted rows; postgres.js's COMMIT or ROLLBACK at the end of `sql.begin` decides.
 */
export function fromPostgresJs(sql: PostgresJsSqlLike): Queryable {
  if (isPool(sql)) {
    const rename = sql.options.transform?.column?.from ?? null;
    const names = rename === null ? asSent : byRename(rename);
    return {
      ...connectionQueryable(sql, names, null),
      connection: async <T>(fn: (connection: Queryable) => Promise<T>) => {
        const reserved = await sql.reserve();
        const lost = { error: null as unknown };
        try {
          return await fn(connectionQueryable(reserved, names, lost));
        } finally {
          // postgres.js 3.4.9 puts a released connection back into the pool as open even when its socket closed
          // meanwhile, and the pool's next query on it throws inside a timer (an uncaught TypeError) and never settles.
          // A closed connection is already back among the pool's closed ones, which it reconnects when it needs them.
          if (lost.error === null) reserved.release();
        }
      },
    };
  }
  const self: Queryable = connectionQueryable(sql, hiddenTransform, { error: null });
  if (!isTransaction(sql)) return self;
  const inTransaction: Queryable = { ...self, transaction: (fn) => fn(inTransaction) };
  return inTransaction;
}

/**
 * postgres.js's errors when a connection's socket is gone. Once one came, nothing more is sent on that connection
 * (seqsync would send its ROLLBACK): postgres.js 3.4.9 writes a query for a closed reserved connection to a socket
 * that no longer exists, in a timer, which throws an uncaught TypeError and leaves the query unsettled.
 */
const CLOSED_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'ECONNRESET', 'EPIPE']);

function connectionQueryable(sql: PostgresJsSqlLike, names: ColumnNames, lost: { error: unknown } | null): Queryable {
  return {
    dialect: 'postgres',
    multiStatement: true,
    // postgres.js sends Parse, Describe and Flush for a statement with parameters, and its Bind only once the server
    // has described them (connection.js: describeFirst): two round trips, where node-postgres takes one.
    describesParametersFirst: true,
    query: async <Row extends object>(text: string, params?: readonly unknown[]) => {
      if (lost !== null && lost.error !== null) throw lost.error;
      // Without parameters, the simple protocol: a script is one round trip, as with node-postgres. With them, an
      // unnamed statement (`prepare: false`): core sends each catalog statement once, and named prepared statements
      // would pile up on pooled connections (and break behind PgBouncer in transaction mode); a prepared one would
      // be described first all the same, the first time.
      const query = params !== undefined && params.length > 0
        ? sql.unsafe(text, params.map(textParameter) as never[], { prepare: false, simple: false })
        : sql.unsafe(text, [], { prepare: false, simple: true });
      let answer: unknown;
      try {
        answer = await query.raw();
      } catch (error) {
        if (lost !== null && CLOSED_CODES.has(String((error as { code?: unknown } | null)?.code))) lost.error = error;
        throw error;
      }
      return rowsOf(lastResult(answer as RawResult | RawResult[]), text, names) as Row[];
    },
  };
}

/**
 * Command tags of statements that may return rows. postgres.js starts a new result for a script's statement only when
 * rows are described: a statement without any (COMMIT, SET) leaves its tag on the result before it, whose rows are
 * not its own. node-postgres returns the last statement's rows, so such a tag means none.
 */
const ROW_COMMANDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'FETCH', 'SHOW', 'EXPLAIN', 'CALL']);

function lastResult(answer: RawResult | RawResult[]): RawResult | null {
  // One statement's result carries its `command`; a script's answer is a plain list of them.
  const last = 'command' in answer ? answer as RawResult : (answer as RawResult[])[(answer as RawResult[]).length - 1];
  return last !== undefined && ROW_COMMANDS.has(last.command ?? '') ? last : null;
}

/** How the rows of a result answer the names core's SQL gives its columns, from the names postgres.js reported. */
type ColumnNames = (text: string, names: readonly string[]) => (row: Record<string, unknown>) => Record<string, unknown>;

const asSent: ColumnNames = () => (row) => row;

/**
 * The pool's `transform.column.from` renames every result column as it arrives (postgres.camel, postgres.pascal, …)
 * and keeps no original name; core reads its columns by the names its SQL gives them. So a row answers each name
 * asked for under the name postgres.js turned it into.
 */
function byRename(rename: (name: string) => string): ColumnNames {
  const renamed = (name: string) => {
    try {
      return rename(name);
    } catch {
      return name;
    }
  };
  return () => (row) => new Proxy(row, {
    get: (target, key, receiver) => {
      if (typeof key !== 'string') return Reflect.get(target, key, receiver) as unknown;
      const name = renamed(key);
      return Object.hasOwn(target, name) ? target[name] : Reflect.get(target, key, receiver) as unknown;
    },
    has: (target, key) => key in target || (typeof key === 'string' && Object.hasOwn(target, renamed(key))),
  });
}

/**
 * A reserved connection or a transaction keeps its pool's options out of reach, so a column transform cannot be
 * undone there. A result with a column its statement's text does not name was renamed (postgres.camel turns an
 * unaliased `set_config(…)` into setConfig, postgres.pascal every name): from its rows, a name core reads that is not
 * there is refused, rather than read as an empty answer. Results whose every column the text names stay plain rows.
 */
const hiddenTransform: ColumnNames = (text, names) => {
  if (names.every((name) => namedInText(text, name))) return (row) => row;
  return (row) => new Proxy(row, {
    get: (target, key, receiver) => {
      // What await and JSON.stringify look up on any object.
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') throw renamedColumn(key, names);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
};

/** Whether the statement names a column so: a quoted identifier, or a bare word (which PostgreSQL folds to lower case). */
function namedInText(text: string, name: string): boolean {
  if (name === '?column?' || text.includes(`"${name.replace(/"/g, '""')}"`)) return true;
  return /^[a-z_][a-z0-9_$]*$/.test(name) && new RegExp(`(?<![\\w$"])${name.replace(/\$/g, '\\$')}(?![\\w$"])`, 'i').test(text);
}

function renamedColumn(name: string, names: readonly string[]): SeqsyncError {
  return new SeqsyncError('INVALID_OPTION', `seqsync reads the column ${JSON.stringify(name)}, which postgres.js returned renamed `
    + `(its columns: ${names.map((n) => JSON.stringify(n)).join(', ')}): a transform.column of the postgres() instance renames `
    + 'result columns, and a reserved connection or a transaction does not show seqsync the transform to undo it. Pass seqsync '
    + 'the postgres() instance itself, or one without transform.column (postgres.camel leaves the names seqsync reads as they are)');
}

/** Type OIDs node-postgres parses into numbers by default; int8 and numeric stay strings there, and so here. */
const NUMBER_TYPES = new Set([21, 23, 26, 700, 701]);
const BOOLEAN_TYPE = 16;
const JSON_TYPES = new Set([114, 3802]);
/** Array type → element type, for the arrays node-postgres parses by default; any other array stays its text there. */
const ARRAY_ELEMENTS = new Map([[1000, 16], [1005, 21], [1007, 23], [1028, 26], [1021, 700], [1022, 701], [1016, 20], [1231, 1700],
  [1009, 25], [1015, 1043], [1014, 1042], [1002, 18], [1003, 19], [199, 114], [3807, 3802]]);

/**
 * Rows as node-postgres returns them with its default types, decoded here from the raw text: whatever `types` the
 * caller configured (int8 as a JavaScript number would round values past 2^53), and whether postgres.js has fetched
 * its array types yet, core reads the same values from every driver.
 */
function rowsOf(result: RawResult | null, text: string, names: ColumnNames): object[] {
  if (result === null || result.length === 0) return [];
  const columns = result.columns ?? [];
  const named = names(text, columns.map((column) => column.name));
  return result.map((raw) => {
    if (!Array.isArray(raw) || raw.length !== columns.length) throw rowsTransformed();
    const row: Record<string, unknown> = {};
    columns.forEach((column, index) => { row[column.name] = decode(raw[index], column.type); });
    return named(row);
  });
}

function decode(value: unknown, type: number): unknown {
  if (value === null) return null;
  if (!Buffer.isBuffer(value)) throw rowsTransformed();
  return parse(value.toString('utf8'), type);
}

function parse(text: string, type: number): unknown {
  if (NUMBER_TYPES.has(type)) return Number(text);
  if (type === BOOLEAN_TYPE) return text === 't';
  if (JSON_TYPES.has(type)) return JSON.parse(text) as unknown;
  const element = ARRAY_ELEMENTS.get(type);
  return element === undefined ? text : parseArray(text, (item) => parse(item, element));
}

/** A PostgreSQL array's text form (`{a,"b c",NULL}`, nested for more dimensions), its elements through `element`. */
function parseArray(text: string, element: (item: string) => unknown): unknown[] {
  // Past a dimension decoration (`[0:1]={…}`), which PostgreSQL writes for lower bounds other than 1.
  let at = text.indexOf('{');
  const list = (): unknown[] => {
    const items: unknown[] = [];
    at += 1;
    while (at < text.length && text[at] !== '}') {
      if (text[at] === '{') {
        items.push(list());
      } else if (text[at] === '"') {
        let item = '';
        for (at += 1; text[at] !== '"'; at += 1) item += text[at] === '\\' ? text[(at += 1)] : text[at];
        at += 1;
        items.push(element(item));
      } else {
        const end = text.slice(at).search(/[,}]/) + at;
        const item = text.slice(at, end);
        items.push(item.toUpperCase() === 'NULL' ? null : element(item));
        at = end;
      }
      if (text[at] === ',') at += 1;
    }
    at += 1;
    return items;
  };
  return list();
}

/**
 * A parameter in node-postgres's text form where postgres.js's would differ: arrays as PostgreSQL array literals (its
 * own array serializer exists only once it has fetched the server's array types, and is skipped for a string).
 */
function textParameter(value: unknown): unknown {
  if (value === undefined) return null;
  return Array.isArray(value) ? arrayLiteral(value) : value;
}

function arrayLiteral(items: readonly unknown[]): string {
  return `{${items.map((item) => (item === null || item === undefined ? 'NULL'
    : Array.isArray(item) ? arrayLiteral(item) : `"${String(item).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** transform.row runs on every row postgres.js decodes, raw ones too, and nothing seqsync can ask for bypasses it. */
function rowsTransformed(): SeqsyncError {
  return new SeqsyncError('INVALID_OPTION', 'postgres.js changed the rows seqsync reads (a transform.row of the postgres() '
    + 'instance?): seqsync reads the values the server sent; pass it a postgres() instance without transform.row');
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SeqsyncError } from '../../errors';

/**
 * The query parameters seqsync reads itself rather than hand to pg: libpq's TLS settings (see libpq-ssl.ts) and
 * `passfile`, pg's own `ssl` and `uselibpqcompat`, and Prisma's `schema`. pg-connection-string reads `sslmode` with a
 * meaning of its own (`require` verifies like `verify-full`) and prints a multi-line SECURITY WARNING for it.
 */
const OWN_PARAMETERS = ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'sslnegotiation', 'uselibpqcompat', 'schema',
  'passfile'];

/**
 * Where libpq's build looks for a server's socket when no host is given: /var/run/postgresql in the Debian and Red
 * Hat packages, /tmp in a build from source (and Homebrew's). libpq knows its one directory; seqsync, which has no
 * build-time default, takes the first that holds the port's socket.
 */
const SOCKET_DIRECTORIES = ['/var/run/postgresql', '/tmp'];

/** A postgres:// URL resolved the way libpq resolves it: every part the URL leaves out from PG* variables, then defaults. */
export interface PostgresTarget {
  /** The URL as pg is given it: without the parameters seqsync reads itself, and with the host it resolved. */
  readonly connectionString: string;
  /** A host name or address, or a socket directory (it starts with `/`). */
  readonly host: string;
  readonly port: number;
  /** How messages name where the connection goes: `host:port`, or the socket file. */
  readonly label: string;
  readonly socket: boolean;
  /** The URL's query parameters, TLS settings included. */
  readonly parameters: URLSearchParams;
  /**
   * For when the server asks for a password the URL and PGPASSWORD did not give: the one libpq would take from its
   * password file (see passwordFromFile), read then, as libpq reads it; else why there is none, in words.
   */
  passwordFromFile(): { readonly password: string } | { readonly missing: string };
}

/**
 * The URL's own parts win; a part it leaves out comes from PGHOST or PGPORT (pg itself reads PGUSER, PGPASSWORD,
 * PGDATABASE and PGOPTIONS the same way), the password from libpq's password file (see passwordFromFile), then
 * libpq's defaults: the local socket when one is found, else localhost; port 5432; the operating system's user name,
 * and a database of the user's name. So `postgres://` alone means "as psql would connect".
 */
export function postgresTarget(url: URL, env: NodeJS.ProcessEnv = process.env): PostgresTarget {
  const parameters = url.searchParams;
  const port = portOf(parameters.get('port') || url.port, 'the URL') ?? portOf(env.PGPORT, 'PGPORT') ?? 5432;
  // A host in the URL may be a percent-encoded socket directory (`postgres://%2Fvar%2Frun%2Fpostgresql/db`).
  const named = parameters.get('host') || decoded(url.hostname).replace(/^\[(.*)\]$/, '$1') || env.PGHOST || '';
  const host = named || SOCKET_DIRECTORIES.find((directory) => existsSync(`${directory}/.s.PGSQL.${port}`)) || 'localhost';
  const forPg = new URL(url.href);
  for (const name of OWN_PARAMETERS) if (forPg.searchParams.has(name)) forPg.searchParams.delete(name);
  // Set rather than left to pg, which would fall back to localhost, not the socket; and so pg dials where TLS was negotiated.
  if (!parameters.get('host') && url.hostname === '') forPg.searchParams.set('host', host);
  // libpq's default user is the operating system's; pg's is $USER, which a container or a service often lacks.
  const osUser = url.username === '' && !parameters.get('user') && !env.PGUSER ? systemUser() : null;
  if (osUser !== null) forPg.searchParams.set('user', osUser);
  const socket = host.startsWith('/');
  // Who pg logs in as, and to which database: what a line of the password file is matched against.
  const user = parameters.get('user') || decoded(url.username) || env.PGUSER || osUser || env.USER || '';
  const database = decoded(url.pathname.replace(/^\//, '')) || env.PGDATABASE || user;
  const file = parameters.get('passfile') || env.PGPASSFILE || join(env.HOME || homedir(), '.pgpass');
  return {
    connectionString: forPg.href, host, port, socket, parameters,
    label: socket ? `${host}/.s.PGSQL.${port}` : `${host.includes(':') ? `[${host}]` : host}:${port}`,
    passwordFromFile: () => passwordFromFile(file, { host, port, database, user, socket }),
  };
}

/**
 * libpq's password file (https://www.postgresql.org/docs/current/libpq-pgpass.html: `?passfile=`, PGPASSFILE, else
 * ~/.pgpass): the password of the first `host:port:database:user:password` line that matches, where `*` matches
 * anything and a backslash makes the next character literal (`\:`). As libpq, ignores a file that group or others may
 * read, and lets `localhost` stand for a socket in the default directory. Read by seqsync rather than pg, which prints a
 * DeprecationWarning ("pgpass support is deprecated") when it takes a password from it, and a WARNING for such a file.
 */
function passwordFromFile(file: string, wanted: { host: string; port: number; database: string; user: string; socket: boolean }):
  { password: string } | { missing: string } {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { missing: `${file} is not a plain file` };
    if ((stat.mode & 0o077) !== 0) return { missing: `${file} is ignored, as libpq does: group or others may read it (chmod 0600 it)` };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { missing: code === 'ENOENT' ? `there is no password file ${file}` : `cannot read ${file}: ${(error as Error).message}` };
  }
  const hosts = [wanted.host, ...(wanted.socket && SOCKET_DIRECTORIES.includes(wanted.host) ? ['localhost'] : [])];
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = pgpassFields(line);
    if (fields.length < 5) continue;
    const matches = (field: { text: string; any: boolean }, values: readonly string[]) => field.any || values.includes(field.text);
    if (matches(fields[0], hosts) && matches(fields[1], [String(wanted.port)]) && matches(fields[2], [wanted.database])
      && matches(fields[3], [wanted.user])) {
      return { password: fields[4].text };
    }
  }
  return { missing: `no line of ${file} is for ${wanted.host}:${wanted.port}:${wanted.database}:${wanted.user}` };
}

/** A line's fields, split at each `:` no backslash escapes, escapes undone; `any` for a bare `*` (an escaped one is literal). */
function pgpassFields(line: string): { text: string; any: boolean }[] {
  const fields: { text: string; any: boolean }[] = [];
  let text = '';
  let raw = '';
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (character === '\\' && index + 1 < line.length) {
      index += 1;
      text += line[index];
      raw += character + line[index];
    } else if (character === ':') {
      fields.push({ text, any: raw === '*' });
      text = '';
      raw = '';
    } else {
      text += character;
      raw += character;
    }
  }
  fields.push({ text, any: raw === '*' });
  return fields;
}

function systemUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers): pg's own default, $USER, is all there is.
    return null;
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function portOf(text: string | undefined, source: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port < 1 || port > 65_535) {
    throw new SeqsyncError('INVALID_URL', `invalid port ${JSON.stringify(text)} in ${source}: expected a number from 1 to 65535`);
  }
  return port;
}

/**
 * The one schema a URL's `?schema=` names (Prisma's DATABASE_URL convention, the schema its client uses), or null.
 *
 * @throws SeqsyncError `INVALID_URL` for an empty or repeated `schema`.
 */
export function urlSchema(url: URL): string | null {
  const values = url.searchParams.getAll('schema');
  if (values.length === 0) return null;
  if (values.length > 1 || values[0] === '') {
    throw new SeqsyncError('INVALID_URL', `invalid ?schema= in the database URL (${values.map((v) => JSON.stringify(v)).join(', ')}): `
      + 'expected one schema name');
  }
  return values[0];
}

/**
 * libpq reads `postgres://user@/db` and `postgres://:5433/db` (no host: the socket directory from `?host=`, PGHOST
 * or the default), which WHATWG URL parsing refuses: it takes no credentials or port without a host. The same URL
 * with those parts moved into the query parameters libpq and pg also read (`user`, `password`, `port`, none of them
 * replacing one the URL already has there); null when `text` is not such a URL.
 */
export function hostlessPostgresUrl(text: string): URL | null {
  const match = /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/is.exec(text);
  if (match === null) return null;
  const [, scheme, authority, rest] = match;
  const at = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(at + 1);
  if (!/^(:[0-9]*)?$/.test(hostAndPort)) return null;
  let url: URL;
  try {
    url = new URL(`${scheme}${rest.startsWith('/') || rest === '' ? '' : '/'}${rest}`);
    const credentials = at < 0 ? '' : authority.slice(0, at);
    const colon = credentials.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
    const password = colon < 0 ? '' : decodeURIComponent(credentials.slice(colon + 1));
    const port = hostAndPort.slice(1);
    for (const [name, value] of [['user', user], ['password', password], ['port', port]]) {
      if (value !== '' && !url.searchParams.has(name)) url.searchParams.set(name, value);
    }
  } catch {
    return null;
  }
  return url;
}

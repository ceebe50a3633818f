import type { ConnectionOptions } from 'node:tls';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SeqsyncError } from '../../errors';

/**
 * libpq's sslmode values (https://www.postgresql.org/docs/current/libpq-ssl.html), and pg's `no-verify` (Heroku's
 * advice for node-postgres): `require` that never verifies, even when a root certificate is at hand.
 */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full' | 'no-verify';

const MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** Whether a connection attempt asks for TLS (an SSLRequest, or a direct TLS handshake) or starts up in plain text. */
export type Encryption = 'tls' | 'plain';

/** How a connection negotiates TLS, decided from the URL and PGSSL* variables before anything is dialled. */
export interface SslPlan {
  readonly mode: SslMode;
  /** How messages name where the mode came from: `sslmode=require`, `PGSSLMODE=verify-full`. */
  readonly source: string;
  /**
   * The attempts in order; libpq's `allow` and `prefer` make a second when the first fails (see postgres-connect.ts).
   * A `prefer` attempt whose SSLRequest the server answers "no SSL" goes on in plain text on the same connection.
   */
  readonly attempts: readonly Encryption[];
  /** `sslnegotiation=direct` (PostgreSQL 17): TLS from the first byte, without the SSLRequest. */
  readonly direct: boolean;
  /** The TLS settings, read (certificate files included) only when a TLS attempt is made. */
  tls(): TlsSettings;
}

export interface TlsSettings {
  /** For node:tls; `servername` is the connecting code's to add (never an IP address). */
  readonly options: ConnectionOptions;
  /** `none`: encrypts only; `chain`: the certificate must be signed by the root; `full`: and be for the host. */
  readonly verifies: 'none' | 'chain' | 'full';
  /** How messages name the root certificates verified against: a file, or Node's own (`system`). */
  readonly root: string | null;
}

/**
 * libpq's meaning. The mode: `?sslmode=`, else the JDBC-style `?ssl=true` libpq also reads, else PGSSLMODE, else
 * `verify-full` with `sslrootcert=system`, else `prefer` (libpq's default). On a Unix socket libpq ignores sslmode:
 * PostgreSQL has no TLS there. The root certificate, client certificate and key: the URL's `sslrootcert`, `sslcert`,
 * `sslkey`, else PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, else ~/.postgresql/root.crt, postgresql.crt and postgresql.key
 * when those exist. A root certificate makes every mode verify the chain; only verify-full also checks the host.
 *
 * One deviation: verify-full without any root certificate verifies against Node's trusted roots, as pg always did,
 * where libpq would refuse to connect (it reads them only with `sslrootcert=system`).
 *
 * @throws SeqsyncError `INVALID_URL` naming an unknown mode, or a combination libpq refuses.
 */
export function sslPlan(parameters: URLSearchParams, socket: boolean, env: NodeJS.ProcessEnv = process.env): SslPlan {
  const rootSetting = parameters.get('sslrootcert') ?? env.PGSSLROOTCERT ?? null;
  const { mode, source } = modeOf(parameters, env, rootSetting);
  const negotiation = parameters.get('sslnegotiation') ?? env.PGSSLNEGOTIATION ?? 'postgres';
  if (negotiation !== 'postgres' && negotiation !== 'direct') {
    throw new SeqsyncError('INVALID_URL', `invalid sslnegotiation ${JSON.stringify(negotiation)}: expected "postgres" or "direct"`);
  }
  const weak = mode === 'disable' || mode === 'allow' || mode === 'prefer';
  // libpq's own refusals, in its words: both would let a connection go unverified that the setting meant to protect.
  if (negotiation === 'direct' && weak) {
    throw new SeqsyncError('INVALID_URL',
      `weak sslmode "${mode}" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")`);
  }
  if (rootSetting === 'system' && mode !== 'verify-full' && mode !== 'disable') {
    throw new SeqsyncError('INVALID_URL', `weak sslmode "${mode}" may not be used with sslrootcert=system (use "verify-full")`);
  }
  const attempts: Encryption[] = socket || mode === 'disable' ? ['plain']
    : mode === 'allow' ? ['plain', 'tls'] : mode === 'prefer' ? ['tls', 'plain'] : ['tls'];
  return { mode, source, attempts, direct: negotiation === 'direct', tls: () => tlsSettings(mode, parameters, env, rootSetting) };
}

/** pg's `?ssl=` (libpq reads `ssl=true` too, as JDBC's spelling of sslmode=require). */
const SSL_PARAMETER: ReadonlyMap<string, SslMode> = new Map([
  ['true', 'require'], ['1', 'require'], ['false', 'disable'], ['0', 'disable'], ['no-verify', 'no-verify'],
]);

function modeOf(parameters: URLSearchParams, env: NodeJS.ProcessEnv, rootSetting: string | null): { mode: SslMode; source: string } {
  const named = (text: string, source: string): { mode: SslMode; source: string } => {
    if (!(MODES as readonly string[]).includes(text)) {
      throw new SeqsyncError('INVALID_URL', `invalid sslmode ${JSON.stringify(text)} ${source}: expected disable, allow, prefer, `
        + 'require, verify-ca or verify-full');
    }
    return { mode: text as SslMode, source: source === 'in the URL' ? `sslmode=${text}` : `PGSSLMODE=${text}` };
  };
  const fromUrl = parameters.get('sslmode');
  if (fromUrl !== null) return named(fromUrl, 'in the URL');
  const ssl = parameters.get('ssl');
  if (ssl !== null) {
    const mode = SSL_PARAMETER.get(ssl);
    if (mode === undefined) {
      throw new SeqsyncError('INVALID_URL', `invalid ssl ${JSON.stringify(ssl)} in the URL: expected true or false (or use sslmode=)`);
    }
    return { mode, source: `ssl=${ssl}` };
  }
  if (env.PGSSLMODE !== undefined && env.PGSSLMODE !== '') return named(env.PGSSLMODE, 'from PGSSLMODE');
  return rootSetting === 'system' ? { mode: 'verify-full', source: 'sslrootcert=system' } : { mode: 'prefer', source: 'sslmode=prefer' };
}

function tlsSettings(mode: SslMode, parameters: URLSearchParams, env: NodeJS.ProcessEnv, rootSetting: string | null): TlsSettings {
  const defaults = join(homedir(), '.postgresql');
  const rootFile = rootSetting === 'system' ? null : rootSetting ?? present(join(defaults, 'root.crt'));
  const certFile = parameters.get('sslcert') ?? env.PGSSLCERT ?? present(join(defaults, 'postgresql.crt'));
  const keyFile = parameters.get('sslkey') ?? env.PGSSLKEY ?? present(join(defaults, 'postgresql.key'));
  const verifies = mode === 'verify-full' ? 'full'
    : mode === 'verify-ca' || (rootFile !== null && mode !== 'no-verify') ? 'chain' : 'none';
  if (mode === 'verify-ca' && rootFile === null) {
    throw new SeqsyncError('CONNECTION_FAILED', `sslmode=verify-ca needs the root certificate to verify the server's against: `
      + `give it as sslrootcert=/path/to/root.crt or put it in ${join(defaults, 'root.crt')}`);
  }
  const options: ConnectionOptions = {
    rejectUnauthorized: verifies !== 'none',
    // verify-ca checks the chain alone: any host name the certificate is for will do.
    ...(verifies === 'chain' ? { checkServerIdentity: () => undefined } : {}),
    ...(rootFile !== null && verifies !== 'none' ? { ca: read(rootFile, 'sslrootcert') } : {}),
    // libpq sends a client certificate only with its key.
    ...(certFile !== null && keyFile !== null ? { cert: read(certFile, 'sslcert'), key: read(keyFile, 'sslkey') } : {}),
    ...(parameters.has('sslpassword') ? { passphrase: parameters.get('sslpassword')! } : {}),
  };
  return { options, verifies, root: verifies === 'none' ? null : rootFile ?? 'system' };
}

function present(path: string): string | null {
  return existsSync(path) ? path : null;
}

function read(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeqsyncError('CONNECTION_FAILED', `cannot read ${setting} ${path}: ${(error as Error).message}`, { cause: error });
  }
}

import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import type { FieldIssue } from '../errors.ts';

/**
 * Rules for database logins handed to analysts' BI tools (docs/analysts.md):
 * what a login may be called, how its password is stored, and the connection
 * string it is given. Pure.
 */

/** Lower-case so that the name needs no quoting in a BI tool's connection form. */
const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const MAX_NAME_LENGTH = 63;
/** Names PostgreSQL reserves for roles, and this product's own roles' prefix. */
const RESERVED_NAMES = new Set(['public', 'none', 'current_user', 'session_user', 'current_role']);
const RESERVED_PREFIXES = ['pg_', 'assay_'];

export const ANALYST_STATEMENT_TIMEOUT = '60s';

export function analystLoginNameIssues(name: string): FieldIssue[] {
  const issue = (message: string): FieldIssue[] => [{ path: '/name', message }];
  if (!SIMPLE_IDENTIFIER.test(name)) {
    return issue('must be a simple identifier: lower-case letters, digits and underscores, not starting with a digit');
  }
  if (name.length > MAX_NAME_LENGTH) return issue(`must be at most ${MAX_NAME_LENGTH} characters`);
  if (RESERVED_NAMES.has(name)) return issue(`"${name}" is reserved by PostgreSQL`);
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return issue(`must not start with "${prefix}" (reserved for ${prefix === 'pg_' ? 'PostgreSQL' : "Assay's own roles"})`);
  return [];
}

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677,
 * as `CREATE ROLE ... PASSWORD 'SCRAM-SHA-256$...'` accepts it). Computing it
 * here keeps the plain password out of the statement and the server's logs.
 * The password must be ASCII without control characters, which SASLprep
 * leaves unchanged (generated passwords are base64url).
 */
export function scramSha256Verifier(password: string, salt: Buffer): string {
  if (!/^[\x21-\x7e]+$/.test(password)) throw new RangeError('The password must be printable ASCII.');
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * The analyst's connection string: host, port and TLS mode of the
 * connection the operator used, the current database, the login's own
 * credentials. Nothing else of the operator's string (credentials,
 * certificate paths on the operator's machine) is carried over.
 */
export function analystConnectionString(operatorConnectionString: string, database: string, name: string, password: string): string {
  const source = new URL(operatorConnectionString);
  const target = new URL(`postgres://${source.host || '127.0.0.1'}`);
  target.username = encodeURIComponent(name);
  target.password = encodeURIComponent(password);
  target.pathname = `/${encodeURIComponent(database)}`;
  const sslmode = source.searchParams.get('sslmode');
  if (sslmode) target.searchParams.set('sslmode', sslmode);
  return target.toString();
}

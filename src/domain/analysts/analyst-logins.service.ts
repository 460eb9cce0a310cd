import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import {
  createAnalystRole,
  currentDatabaseName,
  dropAnalystRole,
  endSessionsOf,
  findRole,
  rekeyAnalystRole,
  type ExistingRole,
} from '../../db/repositories/analysts.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { randomSecret } from '../auth/secrets.ts';
import { AppError, invalid } from '../errors.ts';
import { ANALYST_STATEMENT_TIMEOUT, analystConnectionString, analystLoginNameIssues, scramSha256Verifier } from './analyst-login.rules.ts';

/**
 * Database logins for analysts' BI tools (docs/analysts.md): a LOGIN role in
 * `assay_analyst`, which reads the views of schema `analyst` and nothing else.
 * The operator runs these from the CLI; each is audit-logged in the same
 * transaction as the role change (role statements are transactional).
 */

export interface AnalystLoginCreated {
  name: string;
  /** True when the login existed and was given a new password. */
  rekeyed: boolean;
  /** Shown once; the password is stored only as a SCRAM verifier. */
  connectionString: string;
}

function requireValidName(name: string): void {
  const issues = analystLoginNameIssues(name);
  if (issues.length > 0) throw invalid(issues, `"${name}" cannot be an analyst login: ${issues[0]!.message}.`);
}

function isAnalystLogin(role: ExistingRole): boolean {
  return role.canLogin && role.analyst && !role.superuser;
}

function notAnAnalystLogin(name: string): AppError {
  return new AppError('CONFLICT', `A database role "${name}" exists and is not an analyst login; choose another name.`, [
    { path: '/name', message: 'exists and is not an analyst login' },
  ]);
}

/** Creates the login, or gives an existing analyst login a new password. */
export async function createAnalystLogin(
  trx: Executor,
  actor: Actor,
  input: { name: string; operatorConnectionString: string },
): Promise<AnalystLoginCreated> {
  requireValidName(input.name);
  const existing = await findRole(trx, input.name);
  if (existing && !isAnalystLogin(existing)) throw notAnAnalystLogin(input.name);
  const password = randomSecret(24);
  const verifier = scramSha256Verifier(password, randomBytes(16));
  const settings = { statementTimeout: ANALYST_STATEMENT_TIMEOUT };
  if (existing) await rekeyAnalystRole(trx, input.name, verifier, settings);
  else await createAnalystRole(trx, input.name, verifier, settings);
  const database = await currentDatabaseName(trx);
  await audit(trx, actor, {
    action: existing ? 'analyst_login.rekey' : 'analyst_login.create',
    entityType: 'analyst_login',
    entityId: input.name,
    vendorId: null,
    details: { database, readOnly: true, statementTimeout: ANALYST_STATEMENT_TIMEOUT },
  });
  return {
    name: input.name,
    rekeyed: existing !== null,
    connectionString: analystConnectionString(input.operatorConnectionString, database, input.name, password),
  };
}

export interface AnalystLoginRevoked {
  name: string;
  /** Open sessions of the login that were ended. */
  sessionsEnded: number;
  /** Open sessions this connection was not allowed to end (they run on until they disconnect). */
  sessionsRemaining: number;
}

export async function revokeAnalystLogin(trx: Executor, actor: Actor, name: string): Promise<AnalystLoginRevoked> {
  requireValidName(name);
  const existing = await findRole(trx, name);
  if (!existing) throw new AppError('NOT_FOUND', `There is no database role "${name}".`);
  if (!isAnalystLogin(existing)) throw notAnAnalystLogin(name);
  const sessions = await endSessionsOf(trx, name);
  await dropAnalystRole(trx, name);
  await audit(trx, actor, {
    action: 'analyst_login.revoke',
    entityType: 'analyst_login',
    entityId: name,
    vendorId: null,
    details: { database: await currentDatabaseName(trx), sessionsEnded: sessions.ended, sessionsRemaining: sessions.remaining },
  });
  return { name, sessionsEnded: sessions.ended, sessionsRemaining: sessions.remaining };
}

import type { Db } from '../../db/database.ts';
import { asSystem } from '../../db/scoped.ts';
import * as sessions from '../../db/repositories/sessions.repository.ts';
import * as tokens from '../../db/repositories/tokens.repository.ts';
import * as users from '../../db/repositories/users.repository.ts';
import type { UserRow } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission, isRole, type Permission } from '../access/roles.ts';
import type { ResolvedScope } from '../access/scope.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError } from '../errors.ts';
import { normaliseEmail } from '../org/org.rules.ts';
import { verifyPassword } from './passwords.ts';
import { digest, randomSecret } from './secrets.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
  maxFailures: number;
  windowMinutes: number;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** An authenticated principal: the user, their resolved scope, and how they proved it. */
export interface Principal {
  user: UserRow;
  scope: ResolvedScope;
  via: 'session' | 'token';
  sessionIdHash: string | null;
  csrfToken: string | null;
}

const NO_ACCESS: ResolvedScope = { kind: 'self', vendorId: null, siteId: null, teamId: null, personId: null };

/**
 * Resolves a user's scope to its chain. A scope whose target no longer exists
 * resolves to nothing visible (self with no person) rather than to everything.
 */
export async function resolveScope(db: Db, user: UserRow): Promise<ResolvedScope> {
  const chain = await users.scopeChain(db, user.scope_kind, user.scope_ref_id);
  return chain ? { kind: user.scope_kind, ...chain } : NO_ACCESS;
}

export function actorOf(principal: Principal, client: ClientInfo): Actor {
  const role = principal.user.role;
  if (!isRole(role)) throw new AppError('FORBIDDEN', 'Your account has an unknown role; ask an administrator.');
  return { userId: principal.user.id, label: principal.user.email, role, scope: principal.scope, personId: principal.user.person_id, ...client };
}

export function can(principal: Principal, permission: Permission): boolean {
  return isRole(principal.user.role) && hasPermission(principal.user.role, permission);
}

function clientActor(label: string, client: ClientInfo, user?: UserRow, scope?: ResolvedScope): Actor {
  return {
    userId: user?.id ?? null,
    label,
    role: user && isRole(user.role) ? user.role : 'agent',
    scope: scope ?? NO_ACCESS,
    personId: user?.person_id ?? null,
    ...client,
  };
}

export interface SignInResult {
  sessionToken: string;
  csrfToken: string;
  user: UserRow;
}

/**
 * Checks an email and password. Refuses early (429) once there have been too
 * many recent failures for the email or the address, before the password is
 * even looked at. Every attempt, good or bad, is recorded and audited.
 */
export async function signIn(
  db: Db,
  policy: SessionPolicy,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const since = new Date(Date.now() - policy.windowMinutes * 60_000);
  const failures = await sessions.recentFailures(db, email, client.ip, since);
  if (failures.byEmail >= policy.maxFailures || failures.byIp >= policy.maxFailures * 4) {
    const retryAt = new Date((failures.oldest ?? new Date()).getTime() + policy.windowMinutes * 60_000);
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
    await asSystem(db, (trx) =>
      audit(trx, clientActor(email, client), { action: 'auth.sign_in_refused', details: { reason: 'rate_limited', email } }),
    );
    throw new AppError(
      'RATE_LIMITED',
      `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      [],
      { retryAfterSeconds },
    );
  }

  const user = await users.findUserByEmail(db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.status !== 'active') {
    const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'disabled';
    const scope = user ? await resolveScope(db, user) : undefined;
    await asSystem(db, async (trx) => {
      await sessions.recordSignInAttempt(trx, email, client.ip, false);
      await audit(trx, clientActor(email, client, user, scope), {
        action: 'auth.sign_in_failed',
        entityType: user ? 'user' : undefined,
        entityId: user?.id,
        details: { reason },
      });
    });
    // One answer for every failure, so the response does not confirm which emails exist.
    throw new AppError('UNAUTHENTICATED', 'Email or password is incorrect.');
  }

  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  const scope = await resolveScope(db, user);
  await asSystem(db, async (trx) => {
    await sessions.recordSignInAttempt(trx, email, client.ip, true);
    await sessions.insertSession(trx, {
      idHash: digest(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + policy.maxHours * 3_600_000),
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await users.markSignedIn(trx, user.id);
    await audit(trx, clientActor(user.email, client, user, scope), {
      action: 'auth.sign_in',
      entityType: 'user',
      entityId: user.id,
      details: { method: 'password' },
    });
  });
  return { sessionToken, csrfToken, user };
}

/** The principal behind a session cookie, or null when it is unknown, ended or expired. */
export async function authenticateSession(db: Db, policy: SessionPolicy, sessionToken: string): Promise<Principal | null> {
  const idHash = digest(sessionToken);
  const session = await sessions.findLiveSession(db, idHash);
  if (!session) return null;
  const now = Date.now();
  const idleFor = now - session.last_seen_at.getTime();
  if (session.expires_at.getTime() <= now || idleFor > policy.idleMinutes * 60_000) {
    await sessions.endSession(db, idHash);
    return null;
  }
  const user = await users.findUserById(db, session.user_id);
  if (!user || user.status !== 'active') return null;
  // Writing last_seen on every request would double the writes; once a minute keeps idle expiry accurate enough.
  if (idleFor > 60_000) await sessions.touchSession(db, idHash);
  return { user, scope: await resolveScope(db, user), via: 'session', sessionIdHash: idHash, csrfToken: session.csrf_token };
}

/** The principal behind an API token, or null. A token carries its owner's current role and scope. */
export async function authenticateToken(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith('assay_')) return null;
  const row = await tokens.findTokenWithOwner(db, digest(token));
  if (!row || row.token_revoked_at || (row.token_expires_at && row.token_expires_at.getTime() <= Date.now())) return null;
  const { token_id: tokenId, token_revoked_at: _revoked, token_expires_at: _expires, token_last_used_at: lastUsedAt, ...user } = row;
  if (user.status !== 'active') return null;
  if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > 60_000) await tokens.markTokenUsed(db, tokenId);
  return { user, scope: await resolveScope(db, user), via: 'token', sessionIdHash: null, csrfToken: null };
}

export async function signOut(db: Db, principal: Principal, client: ClientInfo): Promise<void> {
  if (!principal.sessionIdHash) return;
  const idHash = principal.sessionIdHash;
  await asSystem(db, async (trx) => {
    await sessions.endSession(trx, idHash);
    await audit(trx, actorOf(principal, client), { action: 'auth.sign_out', entityType: 'user', entityId: principal.user.id });
  });
}

import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/users.repository.ts';
import { endSessionsOfUser } from '../../db/repositories/sessions.repository.ts';
import type { UserRow } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import { isRole, ROLE_LABELS, type Role } from '../access/roles.ts';
import { isScopeKind, SCOPE_LABELS, type ScopeKind } from '../access/scope.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues, notFound } from '../errors.ts';
import { isPlausibleEmail, normaliseEmail } from '../org/org.rules.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

export interface ScopeInput {
  kind: ScopeKind;
  refId: string | null;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: 'active' | 'disabled';
  personId: string | null;
  scope: { kind: ScopeKind; refId: string | null; label: string };
  lastSignInAt: string | null;
  createdAt: string;
}

export interface UserInput {
  email: string;
  displayName: string;
  password?: string;
  role: string;
  scope: ScopeInput;
  personId?: string | null;
}

export interface UserPatch {
  displayName?: string;
  password?: string;
  role?: string;
  scope?: ScopeInput;
  personId?: string | null;
  status?: 'active' | 'disabled';
}

export async function presentUser(trx: Executor, row: UserRow): Promise<User> {
  const target = await repo.scopeTargetName(trx, row.scope_kind, row.scope_ref_id);
  const kindLabel = SCOPE_LABELS[row.scope_kind];
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    status: row.status,
    personId: row.person_id,
    scope: {
      kind: row.scope_kind,
      refId: row.scope_ref_id,
      label: row.scope_kind === 'all' ? kindLabel : `${target ?? 'missing'} (${row.scope_kind === 'self' ? 'own records' : row.scope_kind})`,
    },
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Checks role, scope and person together: the rules tie them (admins see everything; 'self' needs a person). */
async function checkAccess(
  trx: Executor,
  issues: Issues,
  role: string,
  scope: ScopeInput,
  personId: string | null | undefined,
): Promise<void> {
  if (!isRole(role)) issues.add('/role', `Choose one of: ${Object.keys(ROLE_LABELS).join(', ')}.`);
  if (!isScopeKind(scope.kind)) {
    issues.add('/scope/kind', 'Choose all, vendor, site, team or self.');
    return;
  }
  if (role === 'admin' && scope.kind !== 'all') issues.add('/scope/kind', 'Administrators need scope "all".');
  if (scope.kind === 'all') {
    if (scope.refId) issues.add('/scope/refId', 'Scope "all" names no vendor, site or team.');
  } else if (!scope.refId) {
    issues.add('/scope/refId', `Choose the ${scope.kind === 'self' ? 'person' : scope.kind} this user is limited to.`);
  } else if (!(await repo.scopeChain(trx, scope.kind, scope.refId))) {
    issues.add('/scope/refId', `No such ${scope.kind === 'self' ? 'person' : scope.kind}.`);
  }
  if (scope.kind === 'self' && personId && scope.refId && personId !== scope.refId) {
    issues.add('/personId', 'A user limited to their own records must be linked to that same person.');
  }
}

export async function listUsers(trx: Executor, filter: repo.UserFilter, page: Page) {
  const { rows, total } = await repo.listUsers(trx, filter, page);
  return { items: await Promise.all(rows.map((row) => presentUser(trx, row))), total };
}

export async function getUser(trx: Executor, id: string): Promise<User> {
  const row = await repo.findUserById(trx, id);
  if (!row) throw notFound('User');
  return presentUser(trx, row);
}

export async function createUser(trx: Executor, actor: Actor, input: UserInput): Promise<User> {
  const issues = new Issues();
  const email = normaliseEmail(input.email);
  issues.check(isPlausibleEmail(email), '/email', 'Enter an email address like name@example.com.');
  const displayName = input.displayName.trim();
  issues.check(displayName.length > 0 && displayName.length <= 200, '/displayName', 'Enter a name (at most 200 characters).');
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, email);
    if (problem) issues.add('/password', problem);
  }
  await checkAccess(trx, issues, input.role, input.scope, input.personId);
  issues.throwIfAny();
  const personId = input.personId ?? (input.scope.kind === 'self' ? input.scope.refId : null);
  const { id } = await repo.insertUser(trx, {
    email,
    displayName,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    role: input.role,
    scopeKind: input.scope.kind,
    scopeRefId: input.scope.kind === 'all' ? null : input.scope.refId,
    personId,
  });
  const user = await getUser(trx, id);
  await audit(trx, actor, {
    action: 'user.create',
    entityType: 'user',
    entityId: id,
    details: { email, role: input.role, scope: { kind: input.scope.kind, refId: user.scope.refId, label: user.scope.label } },
  });
  return user;
}

export async function updateUser(trx: Executor, actor: Actor, id: string, patch: UserPatch): Promise<User> {
  const before = await getUser(trx, id);
  const issues = new Issues();
  if (patch.displayName !== undefined) {
    issues.check(patch.displayName.trim().length > 0, '/displayName', 'Enter a name.');
  }
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password, before.email);
    if (problem) issues.add('/password', problem);
  }
  const role = patch.role ?? before.role;
  const scope = patch.scope ?? { kind: before.scope.kind, refId: before.scope.refId };
  if (patch.role !== undefined || patch.scope !== undefined || patch.personId !== undefined) {
    await checkAccess(trx, issues, role, scope, patch.personId === undefined ? before.personId : patch.personId);
  }
  if (id === actor.userId && (patch.status === 'disabled' || (patch.role !== undefined && patch.role !== 'admin' && before.role === 'admin'))) {
    issues.add(patch.status === 'disabled' ? '/status' : '/role', 'You cannot lock yourself out; ask another administrator.');
  }
  issues.throwIfAny();
  await repo.updateUser(trx, id, {
    displayName: patch.displayName?.trim(),
    passwordHash: patch.password !== undefined ? await hashPassword(patch.password) : undefined,
    role: patch.role,
    scopeKind: patch.scope?.kind,
    scopeRefId: patch.scope ? (patch.scope.kind === 'all' ? null : patch.scope.refId) : undefined,
    personId: patch.personId,
    status: patch.status,
  });
  const after = await getUser(trx, id);
  const accessChanged = before.role !== after.role || before.scope.kind !== after.scope.kind || before.scope.refId !== after.scope.refId;
  // A change of role, scope or password, or disabling, ends the user's sessions: they sign in again under the new rules.
  if (accessChanged || patch.password !== undefined || after.status === 'disabled') await endSessionsOfUser(trx, id);
  if (before.role !== after.role) {
    await audit(trx, actor, { action: 'user.role_change', entityType: 'user', entityId: id, details: { from: before.role, to: after.role } });
  }
  if (before.scope.kind !== after.scope.kind || before.scope.refId !== after.scope.refId) {
    await audit(trx, actor, {
      action: 'user.scope_change',
      entityType: 'user',
      entityId: id,
      details: { from: before.scope, to: after.scope },
    });
  }
  if (before.status !== after.status) {
    await audit(trx, actor, { action: after.status === 'disabled' ? 'user.disable' : 'user.enable', entityType: 'user', entityId: id });
  }
  if (patch.password !== undefined) {
    await audit(trx, actor, { action: 'user.password_change', entityType: 'user', entityId: id });
  }
  if (before.displayName !== after.displayName || before.personId !== after.personId) {
    await audit(trx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      details: { displayName: [before.displayName, after.displayName], personId: [before.personId, after.personId] },
    });
  }
  return after;
}

/** Values, validation and request bodies of the user create/edit form. */
import type { ScopeKind } from '../../../../../src/domain/access/scope.ts';
import type { CreateUserBody, UpdateUserBody } from '../../../api/admin';
import type { Role, User } from '../../../api/types';

export interface UserFormValues {
  email: string;
  displayName: string;
  password: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeRefId: string | null;
  personId: string | null;
  status: User['status'];
}

/** Request paths -> form fields, for server validation messages. */
export const USER_FIELD_MAP: Record<string, string> = {
  'scope.kind': 'scopeKind',
  'scope.refId': 'scopeRefId',
  scope: 'scopeKind',
};

export function userFormValues(user?: User): UserFormValues {
  return {
    email: user?.email ?? '',
    displayName: user?.displayName ?? '',
    password: '',
    role: user?.role ?? 'qa_specialist',
    scopeKind: user?.scope.kind ?? 'all',
    scopeRefId: user?.scope.refId ?? null,
    personId: user?.personId ?? null,
    status: user?.status ?? 'active',
  };
}

export function validateUserForm(editing: boolean) {
  return {
    email: (v: string) => (editing || /^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
    displayName: (v: string) => (v.trim() ? null : 'Enter the name shown in Assay'),
    password: (v: string) => (editing || v ? null : 'Set an initial password'),
    scopeRefId: (v: string | null, values: UserFormValues) =>
      values.role !== 'admin' && values.scopeKind !== 'all' && !v ? 'Choose what this scope points at' : null,
  };
}

function scopeOf(values: UserFormValues) {
  if (values.role === 'admin' || values.scopeKind === 'all') return { kind: 'all' as const, refId: null };
  return { kind: values.scopeKind, refId: values.scopeRefId };
}

export function createBody(values: UserFormValues): CreateUserBody {
  return {
    email: values.email.trim(),
    displayName: values.displayName.trim(),
    password: values.password,
    role: values.role,
    scope: scopeOf(values),
    personId: values.personId || null,
  };
}

/** Only what changed, so the audit log records meaningful events. */
export function updateBody(values: UserFormValues, user: User): UpdateUserBody {
  const body: UpdateUserBody = {};
  const displayName = values.displayName.trim();
  if (displayName !== user.displayName) body.displayName = displayName;
  if (values.role !== user.role) body.role = values.role;
  const scope = scopeOf(values);
  if (scope.kind !== user.scope.kind || scope.refId !== user.scope.refId) body.scope = scope;
  if (values.status !== user.status) body.status = values.status;
  if ((values.personId || null) !== user.personId) body.personId = values.personId || null;
  if (values.password) body.password = values.password;
  return body;
}

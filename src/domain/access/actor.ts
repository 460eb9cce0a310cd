import type { Role } from './roles.ts';
import type { ResolvedScope } from './scope.ts';

/**
 * Who is acting, from where. Services take it to authorise fine-grained rules
 * and to write the audit entry in the same transaction as the change.
 */
export interface Actor {
  userId: string | null;
  /** What the audit log shows: the email of a user, or 'system' / 'cli' for operators. */
  label: string;
  role: Role;
  scope: ResolvedScope;
  /** The person record linked to the user (a reviewer, an agent), if any. */
  personId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** The operator at the command line or a system task: unrestricted, but still audited. */
export function systemActor(label = 'system'): Actor {
  return {
    userId: null,
    label,
    role: 'admin',
    personId: null,
    scope: { kind: 'all', vendorId: null, siteId: null, teamId: null, personId: null },
    ip: null,
    userAgent: null,
    requestId: null,
  };
}

/** Shapes of the JSON the Assay API returns (see the API contract). */
import type { Permission, Role } from '../../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../../src/domain/access/scope.ts';

export type { Permission, Role, ScopeKind };

export interface ListResponse<T> {
  items: T[];
  total: number;
}

export type ActiveStatus = 'active' | 'inactive';

export interface UserScope {
  kind: ScopeKind;
  refId: string | null;
  label: string;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: 'active' | 'disabled';
  personId: string | null;
  scope: UserScope;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface Session {
  user: User;
  csrfToken: string;
  permissions: Permission[];
}

export interface Vendor {
  id: string;
  name: string;
  code: string;
  isInHouse: boolean;
  status: ActiveStatus;
  siteCount: number;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Site {
  id: string;
  vendorId: string;
  vendorName: string;
  name: string;
  countryCode: string;
  timeZone: string;
  status: ActiveStatus;
  teamCount: number;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Team {
  id: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  name: string;
  workflowId: string | null;
  workflowName: string | null;
  status: ActiveStatus;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

export const JOB_ROLES = [
  'agent',
  'qa_specialist',
  'qa_lead',
  'trainer',
  'manager',
  'policy_sme',
  'analyst',
] as const;
export type JobRole = (typeof JOB_ROLES)[number];

export const JOB_ROLE_LABELS: Record<JobRole, string> = {
  agent: 'Agent',
  qa_specialist: 'QA specialist',
  qa_lead: 'QA lead',
  trainer: 'Trainer',
  manager: 'Manager',
  policy_sme: 'Policy SME',
  analyst: 'Analyst',
};

export type PersonStatus = 'active' | 'on_leave' | 'inactive';
export const PERSON_STATUS_LABELS: Record<PersonStatus, string> = {
  active: 'Active',
  on_leave: 'On leave',
  inactive: 'Inactive',
};

export interface Person {
  id: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  teamId: string | null;
  teamName: string | null;
  fullName: string;
  email: string | null;
  employeeRef: string | null;
  jobRole: JobRole;
  hireDate: string;
  tenureDays: number;
  languages: string[];
  workflowIds: string[];
  status: PersonStatus;
  createdAt: string;
  updatedAt: string;
}

export type WorkflowKind = 'moderation' | 'support';

export interface Workflow {
  id: string;
  key: string;
  name: string;
  kind: WorkflowKind;
  description: string;
  status: ActiveStatus;
  policyIds: string[];
}

export interface EnforcementAction {
  key: string;
  name: string;
  description: string;
  status: ActiveStatus;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface PolicyLabel {
  key: string;
  name: string;
  severity: Severity;
  description: string;
}

export interface PolicyVersion {
  id: string;
  version: number;
  effectiveFrom: string;
  summary: string;
  labels: PolicyLabel[];
  allowedActions: string[];
  createdAt: string;
  inForce: boolean;
}

export interface PolicySummary {
  id: string;
  key: string;
  name: string;
  description: string;
  status: ActiveStatus;
  currentVersion: { id: string; version: number; effectiveFrom: string } | null;
  versionCount: number;
  workflowIds: string[];
}

export interface PolicyDetail extends PolicySummary {
  versions: PolicyVersion[];
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface AuditEntry {
  id: number | string;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

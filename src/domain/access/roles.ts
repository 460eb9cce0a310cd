/**
 * Roles and permissions. A role says what a person may do; a scope (scope.ts)
 * says over which rows. Both are checked for every request: the permission at
 * the route, the scope in the database (row-level security).
 */

export const ROLES = [
  'admin',
  'quality_manager',
  'qa_lead',
  'qa_specialist',
  'trainer',
  'vendor_manager',
  'agent',
  'policy_sme',
  'analyst',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  quality_manager: 'Quality & training manager',
  qa_lead: 'QA lead',
  qa_specialist: 'QA specialist',
  trainer: 'Trainer',
  vendor_manager: 'Vendor manager',
  agent: 'Agent',
  policy_sme: 'Policy SME',
  analyst: 'Analyst',
};

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'policy.read',
  'policy.write',
  'users.manage',
  'audit.read',
  'tokens.own',
  'decisions.read',
  'decisions.ingest',
  'sampling.read',
  'sampling.write',
  'qa.queue',
  'qa.review',
  'qa.manage',
  'scorecards.read',
  'scorecards.write',
  'reviews.read',
  'disputes.raise',
  'disputes.arbitrate',
  'escalations.answer',
  'wellbeing.manage',
  'metrics.read',
  'calibration.run',
  'calibration.take',
  'auditing.manage',
  'auditing.read',
  'training.read',
  'training.write',
  'training.manage',
  'training.learn',
  'xapi.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  'org.read': 'See vendors, sites, teams and people in scope',
  'org.write': 'Create, edit and deactivate vendors, sites, teams, people and workflows in scope',
  'policy.read': 'Read workflows, policies, labels and actions',
  'policy.write': 'Edit workflows, policies, versions, labels and actions',
  'users.manage': 'Create users, change roles and scopes',
  'audit.read': 'Browse the audit log',
  'tokens.own': 'Create and revoke own API tokens',
  'decisions.read': 'Browse decisions in scope and view their content (each view is audited)',
  'decisions.ingest': 'Send decisions from the upstream moderation tool',
  'sampling.read': 'See sampling plans and their previews',
  'sampling.write': 'Draft, preview and activate sampling plans',
  'qa.queue': 'See the QA task queue, workload and overdue tasks in scope',
  'qa.review': 'Take, claim and release QA tasks',
  'qa.manage': 'Set QA turnaround, leases, reviewer capacity and reassign tasks',
  'scorecards.read': 'See scorecards and their versions',
  'scorecards.write': 'Draft and publish scorecard versions',
  'reviews.read': 'See QA reviews in scope (agents: their own), acknowledge and comment',
  'disputes.raise': 'Dispute a QA review within the dispute window',
  'disputes.arbitrate': 'Decide disputes about reviews one did not write',
  'escalations.answer': 'Answer gray-area escalations ("policy unclear")',
  'wellbeing.manage': 'Set the wellbeing limits (blur, warnings) people may choose within',
  'metrics.read': 'See quality metrics and dashboards in scope',
  'calibration.run': 'Create calibration sessions, invite participants, reveal and export results, see calibration trends',
  'calibration.take': 'Score the calibration sessions one is invited to',
  'auditing.manage': 'Configure double review of vendor QA and manage gold items',
  'auditing.read': 'See double-review leniency, gold accuracy and reviewer quality in scope',
  'training.read': 'See programs, courses, cohorts, enrolments, certifications and training results in scope',
  'training.write': 'Build programs, courses, modules and assessments; run cohorts, coaching and observations',
  'training.manage': 'Enrol people, set due dates, grant and revoke certifications',
  'training.learn': 'Take one\'s own assigned training and assessments ("My learning")',
  'xapi.manage': 'Create and revoke xAPI credentials and read the Learning Record Store',
};

const everyone: Permission[] = ['policy.read', 'tokens.own', 'scorecards.read', 'reviews.read', 'training.learn'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set([...PERMISSIONS]),
  quality_manager: new Set([
    ...everyone, 'org.read', 'org.write', 'policy.write', 'audit.read',
    'decisions.read', 'decisions.ingest', 'sampling.read', 'sampling.write', 'qa.queue', 'qa.manage',
    'scorecards.write', 'disputes.arbitrate', 'escalations.answer', 'metrics.read',
    'calibration.run', 'calibration.take', 'auditing.manage', 'auditing.read',
    'training.read', 'training.write', 'training.manage', 'xapi.manage',
  ]),
  qa_lead: new Set([
    ...everyone, 'org.read', 'decisions.read', 'sampling.read', 'sampling.write', 'qa.queue', 'qa.review', 'qa.manage',
    'scorecards.write', 'disputes.raise', 'disputes.arbitrate', 'metrics.read',
    'calibration.run', 'calibration.take', 'auditing.manage', 'auditing.read', 'training.read',
  ]),
  qa_specialist: new Set([...everyone, 'org.read', 'decisions.read', 'sampling.read', 'qa.queue', 'qa.review', 'calibration.take']),
  trainer: new Set([
    ...everyone, 'org.read', 'decisions.read', 'metrics.read', 'calibration.take',
    'training.read', 'training.write', 'training.manage',
  ]),
  vendor_manager: new Set([
    ...everyone, 'org.read', 'org.write', 'decisions.read', 'sampling.read', 'qa.queue', 'metrics.read',
    'training.read', 'training.manage',
  ]),
  // With scope 'self' (the usual for agents) org.read shows their own record, team, site and vendor,
  // and decisions.read their own decisions.
  agent: new Set([...everyone, 'org.read', 'decisions.read', 'disputes.raise']),
  policy_sme: new Set([...everyone, 'org.read', 'policy.write', 'decisions.read', 'escalations.answer', 'calibration.take']),
  analyst: new Set([
    ...everyone, 'org.read', 'audit.read', 'decisions.read', 'sampling.read', 'qa.queue', 'metrics.read',
    'auditing.read', 'training.read',
  ]),
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Turns a PostgreSQL error into an error a person understands, or null when
 * it is not one we expect (then it is a bug and answers 500).
 * Constraint names come from migrations; add a line here with each new one.
 */
const CONSTRAINTS: Record<string, { path: string; message: string }> = {
  vendors_name_key: { path: '/name', message: 'A vendor with this name already exists.' },
  vendors_code_key: { path: '/code', message: 'A vendor with this code already exists.' },
  sites_vendor_name_key: { path: '/name', message: 'This vendor already has a site with this name.' },
  teams_site_name_key: { path: '/name', message: 'This site already has a team with this name.' },
  people_vendor_email_key: { path: '/email', message: 'Someone at this vendor already has this email.' },
  people_vendor_employee_ref_key: {
    path: '/employeeRef',
    message: 'Someone at this vendor already has this employee reference.',
  },
  workflows_key_key: { path: '/key', message: 'A workflow with this key already exists.' },
  policies_key_key: { path: '/key', message: 'A policy with this key already exists.' },
  enforcement_actions_pkey: { path: '/key', message: 'An action with this key already exists.' },
  policy_versions_policy_id_version_key: {
    path: '/version',
    message: 'Another change created this version at the same moment; reload and try again.',
  },
  policy_versions_policy_id_effective_from_key: {
    path: '/effectiveFrom',
    message: 'This policy already has a version taking effect at that moment.',
  },
  policy_labels_policy_version_id_key_key: { path: '/labels', message: 'Label keys must be unique.' },
  // References checked by the services first; these answer a race with a concurrent change.
  sites_vendor_id_fkey: { path: '/vendorId', message: 'No such vendor.' },
  teams_workflow_id_fkey: { path: '/workflowId', message: 'No such workflow.' },
  people_team_id_site_id_fkey: { path: '/teamId', message: 'This team is not at this site.' },
  person_workflow_skills_workflow_id_fkey: { path: '/workflowIds', message: 'No such workflow.' },
  workflow_policies_policy_id_fkey: { path: '/policyIds', message: 'No such policy.' },
  policy_version_actions_action_key_fkey: { path: '/allowedActions', message: 'No such enforcement action.' },
  users_email_key: { path: '/email', message: 'A user with this email already exists.' },
  api_tokens_user_name_key: { path: '/name', message: 'You already have an active token with this name.' },
  sampling_plan_versions_one_draft: { path: '/definition', message: 'This workflow already has a draft plan; edit or discard it.' },
  sampling_plan_versions_effective_key: {
    path: '/effectiveFrom',
    message: 'Another plan version of this workflow takes effect at that moment.',
  },
  sampling_plan_versions_workflow_id_version_key: {
    path: '/version',
    message: 'Another change created this plan version at the same moment; reload and try again.',
  },
};

/** A database refusal described for a person; the domain turns it into an AppError. */
export interface DatabaseProblem {
  code: 'CONFLICT' | 'VALIDATION_FAILED' | 'NOT_FOUND' | 'FORBIDDEN';
  message: string;
  details: Array<{ path: string; message: string }>;
}

function problem(code: DatabaseProblem['code'], message: string, details: DatabaseProblem['details'] = []): DatabaseProblem {
  return { code, message, details };
}

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

function isPgError(error: unknown): error is PgError {
  return typeof error === 'object' && error !== null && typeof (error as PgError).code === 'string';
}

export function describeDatabaseError(error: unknown): DatabaseProblem | null {
  if (!isPgError(error)) return null;
  const known = error.constraint ? CONSTRAINTS[error.constraint] : undefined;
  switch (error.code) {
    case '23505': // unique_violation
      return problem(
        'CONFLICT',
        known?.message ?? 'This would duplicate an existing record.',
        known ? [known] : [],
      );
    case '23503': // foreign_key_violation
      return problem('VALIDATION_FAILED', 'This refers to a record that does not exist.', known ? [known] : []);
    case '23514': // check_violation
    case '23502': // not_null_violation
    case '22001': // string_data_right_truncation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
      return problem('VALIDATION_FAILED', known?.message ?? 'A value is not allowed here.', known ? [known] : []);
    case '22P02': // invalid_text_representation, e.g. a malformed uuid
      return problem('NOT_FOUND', 'Not found.');
    case '42501': // insufficient_privilege: row-level security refused to write a row outside scope
      return /row-level security/.test(error.message ?? '')
        ? problem('FORBIDDEN', 'That would place a record outside your scope.')
        : problem('NOT_FOUND', 'Not found.');
    case '23000': // integrity_constraint_violation: a trigger refusing to change an immutable row
      return problem('CONFLICT', error.message ?? 'This record can no longer be changed.');
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return problem('CONFLICT', 'Another change happened at the same moment; try again.');
    default:
      return null;
  }
}

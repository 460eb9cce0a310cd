import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CalibrationTables } from './schema-calibration.ts';
import type { AuditingTables } from './schema-auditing.ts';
import type { TrainingTables } from './schema-training.ts';
import type { XapiTables } from './schema-xapi.ts';
import type { TrainingOperationsTables } from './schema-training-operations.ts';
import type { ReviewTables } from './schema-reviews.ts';

export type { DisputeOutcome, DisputeStatus, ScorecardStatus } from './schema-reviews.ts';

/**
 * Kysely's view of the tables. Keep in step with src/db/migrations.
 * Timestamps come back from pg as Date; dates (`date`) as 'YYYY-MM-DD' strings
 * (see the type parser in database.ts).
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Status = 'active' | 'inactive';

export interface VendorsTable {
  id: Generated<string>;
  name: string;
  code: string;
  is_in_house: Generated<boolean>;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SitesTable {
  id: Generated<string>;
  vendor_id: string;
  name: string;
  country_code: string;
  time_zone: string;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TeamsTable {
  id: Generated<string>;
  vendor_id: string;
  site_id: string;
  name: string;
  workflow_id: string | null;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type JobRole =
  | 'agent'
  | 'qa_specialist'
  | 'qa_lead'
  | 'trainer'
  | 'manager'
  | 'policy_sme'
  | 'analyst';
export type PersonStatus = 'active' | 'on_leave' | 'inactive';

export interface PeopleTable {
  id: Generated<string>;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  full_name: string;
  email: string | null;
  employee_ref: string | null;
  job_role: JobRole;
  hire_date: string;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<PersonStatus, PersonStatus | undefined, PersonStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonWorkflowSkillsTable {
  person_id: string;
  workflow_id: string;
}

export interface WorkflowsTable {
  id: Generated<string>;
  key: string;
  name: string;
  kind: 'moderation' | 'support';
  description: Generated<string>;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EnforcementActionsTable {
  key: string;
  name: string;
  description: Generated<string>;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PoliciesTable {
  id: Generated<string>;
  key: string;
  name: string;
  description: Generated<string>;
  status: ColumnType<Status, Status | undefined, Status>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WorkflowPoliciesTable {
  workflow_id: string;
  policy_id: string;
}

export interface PolicyVersionsTable {
  id: Generated<string>;
  policy_id: string;
  version: number;
  effective_from: ColumnType<Date, Date | string, never>;
  summary: Generated<string>;
  created_at: CreatedAt;
  created_by: string | null;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface PolicyLabelsTable {
  id: Generated<string>;
  policy_version_id: string;
  key: string;
  name: string;
  severity: Severity;
  description: Generated<string>;
  position: Generated<number>;
}

export interface PolicyVersionActionsTable {
  policy_version_id: string;
  action_key: string;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  role: string;
  scope_kind: 'all' | 'vendor' | 'site' | 'team' | 'self';
  scope_ref_id: string | null;
  person_id: string | null;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  last_sign_in_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
  ended_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface SignInAttemptsTable {
  id: Generated<string>;
  email: string;
  ip: string | null;
  succeeded: boolean;
  at: CreatedAt;
}

export interface AppSettingsTable {
  key: string;
  value: unknown;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  vendor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  body: unknown;
  created_at: CreatedAt;
  completed_at: Date | null;
}

export interface DecisionsTable {
  id: string;
  source: string;
  external_id: string;
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  decided_at: ColumnType<Date, Date | string, never>;
  decided_day: string;
  labels: string[];
  policy_version_ids: string[];
  severity: Severity | null;
  action: string;
  handle_time_ms: number;
  content_kind: string;
  content_text: string | null;
  content_url: string | null;
  content_language: string | null;
  model_score: number | null;
  metadata: ColumnType<Record<string, unknown>, string, never>;
  tenure_days: number;
  payload_hash: string;
  sampling_plan_version_id: string | null;
  stratum_key: string | null;
  sampling_p: number | null;
  sampling_u: number | null;
  ingested_at: CreatedAt;
}

export interface ProductionDailyTable {
  day: string;
  agent_id: string;
  workflow_id: string;
  label: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  decisions: number;
  decision_share: number;
  handle_time_ms_sum: ColumnType<string, number | string, number | string>;
  handle_time_share_ms: number;
}

export type PlanStatus = 'draft' | 'active' | 'superseded';

export interface SamplingPlanVersionsTable {
  id: Generated<string>;
  workflow_id: string;
  version: number;
  status: PlanStatus;
  name: string;
  notes: Generated<string>;
  definition: ColumnType<unknown, string, string>;
  seed: string;
  effective_from: Date | null;
  created_at: CreatedAt;
  created_by: string | null;
  activated_at: Date | null;
  activated_by: string | null;
  updated_at: Timestamp;
}

export interface SamplingStrataDailyTable {
  plan_version_id: string;
  day: string;
  stratum_key: string;
  population: number;
  expected: number;
  selected: number;
}

export interface SamplingDayClosesTable {
  plan_version_id: string;
  day: string;
  closed_at: CreatedAt;
  selected: number;
}

export type SampleMethod = 'all' | 'rate' | 'capped_rate' | 'quota';

export interface QaSamplesTable {
  decision_id: string;
  plan_version_id: string;
  stratum_key: string;
  inclusion_probability: number;
  method: SampleMethod;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
  selected_at: CreatedAt;
}

export interface QaWorkflowSettingsTable {
  workflow_id: string;
  turnaround_hours: Generated<number>;
  lease_minutes: Generated<number>;
  internal_reviews_vendor_work: Generated<boolean>;
  blind_mode: Generated<boolean>;
  dispute_window_hours: Generated<number>;
  dispute_sla_hours: Generated<number>;
  updated_at: Timestamp;
}

export interface QaReviewerCapacityTable {
  person_id: string;
  daily_capacity: number;
  updated_at: Timestamp;
}

export type QaTaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

export interface QaTasksTable {
  id: Generated<string>;
  decision_id: string;
  kind: Generated<'sample'>;
  workflow_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
  language: Generated<string>;
  status: ColumnType<QaTaskStatus, QaTaskStatus | undefined, QaTaskStatus>;
  assignee_id: string | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  lease_expires_at: Date | null;
  due_at: ColumnType<Date, Date | string, Date | string>;
  created_at: CreatedAt;
  completed_at: Date | null;
  updated_at: Timestamp;
}

export interface Database extends ReviewTables, CalibrationTables, AuditingTables, TrainingTables, XapiTables, TrainingOperationsTables {
  decisions: DecisionsTable;
  production_daily: ProductionDailyTable;
  sampling_plan_versions: SamplingPlanVersionsTable;
  sampling_strata_daily: SamplingStrataDailyTable;
  sampling_day_closes: SamplingDayClosesTable;
  qa_samples: QaSamplesTable;
  qa_workflow_settings: QaWorkflowSettingsTable;
  qa_reviewer_capacity: QaReviewerCapacityTable;
  qa_tasks: QaTasksTable;
  idempotency_keys: IdempotencyKeysTable;
  vendors: VendorsTable;
  sites: SitesTable;
  teams: TeamsTable;
  people: PeopleTable;
  person_workflow_skills: PersonWorkflowSkillsTable;
  workflows: WorkflowsTable;
  enforcement_actions: EnforcementActionsTable;
  policies: PoliciesTable;
  workflow_policies: WorkflowPoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_labels: PolicyLabelsTable;
  policy_version_actions: PolicyVersionActionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_attempts: SignInAttemptsTable;
  app_settings: AppSettingsTable;
  audit_log: AuditLogTable;
}

export type VendorRow = Selectable<VendorsTable>;
export type NewVendor = Insertable<VendorsTable>;
export type VendorUpdate = Updateable<VendorsTable>;
export type SiteRow = Selectable<SitesTable>;
export type TeamRow = Selectable<TeamsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type UserRow = Selectable<UsersTable>;
export type AuditRow = Selectable<AuditLogTable>;

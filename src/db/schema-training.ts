import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely table types: training programs, courses, assessments, enrolments,
 * certifications and cohorts (issue 7, migration 0012-training). Keep in step
 * with the migration. `numeric` columns come back from pg as strings.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
type Json<T> = ColumnType<T, string, string>;
type WithDefault<T> = ColumnType<T, T | undefined, T>;

export type ContentStatus = 'active' | 'retired';
export type ProgramKind = 'new_hire' | 'continuous';
export type PhaseKind = 'classroom' | 'nesting' | 'production';
export type CourseVersionStatus = 'draft' | 'published' | 'retired';
export type AssessmentItemKind = 'single' | 'multiple' | 'true_false' | 'case';
export type CohortStatus = 'planned' | 'active' | 'completed' | 'cancelled';
export type CohortMemberStatus = 'active' | 'withdrawn' | 'graduated';
export type EnrolmentSource = 'person' | 'team' | 'cohort' | 'rule';
export type EnrolmentStatus = 'assigned' | 'in_progress' | 'completed' | 'withdrawn';
export type AttemptStatus = 'in_progress' | 'submitted' | 'expired';
export type AwardSource = 'assessment' | 'manual';

export interface PolicyExcerptRow {
  policyVersionId: string;
  policyKey: string;
  policyName: string;
  version: number;
  quote: string;
}
export interface ItemOptionRow {
  id: string;
  text: string;
}

export interface TrainingProgramsTable {
  id: Generated<string>;
  vendor_id: string | null;
  workflow_id: string;
  kind: ProgramKind;
  name: string;
  description: WithDefault<string>;
  status: WithDefault<ContentStatus>;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface TrainingProgramPhasesTable {
  id: Generated<string>;
  program_id: string;
  position: number;
  kind: PhaseKind;
  name: string;
  duration_days: number;
  description: WithDefault<string>;
}

export interface CoursesTable {
  id: Generated<string>;
  vendor_id: string | null;
  workflow_id: string;
  program_id: string | null;
  program_phase_id: string | null;
  title: string;
  status: WithDefault<ContentStatus>;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface CourseVersionsTable {
  id: Generated<string>;
  course_id: string;
  version: number;
  status: CourseVersionStatus;
  title: string;
  summary: WithDefault<string>;
  policy_ids: WithDefault<string[]>;
  policy_version_ids: WithDefault<string[]>;
  policy_label_keys: WithDefault<string[]>;
  estimated_minutes: number | null;
  created_at: CreatedAt;
  created_by: string | null;
  published_at: Date | null;
  published_by: string | null;
}

export interface CourseModulesTable {
  id: Generated<string>;
  course_version_id: string;
  position: number;
  title: string;
  body_md: WithDefault<string>;
  required: WithDefault<boolean>;
  policy_excerpts: ColumnType<PolicyExcerptRow[], string | undefined, string>;
  created_at: CreatedAt;
}

export interface CourseModuleAttachmentsTable {
  id: Generated<string>;
  module_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_at: CreatedAt;
  created_by: string | null;
}

export interface AssessmentsTable {
  id: Generated<string>;
  course_version_id: string;
  pass_mark: ColumnType<string, number | string | undefined, number | string>;
  time_limit_minutes: number | null;
  attempts_allowed: number | null;
  form_size: number | null;
  randomise_items: WithDefault<boolean>;
  randomise_options: WithDefault<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AssessmentItemsTable {
  id: Generated<string>;
  assessment_id: string;
  position: number;
  kind: AssessmentItemKind;
  stem: string;
  options: Json<ItemOptionRow[]>;
  correct_option_ids: string[];
  explanation: WithDefault<string>;
  points: ColumnType<string, number | string | undefined, number | string>;
  decision_id: string | null;
  case_snapshot: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface CohortsTable {
  id: Generated<string>;
  vendor_id: string;
  site_id: string;
  workflow_id: string;
  program_id: string | null;
  name: string;
  start_date: string;
  status: WithDefault<CohortStatus>;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface CohortMembersTable {
  cohort_id: string;
  person_id: string;
  status: WithDefault<CohortMemberStatus>;
  joined_at: CreatedAt;
  left_at: Date | null;
}

export interface EnrolmentRulesTable {
  id: Generated<string>;
  vendor_id: string | null;
  site_id: string | null;
  workflow_id: string;
  course_id: string;
  kind: WithDefault<'new_hire'>;
  hired_on_or_after: string;
  due_days: WithDefault<number>;
  status: WithDefault<'active' | 'inactive'>;
  created_at: CreatedAt;
  created_by: string | null;
}

export interface EnrolmentsTable {
  id: Generated<string>;
  person_id: string;
  vendor_id: string;
  site_id: string;
  course_id: string;
  course_version_id: string;
  source: EnrolmentSource;
  source_ref_id: string | null;
  cohort_id: string | null;
  due_at: Date | null;
  status: WithDefault<EnrolmentStatus>;
  started_at: Date | null;
  completed_at: Date | null;
  score: NullableNumeric;
  assigned_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EnrolmentModuleProgressTable {
  enrolment_id: string;
  module_id: string;
  person_id: string;
  first_viewed_at: CreatedAt;
  last_viewed_at: Timestamp;
}

export interface AssessmentAttemptsTable {
  id: Generated<string>;
  assessment_id: string;
  enrolment_id: string;
  person_id: string;
  attempt_number: number;
  seed: string;
  item_ids: string[];
  option_orders: Json<Record<string, string[]>>;
  started_at: CreatedAt;
  deadline_at: Date | null;
  submitted_at: Date | null;
  status: WithDefault<AttemptStatus>;
  score: NullableNumeric;
  points_earned: NullableNumeric;
  points_possible: NullableNumeric;
  passed: boolean | null;
}

export interface AssessmentAttemptAnswersTable {
  attempt_id: string;
  item_id: string;
  person_id: string;
  selected_option_ids: string[];
  correct: boolean;
  points: Numeric;
}

export interface CertificationsTable {
  id: Generated<string>;
  vendor_id: string | null;
  workflow_id: string;
  policy_id: string | null;
  name: string;
  description: WithDefault<string>;
  validity_days: number;
  required_course_id: string;
  holds_off_workflow: WithDefault<boolean>;
  status: WithDefault<ContentStatus>;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface CertificationAwardsTable {
  id: Generated<string>;
  certification_id: string;
  person_id: string;
  vendor_id: string;
  site_id: string;
  source: AwardSource;
  source_attempt_id: string | null;
  source_enrolment_id: string | null;
  awarded_at: Date;
  expires_at: Date;
  awarded_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface TrainingTables {
  training_programs: TrainingProgramsTable;
  training_program_phases: TrainingProgramPhasesTable;
  courses: CoursesTable;
  course_versions: CourseVersionsTable;
  course_modules: CourseModulesTable;
  course_module_attachments: CourseModuleAttachmentsTable;
  assessments: AssessmentsTable;
  assessment_items: AssessmentItemsTable;
  cohorts: CohortsTable;
  cohort_members: CohortMembersTable;
  enrolment_rules: EnrolmentRulesTable;
  enrolments: EnrolmentsTable;
  enrolment_module_progress: EnrolmentModuleProgressTable;
  assessment_attempts: AssessmentAttemptsTable;
  assessment_attempt_answers: AssessmentAttemptAnswersTable;
  certifications: CertificationsTable;
  certification_awards: CertificationAwardsTable;
}

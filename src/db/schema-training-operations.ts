import type { ColumnType, Generated } from 'kysely';

/** Kysely table types: cohort schedules and attendance, nesting, coaching, trainers, reaction surveys, reminders (issue 7; migration 0014). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

/** The person a row is about, copied when written so row-level security can filter it. */
interface PersonScope {
  vendor_id: string;
  site_id: string;
  team_id: string | null;
}

export type CoachingActionStatus = 'open' | 'done' | 'not_done' | 'cancelled';
export type TrainerCertificationKind = 'delivery' | 'coaching' | 'assessment' | 'nesting';
export type ReminderKind = 'due_soon' | 'overdue';
export type AttendanceStatus = 'present' | 'late' | 'absent' | 'excused';
export type GraduationOutcome = 'graduated' | 'extended' | 'exited';

export interface CoachingSessionsTable extends PersonScope {
  id: Generated<string>;
  person_id: string;
  coach_id: string;
  workflow_id: string | null;
  held_on: string;
  topic: string;
  notes: Generated<string>;
  error_types: Generated<string[]>;
  root_causes: Generated<string[]>;
  acknowledged_at: Date | null;
  created_by_user_id: string | null;
  created_by_label: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CoachingSessionReviewsTable extends PersonScope {
  session_id: string;
  review_id: string;
  person_id: string;
}

export interface CoachingActionsTable extends PersonScope {
  id: Generated<string>;
  session_id: string;
  description: string;
  owner_id: string;
  follow_up_on: string;
  status: Generated<CoachingActionStatus>;
  follow_up_note: Generated<string>;
  followed_up_at: Date | null;
  followed_up_by_label: string | null;
  person_id: string;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface TrainerProfilesTable extends PersonScope {
  person_id: string;
  workflow_ids: Generated<string[]>;
  specialities: Generated<string[]>;
  languages: Generated<string[]>;
  bio: Generated<string>;
  status: Generated<'active' | 'inactive'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TrainerCertificationsTable extends PersonScope {
  id: Generated<string>;
  trainer_id: string;
  kind: TrainerCertificationKind;
  workflow_id: string | null;
  awarded_on: string;
  expires_on: string | null;
  notes: Generated<string>;
  awarded_by_label: string;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface TrainerObservationsTable extends PersonScope {
  id: Generated<string>;
  trainer_id: string;
  observer_id: string;
  cohort_session_id: string | null;
  observed_on: string;
  scores: Json<Array<{ key: string; score: number }>>;
  overall: ColumnType<string, number | string, number | string>;
  strengths: Generated<string>;
  improvements: Generated<string>;
  notes: Generated<string>;
  created_by_label: string;
  created_at: CreatedAt;
}

export interface SurveyDefinitionsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  items: Json<unknown>;
  min_group_size: Generated<number>;
  status: Generated<'active' | 'retired'>;
  created_at: CreatedAt;
  /** Migration 0017: the course this survey follows; null for the general survey. */
  course_id: Generated<string | null>;
}

export interface SurveyInvitationsTable extends PersonScope {
  id: Generated<string>;
  survey_id: string;
  person_id: string;
  context_key: string;
  context_label: string;
  course_id: string | null;
  cohort_id: string | null;
  cohort_session_id: string | null;
  trainer_id: string | null;
  sent_at: CreatedAt;
  responded_on: string | null;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  vendor_id: string;
  site_id: string;
  course_id: string | null;
  cohort_id: string | null;
  cohort_session_id: string | null;
  trainer_id: string | null;
  ratings: Json<Record<string, number>>;
  comments: Json<Record<string, string>>;
  submitted_on: string;
}

export interface TrainingRemindersTable extends PersonScope {
  enrolment_id: string;
  kind: ReminderKind;
  sent_on: string;
  person_id: string;
  recipient: string;
  subject: string;
  status: Generated<'sending' | 'sent'>;
  claimed_at: CreatedAt;
  sent_at: Date | null;
}

export interface CohortTrainersTable {
  cohort_id: string;
  person_id: string;
  role: Generated<'lead' | 'co'>;
  added_at: CreatedAt;
}

export type CohortSessionStatus = 'scheduled' | 'completed' | 'cancelled';

export interface CohortSessionsTable {
  id: Generated<string>;
  cohort_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  topic: string;
  location: Generated<string>;
  trainer_id: string | null;
  course_id: string | null;
  status: Generated<CohortSessionStatus>;
  completed_at: Date | null;
  created_at: CreatedAt;
}

export interface CohortAttendanceTable extends PersonScope {
  session_id: string;
  person_id: string;
  status: AttendanceStatus;
  note: Generated<string>;
  recorded_by_label: string;
  recorded_at: Timestamp;
}

export interface CohortNestingTable {
  cohort_id: string;
  starts_on: string;
  ends_on: string;
  min_reviews: number;
  accuracy_target: ColumnType<string, number | string, number | string>;
  critical_error_max: ColumnType<string, number | string, number | string>;
  evidence: Generated<'estimate' | 'interval'>;
  updated_by_label: string;
  updated_at: Timestamp;
}

export interface CohortGraduationsTable extends PersonScope {
  id: Generated<string>;
  cohort_id: string;
  person_id: string;
  outcome: GraduationOutcome;
  decided_on: string;
  note: Generated<string>;
  evidence: Json<unknown>;
  decided_by_label: string;
  created_at: CreatedAt;
}

export interface TrainingOperationsTables {
  cohort_trainers: CohortTrainersTable;
  cohort_sessions: CohortSessionsTable;
  cohort_attendance: CohortAttendanceTable;
  cohort_nesting: CohortNestingTable;
  cohort_graduations: CohortGraduationsTable;
  coaching_sessions: CoachingSessionsTable;
  coaching_session_reviews: CoachingSessionReviewsTable;
  coaching_actions: CoachingActionsTable;
  trainer_profiles: TrainerProfilesTable;
  trainer_certifications: TrainerCertificationsTable;
  trainer_observations: TrainerObservationsTable;
  survey_definitions: SurveyDefinitionsTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
  training_reminders: TrainingRemindersTable;
}

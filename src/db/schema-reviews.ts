/** Kysely table types: scorecards, reviews, disputes, escalations and exposure records (issue 4; migration 0004). */
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ScorecardStatus = 'draft' | 'published' | 'retired';

export interface ScorecardVersionsTable {
  id: Generated<string>;
  workflow_id: string;
  version: number;
  status: ScorecardStatus;
  name: string;
  definition: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  created_by: string | null;
  published_at: Date | null;
  published_by: string | null;
  updated_at: Timestamp;
}

interface ReviewScope {
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
}

export interface ReviewDraftsTable extends ReviewScope {
  task_id: string;
  reviewer_id: string;
  scorecard_version_id: string;
  verdict: ColumnType<unknown, string | null | undefined, string | null>;
  answers: ColumnType<unknown, string | undefined, string>;
  decision_revealed_at: Date | null;
  started_at: CreatedAt;
  active_ms: ColumnType<string, number | string | undefined, number | string>;
  updated_at: Timestamp;
}

export interface ReviewsTable extends ReviewScope {
  id: Generated<string>;
  task_id: string;
  decision_id: string;
  workflow_id: string;
  reviewer_id: string;
  reviewer_vendor_id: string;
  scorecard_version_id: string;
  blind: boolean;
  revision: Generated<number>;
  qa_labels: string[];
  qa_action: string;
  answers: ColumnType<unknown, string, string>;
  score: ColumnType<string, number | string, number | string>;
  passed: boolean;
  critical_failed: boolean;
  correct: boolean;
  error_types: string[];
  root_causes: string[];
  policy_unclear: Generated<boolean>;
  time_on_task_ms: ColumnType<string, number | string, number | string>;
  submitted_at: CreatedAt;
  /** Set when a dispute is raised / when a dispute changed it (feeds the quality rollups). */
  disputed: Generated<boolean>;
  overturned: Generated<boolean>;
  acknowledged_at: Date | null;
  updated_at: Timestamp;
}

export interface ReviewRevisionsTable extends ReviewScope {
  review_id: string;
  revision: number;
  reason: 'submitted' | 'dispute';
  dispute_id: string | null;
  qa_labels: string[];
  qa_action: string;
  answers: ColumnType<unknown, string, never>;
  score: ColumnType<string, number | string, never>;
  passed: boolean;
  critical_failed: boolean;
  correct: boolean;
  error_types: string[];
  root_causes: string[];
  created_at: CreatedAt;
  created_by: string | null;
}

export interface ReviewCommentsTable extends ReviewScope {
  id: Generated<string>;
  review_id: string;
  author_user_id: string | null;
  author_label: string;
  body: string;
  created_at: CreatedAt;
}

export type DisputeStatus = 'open' | 'resolved' | 'withdrawn';
export type DisputeOutcome = 'upheld' | 'overturned' | 'partly';

export interface DisputesTable extends ReviewScope {
  id: Generated<string>;
  review_id: string;
  raised_by_user_id: string | null;
  raised_by_label: string;
  question_keys: ColumnType<string[], string[] | undefined, string[]>;
  reason: string;
  status: ColumnType<DisputeStatus, DisputeStatus | undefined, DisputeStatus>;
  arbiter_id: string | null;
  due_at: ColumnType<Date, Date | string, Date | string>;
  outcome: DisputeOutcome | null;
  outcome_reason: string | null;
  score_before: ColumnType<string, number | string, number | string>;
  score_after: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  resolved_at: Date | null;
  resolved_by_user_id: string | null;
  created_at: CreatedAt;
  workflow_id: string;
}

export interface EscalationsTable extends ReviewScope {
  id: Generated<string>;
  kind: 'policy_unclear';
  decision_id: string;
  task_id: string | null;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  note: string;
  status: ColumnType<'open' | 'answered' | 'closed', 'open' | 'answered' | 'closed' | undefined, 'open' | 'answered' | 'closed'>;
  answer: string | null;
  raised_by_user_id: string | null;
  raised_by_label: string;
  answered_by_user_id: string | null;
  answered_at: Date | null;
  created_at: CreatedAt;
  workflow_id: string;
}

export interface WellbeingPreferencesTable {
  user_id: string;
  preferences: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface ExposureRecordsTable {
  id: Generated<string>;
  user_id: string | null;
  person_id: string | null;
  decision_id: string;
  harm_type: string;
  severity: string | null;
  event: 'view' | 'reveal';
  seconds: ColumnType<string, number | string, never>;
  at: CreatedAt;
  viewer_vendor_id: string | null;
}

export interface ReviewTables {
  scorecard_versions: ScorecardVersionsTable;
  review_drafts: ReviewDraftsTable;
  reviews: ReviewsTable;
  review_revisions: ReviewRevisionsTable;
  review_comments: ReviewCommentsTable;
  disputes: DisputesTable;
  escalations: EscalationsTable;
  wellbeing_preferences: WellbeingPreferencesTable;
  exposure_records: ExposureRecordsTable;
}

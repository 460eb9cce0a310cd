/** Kysely table types: Double review of vendor QA, gold items and reviewer quality (issue 6). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type GoldItemStatus = 'active' | 'retired';

export interface GoldItemsTable {
  id: Generated<string>;
  workflow_id: string;
  source_decision_id: string | null;
  /** NULL = usable for every vendor. */
  vendor_id: string | null;
  content_kind: string;
  content_text: string | null;
  content_url: string | null;
  content_language: string | null;
  severity: string | null;
  expert_labels: string[];
  expert_action: string;
  rationale: ColumnType<string, string | undefined, string>;
  policy_version_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<GoldItemStatus, GoldItemStatus | undefined, GoldItemStatus>;
  created_by: string | null;
  created_at: CreatedAt;
  retired_at: Date | null;
  retired_by: string | null;
}

/** Gold injection rate, double-review share and leniency tolerance per workflow. */
export interface AuditingWorkflowSettingsTable {
  workflow_id: string;
  gold_rate: ColumnType<number, number | undefined, number>;
  double_review_rate: ColumnType<number, number | undefined, number>;
  leniency_tolerance: ColumnType<number, number | undefined, number>;
  seed: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string | null;
}

export interface DoubleReviewDrawsTable {
  review_id: string;
  workflow_id: string;
  reviewer_vendor_id: string;
  rate: number;
  u: number;
  selected: boolean;
  task_id: string | null;
  drawn_at: CreatedAt;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
}

export interface GoldFeedItemsTable {
  id: Generated<string>;
  gold_item_id: string;
  workflow_id: string;
  vendor_id: string | null;
  issued_at: CreatedAt;
  issued_by: string | null;
  matched_decision_id: string | null;
  matched_at: Date | null;
}

export interface GoldResponsesTable {
  id: Generated<string>;
  gold_item_id: string;
  feed_item_id: string;
  decision_id: string;
  workflow_id: string;
  labels: string[];
  action: string;
  labels_correct: boolean;
  action_correct: boolean;
  correct: boolean;
  responded_at: Date | string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
}

export interface AuditingTables {
  gold_items: GoldItemsTable;
  auditing_workflow_settings: AuditingWorkflowSettingsTable;
  double_review_draws: DoubleReviewDrawsTable;
  gold_feed_items: GoldFeedItemsTable;
  gold_responses: GoldResponsesTable;
}

export type GoldItemRow = Selectable<GoldItemsTable>;

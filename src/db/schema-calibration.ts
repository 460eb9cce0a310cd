/** Kysely table types: Calibration sessions and imported external ratings (issue 6; migration 0011). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export type CalibrationKind = 'scored' | 'imported';
export type CalibrationStatus = 'open' | 'closed';
export type CalibrationItemSource = 'decision' | 'gold' | 'upload' | 'imported';
export type ParticipantGroup = 'internal_qa' | 'vendor_qa' | 'trainer' | 'sme' | 'external';

export interface CalibrationSessionsTable {
  id: Generated<string>;
  title: string;
  kind: CalibrationKind;
  workflow_id: string | null;
  scorecard_version_id: string | null;
  label_options: Json;
  action_options: Json;
  rating_field: string | null;
  vendor_id: string | null;
  status: ColumnType<CalibrationStatus, CalibrationStatus | undefined, CalibrationStatus>;
  due_at: Date | null;
  created_by_user_id: string | null;
  created_by_label: string;
  created_at: CreatedAt;
  closed_at: Date | null;
  closed_by_label: string | null;
}

export interface CalibrationItemsTable {
  id: Generated<string>;
  session_id: string;
  position: number;
  source: CalibrationItemSource;
  decision_id: string | null;
  gold_item_id: string | null;
  external_ref: string | null;
  content_kind: ColumnType<string, string | undefined, string>;
  content_text: string | null;
  content_url: string | null;
  content_language: string | null;
  severity: string | null;
  agent_labels: string[] | null;
  agent_action: string | null;
  expert_labels: string[] | null;
  expert_action: string | null;
  expert_answers: ColumnType<unknown, string | null, string | null>;
  expert_note: ColumnType<string, string | undefined, string>;
}

export interface CalibrationParticipantsTable {
  id: Generated<string>;
  session_id: string;
  person_id: string | null;
  external_name: string | null;
  participant_group: ParticipantGroup;
  vendor_id: string | null;
  position: ColumnType<number, number | undefined, number>;
  invited_at: CreatedAt;
  rated_items: ColumnType<number, number | undefined, number>;
  submitted_at: Date | null;
  /** Delegated to set the session's expert answers (migration 0018): does not rate. */
  sets_expert: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface CalibrationRatingsTable {
  item_id: string;
  participant_id: string;
  session_id: string;
  label_category: string;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  action: string | null;
  answers: ColumnType<unknown, string | undefined, string>;
  updated_at: Timestamp;
}

export interface CalibrationNotesTable {
  id: Generated<string>;
  session_id: string;
  item_id: string;
  author_user_id: string | null;
  author_label: string;
  body: string;
  created_at: CreatedAt;
}

export interface CalibrationTables {
  calibration_sessions: CalibrationSessionsTable;
  calibration_items: CalibrationItemsTable;
  calibration_participants: CalibrationParticipantsTable;
  calibration_ratings: CalibrationRatingsTable;
  calibration_notes: CalibrationNotesTable;
}

export type CalibrationSessionRow = Selectable<CalibrationSessionsTable>;
export type CalibrationItemRow = Selectable<CalibrationItemsTable>;
export type CalibrationParticipantRow = Selectable<CalibrationParticipantsTable>;
export type CalibrationRatingRow = Selectable<CalibrationRatingsTable>;

import type { ColumnType, Generated } from 'kysely';

/** Kysely table types: The xAPI Learning Record Store (issue 8, migration 0013). */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string, string>;

export interface XapiCredentialsTable {
  id: Generated<string>;
  name: string;
  key: string;
  secret_hash: string;
  vendor_id: string | null;
  can_read: boolean;
  can_write: boolean;
  authority: Json;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** '1.0.3' or '2.0.0': the version of the credential's last accepted request (migration 0019). */
  last_version: string | null;
}

export interface XapiStatementsTable {
  id: string;
  seq: ColumnType<string, never, never>;
  vendor_id: string | null;
  credential_id: string | null;
  statement: Json;
  actor_ifi: string | null;
  verb_id: string;
  object_activity_id: string | null;
  object_agent_ifi: string | null;
  object_statement_ref: string | null;
  registration: string | null;
  stored: Date | string;
  timestamp: Date | string;
  is_voiding: boolean;
  voided: Generated<boolean>;
  attachment_hashes: string[];
  /** The person Assay knows the statement is about (own training events, or a matched external actor). */
  person_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface XapiStatementAgentsTable {
  statement_id: string;
  vendor_id: string | null;
  ifi: string;
  direct: boolean;
}

export interface XapiStatementActivitiesTable {
  statement_id: string;
  vendor_id: string | null;
  activity_id: string;
  direct: boolean;
}

export interface XapiAttachmentsTable {
  vendor_id: string | null;
  scope_key: string;
  sha2: string;
  content_type: string;
  content: Buffer;
}

export interface XapiDocumentsTable {
  vendor_id: string | null;
  scope_key: string;
  kind: 'state' | 'activity_profile' | 'agent_profile';
  activity_id: string;
  agent_ifi: string;
  registration: string;
  document_id: string;
  content: Buffer;
  content_type: string;
  etag: string;
  updated_at: Date | string;
}

export interface XapiActivitiesTable {
  vendor_id: string | null;
  scope_key: string;
  activity_id: string;
  definition: Json | null;
}

export interface XapiSettingsTable {
  id: Generated<boolean>;
  activity_base: Generated<string>;
  employee_ref_home_page: string | null;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface XapiActivityMappingsTable {
  id: Generated<string>;
  activity_id: string;
  course_id: string;
  vendor_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface XapiEnrolmentCompletionsTable {
  enrolment_id: string;
  statement_id: string;
  person_id: string;
  course_id: string;
  vendor_id: string;
  completed_at: Date | string;
}

export interface XapiForwardingTable {
  id: Generated<boolean>;
  enabled: boolean;
  endpoint: string | null;
  username: string | null;
  /** Never selected by request code (the application role has no grant on it). */
  secret: string | null;
  version: '1.0.3' | '2.0.0';
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface XapiForwardOutboxTable {
  statement_id: string;
  vendor_id: string | null;
  enqueued_at: Generated<Date>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  delivered_at: Date | null;
  last_status: number | null;
  last_error: string | null;
}

export interface XapiTables {
  xapi_credentials: XapiCredentialsTable;
  xapi_statements: XapiStatementsTable;
  xapi_statement_agents: XapiStatementAgentsTable;
  xapi_statement_activities: XapiStatementActivitiesTable;
  xapi_attachments: XapiAttachmentsTable;
  xapi_documents: XapiDocumentsTable;
  xapi_activities: XapiActivitiesTable;
  xapi_settings: XapiSettingsTable;
  xapi_activity_mappings: XapiActivityMappingsTable;
  xapi_enrolment_completions: XapiEnrolmentCompletionsTable;
  xapi_forwarding: XapiForwardingTable;
  xapi_forward_outbox: XapiForwardOutboxTable;
}

import { sql, type Kysely } from 'kysely';

/**
 * The xAPI Learning Record Store (issue 8, docs/decisions/0011).
 *
 * Every LRS row carries the vendor of the credential that wrote it (NULL for an
 * organisation-wide credential) and `scope_key` (the vendor id as text, or 'all')
 * so documents and attachments have one natural key per scope. Requests from a
 * credential run as assay_app with that credential's scope, and the policies
 * below let a vendor credential see only its vendor's rows; an organisation-wide
 * credential sees everything.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE FUNCTION assay_xapi_visible(v uuid) RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT coalesce(assay_scope_kind() = 'all' OR (assay_scope_kind() = 'vendor' AND v = assay_scope_id('vendor')), false)
$f$;

CREATE TABLE xapi_credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  key text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  vendor_id uuid REFERENCES vendors (id),
  can_read boolean NOT NULL DEFAULT true,
  can_write boolean NOT NULL DEFAULT true,
  authority jsonb NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK (can_read OR can_write)
);

CREATE TABLE xapi_statements (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  vendor_id uuid REFERENCES vendors (id),
  credential_id uuid REFERENCES xapi_credentials (id),
  statement jsonb NOT NULL,
  actor_ifi text,
  verb_id text NOT NULL,
  object_activity_id text,
  object_agent_ifi text,
  object_statement_ref uuid,
  registration uuid,
  stored timestamptz NOT NULL,
  "timestamp" timestamptz NOT NULL,
  is_voiding boolean NOT NULL DEFAULT false,
  voided boolean NOT NULL DEFAULT false,
  attachment_hashes text[] NOT NULL DEFAULT '{}'
);
-- Queries page by seq (the store order) within the caller's scope; the filters below are the
-- parameters real clients send most: an agent's statements, a verb, an activity, a registration.
CREATE INDEX xapi_statements_scope_seq ON xapi_statements (vendor_id, seq);
CREATE INDEX xapi_statements_verb ON xapi_statements (verb_id, seq);
CREATE INDEX xapi_statements_registration ON xapi_statements (registration, seq) WHERE registration IS NOT NULL;
CREATE INDEX xapi_statements_ref ON xapi_statements (object_statement_ref) WHERE object_statement_ref IS NOT NULL;
CREATE INDEX xapi_statements_stored ON xapi_statements (stored);

-- Every agent and activity a statement mentions, for agent/activity and related_* filters.
-- direct = the statement's actor or object (the plain filter); otherwise related only.
CREATE TABLE xapi_statement_agents (
  statement_id uuid NOT NULL REFERENCES xapi_statements (id) ON DELETE CASCADE,
  vendor_id uuid REFERENCES vendors (id),
  ifi text NOT NULL,
  direct boolean NOT NULL,
  PRIMARY KEY (statement_id, ifi, direct)
);
CREATE INDEX xapi_statement_agents_ifi ON xapi_statement_agents (ifi, statement_id);

CREATE TABLE xapi_statement_activities (
  statement_id uuid NOT NULL REFERENCES xapi_statements (id) ON DELETE CASCADE,
  vendor_id uuid REFERENCES vendors (id),
  activity_id text NOT NULL,
  direct boolean NOT NULL,
  PRIMARY KEY (statement_id, activity_id, direct)
);
CREATE INDEX xapi_statement_activities_activity ON xapi_statement_activities (activity_id, statement_id);

CREATE TABLE xapi_attachments (
  vendor_id uuid REFERENCES vendors (id),
  scope_key text NOT NULL,
  sha2 text NOT NULL,
  content_type text NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (scope_key, sha2)
);

-- State, activity profile and agent profile documents. Unused key parts are ''.
CREATE TABLE xapi_documents (
  vendor_id uuid REFERENCES vendors (id),
  scope_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
  activity_id text NOT NULL DEFAULT '',
  agent_ifi text NOT NULL DEFAULT '',
  registration text NOT NULL DEFAULT '',
  document_id text NOT NULL,
  content bytea NOT NULL,
  content_type text NOT NULL,
  etag text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope_key, kind, activity_id, agent_ifi, registration, document_id)
);
CREATE INDEX xapi_documents_updated ON xapi_documents (scope_key, kind, activity_id, agent_ifi, updated_at);

-- The canonical definition of each activity, merged from the statements that carry one.
CREATE TABLE xapi_activities (
  vendor_id uuid REFERENCES vendors (id),
  scope_key text NOT NULL,
  activity_id text NOT NULL,
  definition jsonb,
  PRIMARY KEY (scope_key, activity_id)
);

ALTER TABLE xapi_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_statements ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_statement_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_statement_activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY xapi_credentials_scope ON xapi_credentials TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_statements_scope ON xapi_statements TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_statement_agents_scope ON xapi_statement_agents TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_statement_activities_scope ON xapi_statement_activities TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_attachments_scope ON xapi_attachments TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_documents_scope ON xapi_documents TO assay_app USING (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_activities_scope ON xapi_activities TO assay_app USING (assay_xapi_visible(vendor_id));
GRANT SELECT, INSERT, UPDATE ON xapi_credentials, xapi_statements, xapi_attachments, xapi_activities TO assay_app;
GRANT SELECT, INSERT ON xapi_statement_agents, xapi_statement_activities TO assay_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON xapi_documents TO assay_app;

-- Assay's own training events as statements (docs/decisions/0011, "Assay's own statements"):
-- one settings row (the IRI base of Assay's activities, verbs and agent accounts), and the
-- person a statement is about when Assay knows them (own events, or an external LMS's actor
-- matched to a person at store time).
CREATE TABLE xapi_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  activity_base text NOT NULL DEFAULT 'https://assay.local/xapi/' CHECK (activity_base ~ '^https?://[^ ]+/$'),
  -- External actors identified by an account on this home page are matched to people by employee_ref.
  employee_ref_home_page text CHECK (employee_ref_home_page IS NULL OR length(employee_ref_home_page) BETWEEN 1 AND 2000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);
INSERT INTO xapi_settings (id) VALUES (true);
GRANT SELECT, UPDATE ON xapi_settings TO assay_app;
ALTER TABLE xapi_statements ADD COLUMN person_id uuid REFERENCES people (id);
CREATE INDEX xapi_statements_person ON xapi_statements (person_id, seq) WHERE person_id IS NOT NULL;

-- External activities an administrator maps to Assay courses: a completed/passed statement on
-- one, for a linked person, completes that person's open enrolment on the course. vendor_id is
-- the course's vendor (NULL: an organisation-wide course, seen by every credential).
CREATE TABLE xapi_activity_mappings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  activity_id text NOT NULL CHECK (length(activity_id) BETWEEN 1 AND 2000),
  course_id uuid NOT NULL REFERENCES courses (id),
  vendor_id uuid REFERENCES vendors (id),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (activity_id, course_id)
);
-- Which enrolments an external statement completed (the completion's source), once per enrolment.
CREATE TABLE xapi_enrolment_completions (
  enrolment_id uuid PRIMARY KEY REFERENCES enrolments (id),
  statement_id uuid NOT NULL REFERENCES xapi_statements (id),
  person_id uuid NOT NULL REFERENCES people (id),
  course_id uuid NOT NULL REFERENCES courses (id),
  vendor_id uuid NOT NULL REFERENCES vendors (id),
  completed_at timestamptz NOT NULL
);
ALTER TABLE xapi_activity_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE xapi_enrolment_completions ENABLE ROW LEVEL SECURITY;
CREATE POLICY xapi_activity_mappings_read ON xapi_activity_mappings FOR SELECT TO assay_app USING (vendor_id IS NULL OR assay_xapi_visible(vendor_id));
CREATE POLICY xapi_activity_mappings_write ON xapi_activity_mappings FOR ALL TO assay_app USING (assay_xapi_visible(vendor_id)) WITH CHECK (assay_xapi_visible(vendor_id));
CREATE POLICY xapi_enrolment_completions_scope ON xapi_enrolment_completions TO assay_app USING (assay_xapi_visible(vendor_id));
GRANT SELECT, INSERT, DELETE ON xapi_activity_mappings TO assay_app;
GRANT SELECT, INSERT ON xapi_enrolment_completions TO assay_app;

-- Forwarding Assay's own statements to an external LRS: one settings row and an outbox filled in
-- the transaction that stores the statement, drained by the xapi.forward job. The Basic secret is
-- never readable by the application role (column grants): only the job, as the owner, reads it.
CREATE TABLE xapi_forwarding (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  enabled boolean NOT NULL DEFAULT false,
  endpoint text CHECK (endpoint IS NULL OR endpoint ~ '^https?://'),
  username text,
  secret text,
  version text NOT NULL DEFAULT '1.0.3' CHECK (version IN ('1.0.3', '2.0.0')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id),
  CHECK (NOT enabled OR (endpoint IS NOT NULL AND username IS NOT NULL AND secret IS NOT NULL))
);
INSERT INTO xapi_forwarding (id) VALUES (true);
GRANT SELECT (id, enabled, endpoint, username, version, updated_at, updated_by) ON xapi_forwarding TO assay_app;
GRANT UPDATE ON xapi_forwarding TO assay_app;
CREATE FUNCTION assay_xapi_forwarding_has_secret() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT secret IS NOT NULL FROM xapi_forwarding
$f$;
CREATE TABLE xapi_forward_outbox (
  statement_id uuid PRIMARY KEY REFERENCES xapi_statements (id),
  vendor_id uuid REFERENCES vendors (id),
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  last_status integer,
  last_error text
);
CREATE INDEX xapi_forward_outbox_due ON xapi_forward_outbox (next_attempt_at) WHERE delivered_at IS NULL;
ALTER TABLE xapi_forward_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY xapi_forward_outbox_scope ON xapi_forward_outbox TO assay_app USING (assay_xapi_visible(vendor_id));
GRANT SELECT ON xapi_forward_outbox TO assay_app;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP TABLE xapi_forward_outbox, xapi_forwarding, xapi_enrolment_completions, xapi_activity_mappings, xapi_settings, xapi_activities, xapi_documents, xapi_attachments, xapi_statement_activities, xapi_statement_agents, xapi_statements, xapi_credentials;
DROP FUNCTION assay_xapi_forwarding_has_secret();
DROP FUNCTION assay_xapi_visible(uuid);
`,
    )
    .execute(db);
}

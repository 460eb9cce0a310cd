import { sql, type Kysely } from 'kysely';

/**
 * Scorecards, reviews with their revision history, review drafts, feedback
 * comments, disputes, gray-area escalations, wellbeing preferences and
 * exposure records. Reviews, disputes and escalations are scoped like the
 * decision they are about (the agent's vendor, site and team).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- One scorecard per workflow, versioned. A draft is editable; publishing makes
-- it the workflow's current version (the previous one is retired). A published
-- or retired version never changes: reviews keep the version they used.
CREATE TABLE scorecard_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  published_at timestamptz,
  published_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, version)
);
CREATE UNIQUE INDEX scorecard_versions_one_draft ON scorecard_versions (workflow_id) WHERE status = 'draft';
CREATE UNIQUE INDEX scorecard_versions_one_published ON scorecard_versions (workflow_id) WHERE status = 'published';

CREATE FUNCTION assay_scorecard_version_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.definition IS DISTINCT FROM OLD.definition OR NEW.name IS DISTINCT FROM OLD.name) THEN
    RAISE EXCEPTION 'a published scorecard version cannot change; create a new version' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  NEW.updated_at = now();
  RETURN NEW;
END
$f$;
CREATE TRIGGER scorecard_versions_fixed BEFORE UPDATE ON scorecard_versions
  FOR EACH ROW EXECUTE FUNCTION assay_scorecard_version_is_fixed();

-- Review settings per workflow, next to the queue's.
ALTER TABLE qa_workflow_settings
  ADD COLUMN blind_mode boolean NOT NULL DEFAULT true,
  ADD COLUMN dispute_window_hours integer NOT NULL DEFAULT 168 CHECK (dispute_window_hours BETWEEN 0 AND 2160),
  ADD COLUMN dispute_sla_hours integer NOT NULL DEFAULT 72 CHECK (dispute_sla_hours BETWEEN 1 AND 720);

-- A reviewer's work in progress on a task, autosaved.
CREATE TABLE review_drafts (
  task_id uuid PRIMARY KEY REFERENCES qa_tasks (id),
  reviewer_id uuid NOT NULL REFERENCES people (id),
  scorecard_version_id uuid NOT NULL REFERENCES scorecard_versions (id),
  verdict jsonb,
  answers jsonb NOT NULL DEFAULT '[]',
  -- In blind mode the agent's decision is shown only once the reviewer's own verdict is recorded.
  decision_revealed_at timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  active_ms bigint NOT NULL DEFAULT 0,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The current state of each review; every state it has had is in review_revisions.
CREATE TABLE reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id uuid NOT NULL UNIQUE REFERENCES qa_tasks (id),
  decision_id uuid NOT NULL REFERENCES decisions (id),
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  reviewer_id uuid NOT NULL REFERENCES people (id),
  reviewer_vendor_id uuid NOT NULL,
  scorecard_version_id uuid NOT NULL REFERENCES scorecard_versions (id),
  blind boolean NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  qa_labels text[] NOT NULL,
  qa_action text NOT NULL,
  answers jsonb NOT NULL,
  score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
  passed boolean NOT NULL,
  critical_failed boolean NOT NULL,
  correct boolean NOT NULL,
  error_types text[] NOT NULL,
  root_causes text[] NOT NULL,
  policy_unclear boolean NOT NULL DEFAULT false,
  time_on_task_ms bigint NOT NULL CHECK (time_on_task_ms >= 0),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_agent_idx ON reviews (agent_id, submitted_at DESC);
CREATE INDEX reviews_reviewer_idx ON reviews (reviewer_id, submitted_at DESC);
CREATE INDEX reviews_submitted_idx ON reviews (submitted_at);

CREATE TABLE review_revisions (
  review_id uuid NOT NULL REFERENCES reviews (id),
  revision integer NOT NULL,
  reason text NOT NULL CHECK (reason IN ('submitted', 'dispute')),
  dispute_id uuid,
  qa_labels text[] NOT NULL,
  qa_action text NOT NULL,
  answers jsonb NOT NULL,
  score numeric(5, 2) NOT NULL,
  passed boolean NOT NULL,
  critical_failed boolean NOT NULL,
  correct boolean NOT NULL,
  error_types text[] NOT NULL,
  root_causes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  PRIMARY KEY (review_id, revision)
);

CREATE TABLE review_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews (id),
  author_user_id uuid REFERENCES users (id),
  author_label text NOT NULL,
  body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL
);
CREATE INDEX review_comments_review_idx ON review_comments (review_id, created_at);

CREATE TABLE disputes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews (id),
  raised_by_user_id uuid REFERENCES users (id),
  raised_by_label text NOT NULL,
  question_keys text[] NOT NULL DEFAULT '{}',
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 4000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'withdrawn')),
  arbiter_id uuid REFERENCES people (id),
  due_at timestamptz NOT NULL,
  outcome text CHECK (outcome IN ('upheld', 'overturned', 'partly')),
  outcome_reason text,
  score_before numeric(5, 2) NOT NULL,
  score_after numeric(5, 2),
  resolved_at timestamptz,
  resolved_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  CHECK ((status = 'resolved') = (outcome IS NOT NULL))
);
CREATE UNIQUE INDEX disputes_one_open_per_review ON disputes (review_id) WHERE status = 'open';
CREATE INDEX disputes_open_idx ON disputes (due_at) WHERE status = 'open';

-- Gray areas: "policy unclear" from a reviewer, for a policy SME.
CREATE TABLE escalations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('policy_unclear')),
  decision_id uuid NOT NULL REFERENCES decisions (id),
  task_id uuid REFERENCES qa_tasks (id),
  labels text[] NOT NULL DEFAULT '{}',
  note text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 4000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  answer text,
  raised_by_user_id uuid REFERENCES users (id),
  raised_by_label text NOT NULL,
  answered_by_user_id uuid,
  answered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL
);
CREATE INDEX escalations_open_idx ON escalations (created_at) WHERE status = 'open';

-- Personal wellbeing preferences, within the limits an administrator sets
-- (app_settings 'wellbeing').
CREATE TABLE wellbeing_preferences (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  preferences jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- What each person was shown: per view or reveal, the harm type and how long.
CREATE TABLE exposure_records (
  id bigserial PRIMARY KEY,
  user_id uuid REFERENCES users (id),
  person_id uuid REFERENCES people (id),
  decision_id uuid NOT NULL,
  harm_type text NOT NULL,
  severity text,
  event text NOT NULL CHECK (event IN ('view', 'reveal')),
  seconds numeric(10, 1) NOT NULL CHECK (seconds >= 0),
  at timestamptz NOT NULL DEFAULT now(),
  -- The viewer's own organisation position: exposure is about the viewer, not the agent.
  viewer_vendor_id uuid
);
CREATE INDEX exposure_records_person_idx ON exposure_records (person_id, at);
CREATE INDEX exposure_records_user_idx ON exposure_records (user_id, at);

ALTER TABLE review_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE escalations ENABLE ROW LEVEL SECURITY;
ALTER TABLE wellbeing_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE exposure_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY review_drafts_scope ON review_drafts TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY reviews_scope ON reviews TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY review_revisions_scope ON review_revisions TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY review_comments_scope ON review_comments TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY disputes_scope ON disputes TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY escalations_scope ON escalations TO assay_app USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
-- Own preferences only.
CREATE POLICY wellbeing_preferences_owner ON wellbeing_preferences TO assay_app
  USING (user_id = nullif(current_setting('assay.user_id', true), '')::uuid);
-- Exposure is personal: a person's own records, or in aggregate for scope all (wellbeing leads);
-- scoped viewers see their own vendor's people's records.
CREATE POLICY exposure_records_read ON exposure_records FOR SELECT TO assay_app
  USING (assay_scope_kind() = 'all' OR user_id = nullif(current_setting('assay.user_id', true), '')::uuid
         OR viewer_vendor_id = assay_scope_id('vendor'));
CREATE POLICY exposure_records_append ON exposure_records FOR INSERT TO assay_app
  WITH CHECK (user_id = nullif(current_setting('assay.user_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON scorecard_versions, review_drafts, reviews, disputes, escalations, wellbeing_preferences TO assay_app;
GRANT DELETE ON scorecard_versions, review_drafts TO assay_app;
GRANT SELECT, INSERT ON review_revisions, review_comments, exposure_records TO assay_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO assay_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The reviews migration cannot be reverted; restore a backup instead.');
}

import { sql, type Kysely } from 'kysely';
import { answersWithoutComments, TENURE_BAND } from './0007-analyst-views.ts';

/**
 * Auditing the auditors (issue 6): gold items with an expert answer, their
 * unannounced injection into QA reviewers' queues and into agents' queues
 * upstream, the responses scored against the expert answer, and blind double
 * review of vendor QA by internal QA. See docs/decisions/0009.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- A gold item: content with an expert answer, made from a decided item or entered.
-- vendor_id NULL = usable for every vendor.
CREATE TABLE gold_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  source_decision_id uuid REFERENCES decisions (id),
  vendor_id uuid REFERENCES vendors (id),
  content_kind text NOT NULL CHECK (length(content_kind) BETWEEN 1 AND 50),
  content_text text,
  content_url text,
  content_language text,
  severity text CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  expert_labels text[] NOT NULL,
  expert_action text NOT NULL,
  rationale text NOT NULL DEFAULT '',
  policy_version_ids uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  retired_by uuid REFERENCES users (id)
);
CREATE INDEX gold_items_workflow_idx ON gold_items (workflow_id, status, created_at DESC);

ALTER TABLE gold_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY gold_items_scope ON gold_items TO assay_app
  USING (assay_scope_kind() = 'all'
         OR (assay_scope_kind() = 'vendor' AND (vendor_id IS NULL OR vendor_id = assay_scope_id('vendor'))));
GRANT SELECT, INSERT, UPDATE ON gold_items TO assay_app;

-- Per workflow: how often gold items are slipped into reviewers' queues (per
-- reviewer per run), the share of vendor-QA reviews re-reviewed blind by
-- internal QA, the leniency a vendor may show before it is flagged, and the
-- seed of the draws (known selection probabilities, independent of outcomes).
CREATE TABLE auditing_workflow_settings (
  workflow_id uuid PRIMARY KEY REFERENCES workflows (id),
  gold_rate double precision NOT NULL DEFAULT 0 CHECK (gold_rate >= 0 AND gold_rate <= 0.2),
  double_review_rate double precision NOT NULL DEFAULT 0 CHECK (double_review_rate >= 0 AND double_review_rate <= 1),
  leniency_tolerance double precision NOT NULL DEFAULT 0.02 CHECK (leniency_tolerance >= 0 AND leniency_tolerance <= 0.5),
  seed text NOT NULL DEFAULT 'assay-audit' CHECK (length(seed) BETWEEN 1 AND 100),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);
GRANT SELECT, INSERT, UPDATE ON auditing_workflow_settings TO assay_app;

-- Why a task or review exists. Never presented by the API: a gold or
-- double-review task must look like any other to the reviewer doing it.
ALTER TABLE qa_tasks
  ADD COLUMN purpose text NOT NULL DEFAULT 'primary' CHECK (purpose IN ('primary', 'gold', 'double_review')),
  ADD COLUMN gold_item_id uuid REFERENCES gold_items (id),
  ADD COLUMN double_review_of uuid,
  ADD CONSTRAINT qa_tasks_purpose_links CHECK (
    (purpose = 'gold') = (gold_item_id IS NOT NULL) AND (purpose = 'double_review') = (double_review_of IS NOT NULL));
-- Gold and double-review tasks share the decision of a primary task. Their
-- kind is 'audit', so what joins a decision to "its" task (kind 'sample')
-- still finds exactly one.
ALTER TABLE qa_tasks DROP CONSTRAINT qa_tasks_decision_id_kind_key;
ALTER TABLE qa_tasks DROP CONSTRAINT qa_tasks_kind_check;
ALTER TABLE qa_tasks ADD CONSTRAINT qa_tasks_kind_check CHECK (kind IN ('sample', 'audit') AND (kind = 'sample') = (purpose = 'primary'));
CREATE UNIQUE INDEX qa_tasks_primary_decision_key ON qa_tasks (decision_id, kind) WHERE purpose = 'primary';
CREATE UNIQUE INDEX qa_tasks_double_review_key ON qa_tasks (double_review_of) WHERE double_review_of IS NOT NULL;
CREATE INDEX qa_tasks_gold_item_idx ON qa_tasks (gold_item_id) WHERE gold_item_id IS NOT NULL;

ALTER TABLE reviews ADD COLUMN purpose text NOT NULL DEFAULT 'primary' CHECK (purpose IN ('primary', 'gold', 'double_review'));
CREATE INDEX reviews_non_primary_idx ON reviews (purpose, reviewer_id) WHERE purpose <> 'primary';
-- A gold or double review is seen by the reviewer who wrote it (their own
-- list must look as usual) and by the auditing reads, which say so in
-- assay.auditing for their transaction; never by the agent or in metrics.
CREATE POLICY reviews_audit_only ON reviews AS RESTRICTIVE TO assay_app
  USING (purpose = 'primary'
         OR reviewer_id = nullif(current_setting('assay.actor_person', true), '')::uuid
         OR current_setting('assay.auditing', true) = 'on');

-- Only primary reviews feed the quality rollups (agent metrics): latest
-- definition from migration 0006, with the purpose filter.
CREATE OR REPLACE FUNCTION assay_review_facts(rs reviews[]) RETURNS TABLE (
  day date, workflow_id uuid, stratum text, vendor_id uuid, site_id uuid, team_id uuid, agent_id uuid, reviewer_id uuid,
  reviewer_vendor_id uuid, severity text, tenure_band text, w double precision, correct boolean, critical_failed boolean,
  passed boolean, score double precision, time_on_task_ms bigint, agent_violating boolean, qa_violating boolean,
  disputed boolean, overturned boolean, agent_labels text[], qa_labels text[], error_types text[], root_causes text[]
) LANGUAGE sql STABLE AS $f$
  SELECT (d.decided_at AT TIME ZONE 'UTC')::date, r.workflow_id,
         coalesce(s.plan_version_id::text || ':' || s.stratum_key, 'unsampled'),
         r.vendor_id, r.site_id, r.team_id, r.agent_id, r.reviewer_id, r.reviewer_vendor_id,
         coalesce(d.severity, ''),
         CASE WHEN d.tenure_days IS NULL THEN 'unknown' WHEN d.tenure_days < 30 THEN 'nesting'
              WHEN d.tenure_days < 90 THEN 'ramping' ELSE 'established' END,
         1.0 / coalesce(s.inclusion_probability, 1),
         r.correct, r.critical_failed, r.passed, r.score::double precision, r.time_on_task_ms::bigint,
         cardinality(d.labels) > 0, cardinality(r.qa_labels) > 0, r.disputed, r.overturned,
         d.labels, r.qa_labels, r.error_types, r.root_causes
  FROM unnest(rs) r
  JOIN decisions d ON d.id = r.decision_id
  LEFT JOIN qa_samples s ON s.decision_id = r.decision_id
  WHERE r.purpose = 'primary'
$f$;

-- The seeded draw of each vendor-QA review for double review: u in [0, 1)
-- from the review id and the workflow's seed, selected when u < rate. Kept,
-- so the selection probability of every pair is known.
CREATE TABLE double_review_draws (
  review_id uuid PRIMARY KEY REFERENCES reviews (id),
  workflow_id uuid NOT NULL,
  reviewer_vendor_id uuid NOT NULL,
  rate double precision NOT NULL,
  u double precision NOT NULL,
  selected boolean NOT NULL,
  task_id uuid REFERENCES qa_tasks (id),
  drawn_at timestamptz NOT NULL DEFAULT now(),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL
);
CREATE INDEX double_review_draws_selected_idx ON double_review_draws (workflow_id, drawn_at) WHERE selected;

-- Gold items handed to the upstream tool for agents' queues; the opaque id
-- comes back as the decision's external id.
CREATE TABLE gold_feed_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  gold_item_id uuid NOT NULL REFERENCES gold_items (id),
  workflow_id uuid NOT NULL,
  vendor_id uuid REFERENCES vendors (id),
  issued_at timestamptz NOT NULL DEFAULT now(),
  issued_by uuid REFERENCES users (id),
  matched_decision_id uuid,
  matched_at timestamptz
);
CREATE INDEX gold_feed_items_open_idx ON gold_feed_items (workflow_id, issued_at) WHERE matched_decision_id IS NULL;

-- An agent's answer to a gold item, scored against the expert answer.
-- (Reviewers' answers are their reviews of gold tasks.)
CREATE TABLE gold_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  gold_item_id uuid NOT NULL REFERENCES gold_items (id),
  feed_item_id uuid NOT NULL UNIQUE REFERENCES gold_feed_items (id),
  decision_id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  labels text[] NOT NULL,
  action text NOT NULL,
  labels_correct boolean NOT NULL,
  action_correct boolean NOT NULL,
  correct boolean NOT NULL,
  responded_at timestamptz NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL
);
CREATE INDEX gold_responses_agent_idx ON gold_responses (agent_id, responded_at);

ALTER TABLE double_review_draws ENABLE ROW LEVEL SECURITY;
ALTER TABLE gold_feed_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE gold_responses ENABLE ROW LEVEL SECURITY;
-- Never visible to a person-, team- or site-scoped viewer: agents and reviewers are who these measure.
CREATE POLICY double_review_draws_scope ON double_review_draws TO assay_app
  USING (assay_scope_kind() IN ('all', 'vendor') AND assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY gold_feed_items_scope ON gold_feed_items TO assay_app
  USING (assay_scope_kind() = 'all' OR (assay_scope_kind() = 'vendor' AND (vendor_id IS NULL OR vendor_id = assay_scope_id('vendor'))));
CREATE POLICY gold_responses_scope ON gold_responses TO assay_app
  USING (assay_scope_kind() IN ('all', 'vendor') AND assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
GRANT SELECT, INSERT, UPDATE ON double_review_draws, gold_feed_items, gold_responses TO assay_app;
`,
    )
    .execute(db);
  // Analysts' reviews are the ones the quality figures are made of (0007's view, restated with the
  // purpose filter): gold and double reviews measure the reviewers, not the agents.
  await sql
    .raw(
      `
CREATE OR REPLACE VIEW analyst.reviews AS
SELECT r.id AS review_id, r.decision_id, r.task_id, r.workflow_id, r.vendor_id, r.site_id, r.team_id, r.agent_id,
       r.reviewer_id, r.reviewer_vendor_id, r.scorecard_version_id, r.blind AS blind_review, r.revision AS current_revision,
       d.decided_at, d.decided_day AS decision_day, d.labels AS decision_labels, d.action AS decision_action,
       d.severity AS decision_severity, ${TENURE_BAND} AS tenure_band,
       r.qa_labels, r.qa_action, r.score, r.passed, r.critical_failed, r.correct, r.error_types, r.root_causes,
       r.policy_unclear, r.time_on_task_ms, r.submitted_at, r.acknowledged_at, r.disputed, r.overturned,
       s.inclusion_probability, 1.0 / coalesce(s.inclusion_probability, 1) AS weight,
       coalesce(s.plan_version_id::text || ':' || s.stratum_key, 'unsampled') AS design_stratum,
       s.plan_version_id AS sampling_plan_version_id, s.stratum_key AS sampling_stratum_key, s.method AS sampling_method,
       ${answersWithoutComments('r.answers')} AS scorecard_answers
FROM public.reviews r
JOIN public.decisions d ON d.id = r.decision_id
LEFT JOIN public.qa_samples s ON s.decision_id = r.decision_id
WHERE r.purpose = 'primary';
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The auditing migration cannot be reverted; restore a backup instead.');
}

import { sql, type Kysely } from 'kysely';

/**
 * Decisions from the upstream moderation tool, production aggregates, sampling
 * plans and the QA task queue. See docs/decisions/0004 for the sampling design.
 *
 * A decision's id is derived from (source, external id) (src/domain/decisions/
 * decision-identity.ts), so the primary key is also the "unique per source"
 * constraint and a re-run computes the same ids: no second unique index to
 * maintain on the hot ingest path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- No foreign keys on the ingest path: a per-row referential check would cost
-- more than the insert itself. Ingestion resolves workflow and agent against
-- the catalogue in the same transaction, and workflows and people are never
-- deleted (only deactivated), so the references cannot dangle.
CREATE TABLE decisions (
  id uuid PRIMARY KEY,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  workflow_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  -- The agent's place in the organisation when the decision was ingested:
  -- scope and aggregates follow where the work was done, not later moves.
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  decided_at timestamptz NOT NULL,
  decided_day date NOT NULL,
  labels text[] NOT NULL,
  -- The version of each labelled policy in force at decided_at.
  policy_version_ids uuid[] NOT NULL,
  severity text CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  action text NOT NULL,
  handle_time_ms integer NOT NULL CHECK (handle_time_ms >= 0),
  content_kind text NOT NULL,
  content_text text,
  content_url text,
  content_language text,
  model_score real CHECK (model_score BETWEEN 0 AND 1),
  metadata jsonb NOT NULL DEFAULT '{}',
  tenure_days integer NOT NULL,
  payload_hash text NOT NULL,
  -- Sampling: the plan version in force at decided_at, the stratum the
  -- decision fell in, the design probability and the seeded uniform draw.
  sampling_plan_version_id uuid,
  stratum_key text,
  sampling_p double precision,
  sampling_u double precision,
  ingested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_decided_at_idx ON decisions (decided_at);
CREATE INDEX decisions_agent_decided_idx ON decisions (agent_id, decided_at);

-- Denominators for rates, AHT and volume: one row per day x agent x workflow x
-- label ('' = no violation). A decision with k labels adds 1 to \`decisions\`
-- of each of its labels and 1/k to \`decision_share\`, so per-label volumes
-- and totals over labels (sum of decision_share) are both exact.
CREATE TABLE production_daily (
  day date NOT NULL,
  agent_id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  label text NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  decisions integer NOT NULL,
  decision_share double precision NOT NULL,
  handle_time_ms_sum bigint NOT NULL,
  handle_time_share_ms double precision NOT NULL,
  PRIMARY KEY (day, agent_id, workflow_id, label)
);
CREATE INDEX production_daily_workflow_day_idx ON production_daily (workflow_id, day);

-- One plan per workflow, versioned. A draft is editable; activating it fixes
-- its definition and effective_from (immutable from then on).
CREATE TABLE sampling_plan_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft', 'active', 'superseded')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  notes text NOT NULL DEFAULT '',
  definition jsonb NOT NULL,
  seed text NOT NULL,
  effective_from timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  activated_at timestamptz,
  activated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, version),
  CHECK ((status = 'draft') = (effective_from IS NULL))
);
CREATE UNIQUE INDEX sampling_plan_versions_one_draft ON sampling_plan_versions (workflow_id) WHERE status = 'draft';
CREATE UNIQUE INDEX sampling_plan_versions_effective_key ON sampling_plan_versions (workflow_id, effective_from) WHERE effective_from IS NOT NULL;

CREATE FUNCTION assay_plan_version_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.definition IS DISTINCT FROM OLD.definition
      OR NEW.seed IS DISTINCT FROM OLD.seed OR NEW.effective_from IS DISTINCT FROM OLD.effective_from) THEN
    RAISE EXCEPTION 'an activated sampling plan version cannot change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  NEW.updated_at = now();
  RETURN NEW;
END
$f$;
CREATE TRIGGER sampling_plan_versions_fixed BEFORE UPDATE ON sampling_plan_versions
  FOR EACH ROW EXECUTE FUNCTION assay_plan_version_is_fixed();

-- Per plan version x UTC day x stratum: the frame (population), the expected
-- sample (sum of design probabilities) and what was selected. The estimators
-- read stratum sizes from here.
CREATE TABLE sampling_strata_daily (
  plan_version_id uuid NOT NULL,
  day date NOT NULL,
  stratum_key text NOT NULL,
  population integer NOT NULL,
  expected double precision NOT NULL,
  selected integer NOT NULL,
  PRIMARY KEY (plan_version_id, day, stratum_key)
);

-- Deferred strata (per-agent quotas, capped rates) are selected when their
-- day closes; a row here means that day's selection is final.
CREATE TABLE sampling_day_closes (
  plan_version_id uuid NOT NULL REFERENCES sampling_plan_versions (id),
  day date NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  selected integer NOT NULL,
  PRIMARY KEY (plan_version_id, day)
);

-- Every sampled decision with its inclusion probability (the estimators' 1/w).
CREATE TABLE qa_samples (
  decision_id uuid PRIMARY KEY,
  plan_version_id uuid NOT NULL,
  stratum_key text NOT NULL,
  inclusion_probability double precision NOT NULL CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
  method text NOT NULL CHECK (method IN ('all', 'rate', 'capped_rate', 'quota')),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  selected_at timestamptz NOT NULL DEFAULT now()
);

-- QA settings per workflow.
CREATE TABLE qa_workflow_settings (
  workflow_id uuid PRIMARY KEY REFERENCES workflows (id),
  turnaround_hours integer NOT NULL DEFAULT 48 CHECK (turnaround_hours BETWEEN 1 AND 720),
  lease_minutes integer NOT NULL DEFAULT 30 CHECK (lease_minutes BETWEEN 1 AND 480),
  -- Vendor agents' work is reviewed by in-house QA only.
  internal_reviews_vendor_work boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- How many tasks a reviewer takes per day (assignment respects it).
CREATE TABLE qa_reviewer_capacity (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  daily_capacity integer NOT NULL CHECK (daily_capacity BETWEEN 0 AND 2000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE qa_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  decision_id uuid NOT NULL REFERENCES decisions (id),
  kind text NOT NULL DEFAULT 'sample' CHECK (kind IN ('sample')),
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  language text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'completed', 'cancelled')),
  assignee_id uuid REFERENCES people (id),
  claimed_by uuid REFERENCES people (id),
  claimed_at timestamptz,
  lease_expires_at timestamptz,
  due_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (decision_id, kind),
  CHECK ((status = 'claimed') = (claimed_by IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX qa_tasks_open_idx ON qa_tasks (workflow_id, due_at) WHERE status IN ('open', 'claimed');
CREATE INDEX qa_tasks_assignee_idx ON qa_tasks (assignee_id, status);
CREATE TRIGGER qa_tasks_touch BEFORE UPDATE ON qa_tasks FOR EACH ROW EXECUTE FUNCTION assay_touch_updated_at();

-- Scope: decisions, aggregates, samples and tasks belong to the agent's
-- vendor, site and team, like the agent's own person row.
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE production_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE qa_samples ENABLE ROW LEVEL SECURITY;
ALTER TABLE qa_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY decisions_scope ON decisions TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY production_daily_scope ON production_daily TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY qa_samples_scope ON qa_samples TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY qa_tasks_scope ON qa_tasks TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));

-- Decisions are never changed by Assay: insert and read only.
GRANT SELECT, INSERT ON decisions, qa_samples, sampling_day_closes TO assay_app;
GRANT SELECT, INSERT, UPDATE ON production_daily, sampling_strata_daily, sampling_plan_versions,
  qa_workflow_settings, qa_reviewer_capacity, qa_tasks TO assay_app;
GRANT DELETE ON sampling_plan_versions TO assay_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The decisions migration cannot be reverted; restore a backup instead.');
}

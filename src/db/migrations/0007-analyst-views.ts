import { sql, type Kysely } from 'kysely';

/**
 * Read-only access for BI tools (Tableau, Metabase): a schema `analyst` of
 * views over decisions, reviews, disputes, the quality rollups, production and
 * the organisation and policy reference tables, and a NOLOGIN role
 * `assay_analyst` that may read those views and nothing else. Administrators
 * hand out LOGIN roles in it with `assay analysts create-login` (docs/analysts.md).
 *
 * Analysts are organisation-wide. The views are owned by the role that owns
 * the tables (the one running migrations), and a view reads its tables with
 * its owner's rights, so row-level security — which filters only `assay_app`
 * by the request's scope — does not apply: every row is visible. That is why
 * the views are also the line that keeps content and secrets out: no
 * content_text, content_url, metadata or payload hash (reading content is
 * audit-logged in the product, so BI gets none of it), no free text people
 * wrote about a decision (dispute reasons, scorecard comments, which may
 * quote it), no email addresses, and nothing from users, sessions, API
 * tokens or the audit log. Views run without security_invoker on purpose;
 * their columns call no function that reads a table as the analyst.
 *
 * Column names of the rollup and production views are the tables' own, so
 * the formulas of docs/decisions/0007 and the metrics contract apply as written.
 */

export const TENURE_BAND = `CASE WHEN d.tenure_days IS NULL THEN 'unknown' WHEN d.tenure_days < 30 THEN 'nesting'
       WHEN d.tenure_days < 90 THEN 'ramping' ELSE 'established' END`;

/** Scorecard answers without their free-text comments (a comment may quote the content). */
export const answersWithoutComments = (column: string) =>
  `(SELECT jsonb_agg(a.answer - 'comment' ORDER BY a.position) FROM jsonb_array_elements(${column}) WITH ORDINALITY AS a(answer, position))`;

const ROLLUP_VIEWS = ['quality_rollup', 'quality_rollup_team', 'quality_label_rollup', 'quality_error_rollup', 'quality_design_strata', 'production_daily'];

const UP = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'assay_analyst') THEN
    CREATE ROLE assay_analyst NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- another database on this cluster created it at the same moment
  NULL;
END $$;
COMMENT ON ROLE assay_analyst IS 'Assay analysts: SELECT on the views of schema analyst only (docs/analysts.md)';

CREATE SCHEMA analyst;
COMMENT ON SCHEMA analyst IS 'Read-only views for BI tools; no content, no secrets (docs/analysts.md)';

-- Organisation and policy reference.
CREATE VIEW analyst.vendors AS
SELECT id AS vendor_id, name AS vendor_name, code AS vendor_code, is_in_house, status, created_at, updated_at
FROM public.vendors;

CREATE VIEW analyst.sites AS
SELECT id AS site_id, vendor_id, name AS site_name, country_code, time_zone, status, created_at, updated_at
FROM public.sites;

CREATE VIEW analyst.teams AS
SELECT id AS team_id, vendor_id, site_id, name AS team_name, workflow_id, status, created_at, updated_at
FROM public.teams;

-- No email address.
CREATE VIEW analyst.people AS
SELECT id AS person_id, vendor_id, site_id, team_id, full_name, employee_ref, job_role, hire_date, languages, status,
       created_at, updated_at
FROM public.people;

CREATE VIEW analyst.workflows AS
SELECT id AS workflow_id, key AS workflow_key, name AS workflow_name, kind, description, status, created_at, updated_at
FROM public.workflows;

CREATE VIEW analyst.workflow_policies AS
SELECT workflow_id, policy_id FROM public.workflow_policies;

CREATE VIEW analyst.policies AS
SELECT id AS policy_id, key AS policy_key, name AS policy_name, description, status, created_at, updated_at
FROM public.policies;

-- One row per label of each policy version: a label's key is what decisions,
-- reviews and the rollups carry.
CREATE VIEW analyst.policy_labels AS
SELECT l.id AS label_id, l.key AS label_key, l.name AS label_name, l.severity, l.description AS label_description,
       l.position, v.policy_id, p.key AS policy_key, v.id AS policy_version_id, v.version AS policy_version,
       v.effective_from AS version_effective_from
FROM public.policy_labels l
JOIN public.policy_versions v ON v.id = l.policy_version_id
JOIN public.policies p ON p.id = v.policy_id;

-- Decisions without their content: no content_text, content_url, metadata or payload_hash.
CREATE VIEW analyst.decisions AS
SELECT d.id AS decision_id, d.source, d.external_id, d.workflow_id, d.agent_id, d.vendor_id, d.site_id, d.team_id,
       d.decided_at, d.decided_day AS decision_day, d.labels, d.policy_version_ids, d.severity, d.action,
       d.handle_time_ms, d.content_kind, d.content_language, d.model_score, d.tenure_days AS agent_tenure_days,
       ${TENURE_BAND} AS tenure_band,
       d.sampling_plan_version_id, d.stratum_key AS sampling_stratum_key, d.sampling_p AS sampling_probability,
       d.ingested_at
FROM public.decisions d;

-- Reviews with their decision's day, labels and action, and the sample's
-- weight (1 / inclusion probability; 1 when not sampled by a plan) and design
-- stratum, exactly as the rollups compute them.
CREATE VIEW analyst.reviews AS
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
LEFT JOIN public.qa_samples s ON s.decision_id = r.decision_id;

CREATE VIEW analyst.review_revisions AS
SELECT v.review_id, v.revision, v.reason AS revision_reason, v.dispute_id, v.qa_labels, v.qa_action, v.score, v.passed, v.critical_failed,
       v.correct, v.error_types, v.root_causes, v.created_at AS revised_at, v.vendor_id, v.site_id, v.team_id, v.agent_id,
       ${answersWithoutComments('v.answers')} AS scorecard_answers
FROM public.review_revisions v;

-- No reason or outcome reason (free text that may quote the content), no raiser's email.
CREATE VIEW analyst.disputes AS
SELECT x.id AS dispute_id, x.review_id, x.workflow_id, x.vendor_id, x.site_id, x.team_id, x.agent_id,
       x.raised_by_user_id IS NOT NULL AS raised_by_user, x.question_keys, x.status, x.arbiter_id, x.created_at AS raised_at,
       x.due_at, x.outcome, x.score_before, x.score_after, x.resolved_at, x.resolved_at <= x.due_at AS resolved_within_sla
FROM public.disputes x;

${ROLLUP_VIEWS.map((table) => `CREATE VIEW analyst.${table} AS SELECT * FROM public.${table};`).join('\n')}

REVOKE ALL ON SCHEMA analyst FROM PUBLIC;
GRANT USAGE ON SCHEMA analyst TO assay_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA analyst TO assay_analyst;

-- Schema public is usable by every role by default, and so is every function
-- in it, including SECURITY DEFINER ones that write the rollups as their
-- owner. Only the application's role needs it (its grant is in 0001; the
-- owner keeps it by ownership): an analyst login reaches Assay's data through
-- schema analyst alone, whatever functions later migrations add. (If the
-- migrating role does not own schema public, PostgreSQL leaves the privilege
-- in place with a warning; the two revokes below still hold.)
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO assay_app;
REVOKE EXECUTE ON FUNCTION public.assay_rollup_apply(public.reviews[], integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.assay_rollups_rebuild() FROM PUBLIC;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The role stays: it is shared by every database on the cluster, and its logins may still exist.
  await sql
    .raw(
      `
GRANT USAGE ON SCHEMA public TO PUBLIC;
GRANT EXECUTE ON FUNCTION public.assay_rollups_rebuild() TO PUBLIC;
GRANT EXECUTE ON FUNCTION public.assay_rollup_apply(public.reviews[], integer) TO PUBLIC;
DROP SCHEMA analyst CASCADE;
`,
    )
    .execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Quality rollups: the sufficient statistics of every estimator the metrics
 * engine reports (docs/decisions/0007, 0008), kept current by statement-level
 * triggers on reviews, so every path that writes a review (submission,
 * dispute resolution, the demo, imports) keeps them exact in the same
 * transaction. `assay_rollups_rebuild()` recomputes them from scratch with the
 * same functions; `assay rollups rebuild` calls it and the tests compare both.
 *
 * Weights: w = 1 / inclusion probability of the decision's sample (1 when a
 * task was not sampled by a plan). Design stratum: (workflow, decision day,
 * plan version : stratum key); per-agent quota strata are collapsed into their
 * stratum key per day, which makes their variance conservative.
 */

/** The review columns assay_review_facts reads: an update that changes none of them leaves the rollups alone. */
export const ROLLED_UP = ['decision_id', 'workflow_id', 'vendor_id', 'site_id', 'team_id', 'agent_id', 'reviewer_id', 'reviewer_vendor_id', 'qa_labels', 'correct', 'critical_failed', 'passed', 'score', 'time_on_task_ms', 'error_types', 'root_causes', 'disputed', 'overturned'];

export const KEY = ['day', 'workflow_id', 'stratum', 'vendor_id', 'site_id', 'team_id', 'agent_id', 'reviewer_id', 'reviewer_vendor_id', 'severity', 'tenure_band'];

/** A weighted 0/1 outcome: count, sum of w, sum of w^2 where it holds. */
export const flag = (name: string, condition: string) => [
  [`n_${name}`, 'integer', `count(*) FILTER (WHERE ${condition})`],
  [`sum_w_${name}`, 'double precision', `coalesce(sum(w) FILTER (WHERE ${condition}), 0)`],
  [`sum_w2_${name}`, 'double precision', `coalesce(sum(w * w) FILTER (WHERE ${condition}), 0)`],
];

export const MEASURES: string[][] = [
  ['n', 'integer', 'count(*)'],
  ['sum_w', 'double precision', 'sum(w)'],
  ['sum_w2', 'double precision', 'sum(w * w)'],
  ...flag('correct', 'correct'),
  ...flag('critical', 'critical_failed'),
  ...flag('passed', 'passed'),
  ['sum_score', 'double precision', 'sum(score)'],
  ['sum_w_score', 'double precision', 'sum(w * score)'],
  ['sum_w2_score', 'double precision', 'sum(w * w * score)'],
  ['sum_w2_score2', 'double precision', 'sum(w * w * score * score)'],
  // Decision-level enforcement cells against the QA verdict (tn = the rest).
  ...flag('tp', 'agent_violating AND qa_violating'),
  ...flag('fp', 'agent_violating AND NOT qa_violating'),
  ...flag('fn', 'NOT agent_violating AND qa_violating'),
  ['sum_time_on_task_ms', 'bigint', 'sum(time_on_task_ms)'],
  ['n_disputed', 'integer', 'count(*) FILTER (WHERE disputed)'],
  ['n_overturned', 'integer', 'count(*) FILTER (WHERE overturned)'],
];

export const LABEL_MEASURES: string[][] = [...flag('tp', 'agent_has AND qa_has'), ...flag('fp', 'agent_has AND NOT qa_has'), ...flag('fn', 'NOT agent_has AND qa_has')];

/** The coarse cuboid: no agent or reviewer, so organisation-level dashboards scan far fewer rows. */
export const TEAM_KEY = ['day', 'workflow_id', 'stratum', 'vendor_id', 'site_id', 'team_id', 'severity', 'tenure_band'];

export const ERROR_KEY = ['day', 'workflow_id', 'vendor_id', 'site_id', 'team_id', 'agent_id', 'reviewer_id', 'reviewer_vendor_id', 'kind', 'key'];

export const columns = (measures: string[][]) => measures.map(([name, type]) => `  ${name} ${type} NOT NULL DEFAULT 0`).join(',\n');
export const signed = (measures: string[][]) => measures.map(([, , expression]) => `sign * ${expression}`).join(', ');
export const names = (measures: string[][]) => measures.map(([name]) => name).join(', ');
export const accumulate = (table: string, measures: string[][]) => measures.map(([name]) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(', ');

export const keyColumns = `
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  stratum text NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  reviewer_id uuid NOT NULL,
  reviewer_vendor_id uuid NOT NULL,
  severity text NOT NULL,
  tenure_band text NOT NULL`;

const UP = `
ALTER TABLE reviews ADD COLUMN disputed boolean NOT NULL DEFAULT false;
ALTER TABLE reviews ADD COLUMN overturned boolean NOT NULL DEFAULT false;
UPDATE reviews r SET disputed = true WHERE EXISTS (SELECT 1 FROM disputes x WHERE x.review_id = r.id);
UPDATE reviews r SET overturned = true WHERE EXISTS (SELECT 1 FROM disputes x WHERE x.review_id = r.id AND x.outcome IN ('overturned', 'partly'));

CREATE TABLE quality_rollup (${keyColumns},
${columns(MEASURES)},
  CONSTRAINT quality_rollup_key UNIQUE NULLS NOT DISTINCT (${KEY.join(', ')})
);
CREATE INDEX quality_rollup_vendor_day_idx ON quality_rollup (vendor_id, day);
CREATE INDEX quality_rollup_agent_day_idx ON quality_rollup (agent_id, day);
CREATE INDEX quality_rollup_reviewer_day_idx ON quality_rollup (reviewer_id, day);

CREATE TABLE quality_rollup_team (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  stratum text NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  severity text NOT NULL,
  tenure_band text NOT NULL,
${columns(MEASURES)},
  CONSTRAINT quality_rollup_team_key UNIQUE NULLS NOT DISTINCT (${TEAM_KEY.join(', ')})
);
CREATE INDEX quality_rollup_team_day_idx ON quality_rollup_team (day);

CREATE TABLE quality_label_rollup (${keyColumns},
  label text NOT NULL,
${columns(LABEL_MEASURES)},
  CONSTRAINT quality_label_rollup_key UNIQUE NULLS NOT DISTINCT (${[...KEY, 'label'].join(', ')})
);
CREATE INDEX quality_label_rollup_label_day_idx ON quality_label_rollup (label, day);

CREATE TABLE quality_error_rollup (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  reviewer_id uuid NOT NULL,
  reviewer_vendor_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('error_type', 'root_cause')),
  key text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  sum_w double precision NOT NULL DEFAULT 0,
  CONSTRAINT quality_error_rollup_key UNIQUE NULLS NOT DISTINCT (${ERROR_KEY.join(', ')})
);

-- Reviews per design stratum, whoever may see them: a domain estimate's
-- variance needs its strata's full sample sizes, also under a vendor's scope.
CREATE TABLE quality_design_strata (
  workflow_id uuid NOT NULL,
  day date NOT NULL,
  stratum text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  PRIMARY KEY (workflow_id, day, stratum)
);

-- What one review contributes: its weight, keys and outcomes.
CREATE FUNCTION assay_review_facts(rs reviews[]) RETURNS TABLE (
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
$f$;

-- Adds (sign 1) or removes (sign -1) reviews' contributions to every rollup.
CREATE FUNCTION assay_rollup_apply(rs reviews[], sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  IF cardinality(rs) = 0 THEN RETURN; END IF;
  INSERT INTO quality_rollup (${KEY.join(', ')}, ${names(MEASURES)})
  SELECT ${KEY.join(', ')}, ${signed(MEASURES)} FROM assay_review_facts(rs) GROUP BY ${KEY.join(', ')}
  ON CONFLICT ON CONSTRAINT quality_rollup_key DO UPDATE SET ${accumulate('quality_rollup', MEASURES)};

  INSERT INTO quality_rollup_team (${TEAM_KEY.join(', ')}, ${names(MEASURES)})
  SELECT ${TEAM_KEY.join(', ')}, ${signed(MEASURES)} FROM assay_review_facts(rs) GROUP BY ${TEAM_KEY.join(', ')}
  ON CONFLICT ON CONSTRAINT quality_rollup_team_key DO UPDATE SET ${accumulate('quality_rollup_team', MEASURES)};

  INSERT INTO quality_label_rollup (${KEY.join(', ')}, label, ${names(LABEL_MEASURES)})
  SELECT ${KEY.join(', ')}, label, ${signed(LABEL_MEASURES)}
  FROM (SELECT f.*, x.label, x.label = ANY (f.agent_labels) AS agent_has, x.label = ANY (f.qa_labels) AS qa_has
        FROM assay_review_facts(rs) f, LATERAL (SELECT DISTINCT unnest(f.agent_labels || f.qa_labels) AS label) x) l
  GROUP BY ${KEY.join(', ')}, label
  ON CONFLICT ON CONSTRAINT quality_label_rollup_key DO UPDATE SET ${accumulate('quality_label_rollup', LABEL_MEASURES)};

  INSERT INTO quality_error_rollup (${ERROR_KEY.join(', ')}, n, sum_w)
  SELECT ${ERROR_KEY.join(', ')}, sign * count(*), sign * sum(w)
  FROM (SELECT f.*, 'error_type' AS kind, e AS key FROM assay_review_facts(rs) f, unnest(f.error_types) e
        UNION ALL
        SELECT f.*, 'root_cause', c FROM assay_review_facts(rs) f, unnest(f.root_causes) c) k
  GROUP BY ${ERROR_KEY.join(', ')}
  ON CONFLICT ON CONSTRAINT quality_error_rollup_key DO UPDATE SET n = quality_error_rollup.n + EXCLUDED.n, sum_w = quality_error_rollup.sum_w + EXCLUDED.sum_w;

  INSERT INTO quality_design_strata (workflow_id, day, stratum, n)
  SELECT workflow_id, day, stratum, sign * count(*) FROM assay_review_facts(rs) GROUP BY workflow_id, day, stratum
  ON CONFLICT (workflow_id, day, stratum) DO UPDATE SET n = quality_design_strata.n + EXCLUDED.n;
END
$f$;

CREATE FUNCTION assay_reviews_rollup_insert() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  PERFORM assay_rollup_apply(ARRAY(SELECT n::reviews FROM new_rows n), 1);
  RETURN NULL;
END
$f$;
-- Only reviews whose rolled-up columns changed: an acknowledgement costs nothing here.
CREATE FUNCTION assay_reviews_rollup_update() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  PERFORM assay_rollup_apply(ARRAY(
    SELECT o::reviews FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (${ROLLED_UP.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${ROLLED_UP.map((c) => `n.${c}`).join(', ')})), -1);
  PERFORM assay_rollup_apply(ARRAY(
    SELECT n::reviews FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (${ROLLED_UP.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${ROLLED_UP.map((c) => `n.${c}`).join(', ')})), 1);
  RETURN NULL;
END
$f$;
CREATE TRIGGER reviews_rollup_insert AFTER INSERT ON reviews
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_reviews_rollup_insert();
CREATE TRIGGER reviews_rollup_update AFTER UPDATE ON reviews
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_reviews_rollup_update();
CREATE FUNCTION assay_reviews_rollup_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  PERFORM assay_rollup_apply(ARRAY(SELECT o::reviews FROM old_rows o), -1);
  RETURN NULL;
END
$f$;
CREATE TRIGGER reviews_rollup_delete AFTER DELETE ON reviews
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_reviews_rollup_delete();
CREATE FUNCTION assay_reviews_rollup_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  TRUNCATE quality_rollup, quality_rollup_team, quality_label_rollup, quality_error_rollup, quality_design_strata;
  RETURN NULL;
END
$f$;
CREATE TRIGGER reviews_rollup_truncate AFTER TRUNCATE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION assay_reviews_rollup_truncate();

-- Recomputes every rollup from the reviews (assay rollups rebuild).
CREATE FUNCTION assay_rollups_rebuild() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
DECLARE
  batch reviews[];
  total integer := 0;
  last_id uuid := '00000000-0000-0000-0000-000000000000';
BEGIN
  TRUNCATE quality_rollup, quality_rollup_team, quality_label_rollup, quality_error_rollup, quality_design_strata;
  LOOP
    batch := ARRAY(SELECT r FROM reviews r WHERE r.id > last_id ORDER BY r.id LIMIT 50000);
    EXIT WHEN cardinality(batch) = 0;
    PERFORM assay_rollup_apply(batch, 1);
    total := total + cardinality(batch);
    last_id := batch[cardinality(batch)].id;
  END LOOP;
  RETURN total;
END
$f$;

ALTER TABLE quality_rollup ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_rollup_team ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_label_rollup ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_error_rollup ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_rollup_scope ON quality_rollup FOR SELECT TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
-- Aggregates above the person: never for a viewer who may see only themselves.
CREATE POLICY quality_rollup_team_scope ON quality_rollup_team FOR SELECT TO assay_app
  USING (assay_scope_kind() <> 'self' AND assay_row_visible('team', vendor_id, site_id, team_id, NULL));
CREATE POLICY quality_label_rollup_scope ON quality_label_rollup FOR SELECT TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
CREATE POLICY quality_error_rollup_scope ON quality_error_rollup FOR SELECT TO assay_app
  USING (assay_row_visible('person', vendor_id, site_id, team_id, agent_id));
GRANT SELECT ON quality_rollup, quality_rollup_team, quality_label_rollup, quality_error_rollup, quality_design_strata TO assay_app;

SELECT assay_rollups_rebuild();
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP TRIGGER reviews_rollup_insert ON reviews;
DROP TRIGGER reviews_rollup_update ON reviews;
DROP TRIGGER reviews_rollup_delete ON reviews;
DROP TRIGGER reviews_rollup_truncate ON reviews;
DROP FUNCTION assay_rollups_rebuild();
DROP FUNCTION assay_reviews_rollup_insert();
DROP FUNCTION assay_reviews_rollup_update();
DROP FUNCTION assay_reviews_rollup_delete();
DROP FUNCTION assay_reviews_rollup_truncate();
DROP FUNCTION assay_rollup_apply(reviews[], integer);
DROP FUNCTION assay_review_facts(reviews[]);
DROP TABLE quality_rollup, quality_rollup_team, quality_label_rollup, quality_error_rollup, quality_design_strata;
ALTER TABLE reviews DROP COLUMN disputed, DROP COLUMN overturned;
`,
    )
    .execute(db);
}

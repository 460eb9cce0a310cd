import { sql, type Kysely } from 'kysely';
import { accumulate, columns, ERROR_KEY, KEY, LABEL_MEASURES, MEASURES, names, signed, TEAM_KEY } from './0006-quality-rollups.ts';

/**
 * Vendor-level cuboids for the dashboards' most frequent questions (a
 * programme's figures, by vendor, by vendor and label): keyed by (day,
 * workflow, design stratum, vendor) they stay a few thousand rows for a
 * quarter whatever the review volume, where the team-level cuboid grows with
 * the organisation (docs/decisions/0008). Kept by the same trigger path as
 * the other rollups; production volumes get the same treatment from triggers
 * on production_daily.
 *
 * They aggregate a whole vendor, so only viewers with scope 'all' or 'vendor'
 * may read them; the metrics engine reads the finer tables for the others.
 * The scope functions are declared PARALLEL SAFE so scans under row-level
 * security may run in parallel.
 */

const VENDOR_KEY = ['day', 'workflow_id', 'stratum', 'vendor_id'];
const PRODUCTION_KEY = ['day', 'workflow_id', 'vendor_id', 'label'];
const PRODUCTION_SUMS = ['decisions', 'decision_share', 'handle_time_ms_sum', 'handle_time_share_ms'];
const VENDOR_WIDE = `assay_scope_kind() IN ('all', 'vendor') AND assay_row_visible('vendor', vendor_id, NULL, NULL, NULL)`;

const UP = `
ALTER FUNCTION assay_scope_kind() PARALLEL SAFE;
ALTER FUNCTION assay_scope_id(text) PARALLEL SAFE;
ALTER FUNCTION assay_row_visible(text, uuid, uuid, uuid, uuid) PARALLEL SAFE;
ALTER FUNCTION assay_actor_person() PARALLEL SAFE;

CREATE TABLE quality_rollup_vendor (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  stratum text NOT NULL,
  vendor_id uuid NOT NULL,
${columns(MEASURES)},
  PRIMARY KEY (${VENDOR_KEY.join(', ')})
);
CREATE TABLE quality_label_rollup_vendor (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  stratum text NOT NULL,
  vendor_id uuid NOT NULL,
  label text NOT NULL,
${columns(LABEL_MEASURES)},
  PRIMARY KEY (${[...VENDOR_KEY, 'label'].join(', ')})
);
CREATE TABLE production_vendor_daily (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  label text NOT NULL,
  decisions integer NOT NULL DEFAULT 0,
  decision_share double precision NOT NULL DEFAULT 0,
  handle_time_ms_sum bigint NOT NULL DEFAULT 0,
  handle_time_share_ms double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (${PRODUCTION_KEY.join(', ')})
);

DROP FUNCTION assay_rollup_apply(reviews[], integer);

-- Every rollup, fine and coarse, in one statement over one computation of the
-- reviews' facts: a submission's trigger costs one plan execution, not eight.
CREATE FUNCTION assay_rollup_apply(rs reviews[], sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  IF cardinality(rs) = 0 THEN RETURN; END IF;
  WITH f AS MATERIALIZED (SELECT * FROM assay_review_facts(rs)),
  l AS MATERIALIZED (
    SELECT f.*, x.label, x.label = ANY (f.agent_labels) AS agent_has, x.label = ANY (f.qa_labels) AS qa_has
    FROM f, LATERAL (SELECT DISTINCT unnest(f.agent_labels || f.qa_labels) AS label) x),
  fine AS (
    INSERT INTO quality_rollup (${KEY.join(', ')}, ${names(MEASURES)})
    SELECT ${KEY.join(', ')}, ${signed(MEASURES)} FROM f GROUP BY ${KEY.join(', ')}
    ON CONFLICT ON CONSTRAINT quality_rollup_key DO UPDATE SET ${accumulate('quality_rollup', MEASURES)}),
  team AS (
    INSERT INTO quality_rollup_team (${TEAM_KEY.join(', ')}, ${names(MEASURES)})
    SELECT ${TEAM_KEY.join(', ')}, ${signed(MEASURES)} FROM f GROUP BY ${TEAM_KEY.join(', ')}
    ON CONFLICT ON CONSTRAINT quality_rollup_team_key DO UPDATE SET ${accumulate('quality_rollup_team', MEASURES)}),
  vendor AS (
    INSERT INTO quality_rollup_vendor (${VENDOR_KEY.join(', ')}, ${names(MEASURES)})
    SELECT ${VENDOR_KEY.join(', ')}, ${signed(MEASURES)} FROM f GROUP BY ${VENDOR_KEY.join(', ')}
    ON CONFLICT (${VENDOR_KEY.join(', ')}) DO UPDATE SET ${accumulate('quality_rollup_vendor', MEASURES)}),
  labels AS (
    INSERT INTO quality_label_rollup (${KEY.join(', ')}, label, ${names(LABEL_MEASURES)})
    SELECT ${KEY.join(', ')}, label, ${signed(LABEL_MEASURES)} FROM l GROUP BY ${KEY.join(', ')}, label
    ON CONFLICT ON CONSTRAINT quality_label_rollup_key DO UPDATE SET ${accumulate('quality_label_rollup', LABEL_MEASURES)}),
  vendor_labels AS (
    INSERT INTO quality_label_rollup_vendor (${VENDOR_KEY.join(', ')}, label, ${names(LABEL_MEASURES)})
    SELECT ${VENDOR_KEY.join(', ')}, label, ${signed(LABEL_MEASURES)} FROM l GROUP BY ${VENDOR_KEY.join(', ')}, label
    ON CONFLICT (${VENDOR_KEY.join(', ')}, label) DO UPDATE SET ${accumulate('quality_label_rollup_vendor', LABEL_MEASURES)}),
  errors AS (
    INSERT INTO quality_error_rollup (${ERROR_KEY.join(', ')}, n, sum_w)
    SELECT ${ERROR_KEY.join(', ')}, sign * count(*), sign * sum(w)
    FROM (SELECT f.*, 'error_type' AS kind, e AS key FROM f, unnest(f.error_types) e
          UNION ALL
          SELECT f.*, 'root_cause', c FROM f, unnest(f.root_causes) c) k
    GROUP BY ${ERROR_KEY.join(', ')}
    ON CONFLICT ON CONSTRAINT quality_error_rollup_key DO UPDATE SET n = quality_error_rollup.n + EXCLUDED.n, sum_w = quality_error_rollup.sum_w + EXCLUDED.sum_w)
  INSERT INTO quality_design_strata (workflow_id, day, stratum, n)
  SELECT workflow_id, day, stratum, sign * count(*) FROM f GROUP BY workflow_id, day, stratum
  ON CONFLICT (workflow_id, day, stratum) DO UPDATE SET n = quality_design_strata.n + EXCLUDED.n;
END
$f$;

CREATE OR REPLACE FUNCTION assay_reviews_rollup_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  TRUNCATE quality_rollup, quality_rollup_team, quality_rollup_vendor, quality_label_rollup, quality_label_rollup_vendor,
    quality_error_rollup, quality_design_strata;
  RETURN NULL;
END
$f$;

CREATE OR REPLACE FUNCTION assay_rollups_rebuild() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
DECLARE
  batch reviews[];
  total integer := 0;
  last_id uuid := '00000000-0000-0000-0000-000000000000';
BEGIN
  TRUNCATE quality_rollup, quality_rollup_team, quality_rollup_vendor, quality_label_rollup, quality_label_rollup_vendor,
    quality_error_rollup, quality_design_strata;
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

`;

/** The rows of a transition table with their sums signed. */
function transitionRows(table: 'new_rows' | 'old_rows', sign: '' | '-'): string {
  return `SELECT ${PRODUCTION_KEY.join(', ')}, ${PRODUCTION_SUMS.map((c) => `${sign}${c} AS ${c}`).join(', ')} FROM ${table}`;
}

function productionTrigger(operation: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const parts: string[] = [];
  // Transition tables exist only for their operation, so each trigger gets its own function.
  if (operation !== 'DELETE') parts.push(transitionRows('new_rows', ''));
  if (operation !== 'INSERT') parts.push(transitionRows('old_rows', '-'));
  const referencing = { INSERT: 'NEW TABLE AS new_rows', UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', DELETE: 'OLD TABLE AS old_rows' }[operation];
  const name = `assay_production_vendor_${operation.toLowerCase()}`;
  return `
CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  INSERT INTO production_vendor_daily (${PRODUCTION_KEY.join(', ')}, ${PRODUCTION_SUMS.join(', ')})
  SELECT ${PRODUCTION_KEY.join(', ')}, ${PRODUCTION_SUMS.map((c) => `sum(${c})`).join(', ')}
  FROM (${parts.join(' UNION ALL ')}) d
  GROUP BY ${PRODUCTION_KEY.join(', ')}
  ON CONFLICT (${PRODUCTION_KEY.join(', ')}) DO UPDATE SET ${PRODUCTION_SUMS.map((c) => `${c} = production_vendor_daily.${c} + EXCLUDED.${c}`).join(', ')};
  RETURN NULL;
END
$f$;
CREATE TRIGGER production_daily_vendor_${operation.toLowerCase()} AFTER ${operation} ON production_daily
  REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}();`;
}

const REST = `
${productionTrigger('INSERT')}
${productionTrigger('UPDATE')}
${productionTrigger('DELETE')}
CREATE FUNCTION assay_production_vendor_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  TRUNCATE production_vendor_daily;
  RETURN NULL;
END
$f$;
CREATE TRIGGER production_daily_vendor_truncate AFTER TRUNCATE ON production_daily FOR EACH STATEMENT EXECUTE FUNCTION assay_production_vendor_truncate();

INSERT INTO production_vendor_daily (${PRODUCTION_KEY.join(', ')}, ${PRODUCTION_SUMS.join(', ')})
SELECT ${PRODUCTION_KEY.join(', ')}, ${PRODUCTION_SUMS.map((c) => `sum(${c})`).join(', ')} FROM production_daily GROUP BY ${PRODUCTION_KEY.join(', ')};

ALTER TABLE quality_rollup_vendor ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_label_rollup_vendor ENABLE ROW LEVEL SECURITY;
ALTER TABLE production_vendor_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_rollup_vendor_scope ON quality_rollup_vendor FOR SELECT TO assay_app USING (${VENDOR_WIDE});
CREATE POLICY quality_label_rollup_vendor_scope ON quality_label_rollup_vendor FOR SELECT TO assay_app USING (${VENDOR_WIDE});
CREATE POLICY production_vendor_daily_scope ON production_vendor_daily FOR SELECT TO assay_app USING (${VENDOR_WIDE});
GRANT SELECT ON quality_rollup_vendor, quality_label_rollup_vendor, production_vendor_daily TO assay_app;
-- The rollup writers run with their owner's rights: only the triggers and the owner may call them.
REVOKE EXECUTE ON FUNCTION assay_rollup_apply(reviews[], integer) FROM PUBLIC;

SELECT assay_rollups_rebuild();
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP + REST).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The vendor cuboids cannot be reverted; restore a backup instead.');
}

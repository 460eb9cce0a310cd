import { sql, type Kysely } from 'kysely';
import { columns, MEASURES } from './0006-quality-rollups.ts';

/**
 * Metrics speed (bench:metrics, docs/decisions/0008):
 *
 * 1. Row-level security evaluated once per statement. The rollups' policies called
 *    assay_row_visible(...) per row, which PostgreSQL inlines into a CASE over
 *    current_setting() calls evaluated for every row scanned (about a microsecond a row, and a
 *    selectivity the planner cannot estimate, so it planned sorts for tens of thousands of rows
 *    it expected to be a few dozen). The same rules are now written with uncorrelated scalar
 *    subqueries, which the planner runs once as init plans: per row only a comparison with a
 *    parameter remains. Same visibility as before, level by level (tests/integration/scope-matrix,
 *    metrics-scope-validation).
 * 2. quality_error_rollup_vendor: error types and root causes per (day, workflow, vendor), for the
 *    Pareto of viewers who see whole vendors (quality_error_rollup is keyed to agent and reviewer, so
 *    a programme-wide Pareto summed tens of thousands of rows). It is kept from quality_error_rollup by
 *    statement-level triggers (as production_vendor_daily is from production_daily), so the rollup
 *    writers (assay_rollup_apply, the rebuild) are unchanged and it always equals the fine table summed.
 * 3. quality_rollup_agent: the review measures per (day, workflow, design stratum, vendor, site, team,
 *    agent), without reviewer, reviewer's vendor, severity and tenure band, which split quality_rollup
 *    into about one row per review. Figures by agent (the agent table of a vendor) read one row per agent
 *    and stratum instead, from a covering index. Kept from quality_rollup the same way as 2.
 * 4. quality_design_strata.variance_factor (c_h = n_h / (n_h - 1)), generated with the count, for the
 *    per-stratum variance terms the metrics repository sums (src/domain/stats/ratio-terms.ts).
 */

/** The scope rules of assay_row_visible, with the scope read once per statement. */
const kind = `(SELECT assay_scope_kind())`;
const scoped = (level: 'vendor' | 'site' | 'team' | 'person', scopeKind: string) => `(SELECT assay_scope_id('${level}') WHERE assay_scope_kind() = '${scopeKind}')`;
/** assay_row_visible('person', vendor_id, site_id, team_id, agent_id). */
const PERSON_ROW = `${kind} = 'all' OR vendor_id = ${scoped('vendor', 'vendor')} OR site_id = ${scoped('site', 'site')}
  OR team_id = ${scoped('team', 'team')} OR agent_id = ${scoped('person', 'self')}`;
/** assay_scope_kind() <> 'self' AND assay_row_visible('team', vendor_id, site_id, team_id, NULL). */
const TEAM_ROW = `${kind} = 'all' OR vendor_id = ${scoped('vendor', 'vendor')} OR site_id = ${scoped('site', 'site')} OR team_id = ${scoped('team', 'team')}`;
/** assay_scope_kind() IN ('all', 'vendor') AND assay_row_visible('vendor', vendor_id, NULL, NULL, NULL). */
const VENDOR_WIDE = `${kind} = 'all' OR vendor_id = ${scoped('vendor', 'vendor')}`;

const ERROR_VENDOR_KEY = ['day', 'workflow_id', 'vendor_id', 'kind', 'key'];
/** The agent cuboid's columns the weighted estimators read (an index holds at most 32 columns). */
const COVERED = MEASURES.map(([name]) => name!).filter((name) => !['sum_score', 'sum_time_on_task_ms', 'n_disputed', 'n_overturned'].includes(name));
const AGENT_KEY = ['day', 'workflow_id', 'stratum', 'vendor_id', 'site_id', 'team_id', 'agent_id'];

/** A coarser table kept from a finer one: its key, its additive columns, how it resolves a conflict. */
interface Derived {
  source: string;
  target: string;
  key: string[];
  sums: string[];
  conflict: string;
  /** Function and trigger name stem. */
  stem: string;
}

/**
 * Statement-level triggers adding the source's changes (new rows minus old rows, from the transition
 * tables) to the target, and a TRUNCATE trigger emptying it: the target always equals the source
 * summed over the columns it drops.
 */
function derivedTriggers(d: Derived): string {
  const rows = (table: 'new_rows' | 'old_rows', sign: '' | '-') => `SELECT ${d.key.join(', ')}, ${d.sums.map((c) => `${sign}${c} AS ${c}`).join(', ')} FROM ${table}`;
  const trigger = (operation: 'INSERT' | 'UPDATE' | 'DELETE') => {
    const parts: string[] = [];
    if (operation !== 'DELETE') parts.push(rows('new_rows', ''));
    if (operation !== 'INSERT') parts.push(rows('old_rows', '-'));
    const referencing = { INSERT: 'NEW TABLE AS new_rows', UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', DELETE: 'OLD TABLE AS old_rows' }[operation];
    const name = `assay_${d.stem}_${operation.toLowerCase()}`;
    return `
CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  INSERT INTO ${d.target} (${d.key.join(', ')}, ${d.sums.join(', ')})
  SELECT ${d.key.join(', ')}, ${d.sums.map((c) => `sum(${c})`).join(', ')}
  FROM (${parts.join(' UNION ALL ')}) d
  GROUP BY ${d.key.join(', ')}
  ON CONFLICT ${d.conflict} DO UPDATE SET ${d.sums.map((c) => `${c} = ${d.target}.${c} + EXCLUDED.${c}`).join(', ')};
  RETURN NULL;
END
$f$;
CREATE TRIGGER ${d.stem}_${operation.toLowerCase()} AFTER ${operation} ON ${d.source}
  REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}();`;
  };
  return `${trigger('INSERT')}
${trigger('UPDATE')}
${trigger('DELETE')}
CREATE FUNCTION assay_${d.stem}_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  TRUNCATE ${d.target};
  RETURN NULL;
END
$f$;
CREATE TRIGGER ${d.stem}_truncate AFTER TRUNCATE ON ${d.source} FOR EACH STATEMENT EXECUTE FUNCTION assay_${d.stem}_truncate();
INSERT INTO ${d.target} (${d.key.join(', ')}, ${d.sums.join(', ')})
SELECT ${d.key.join(', ')}, ${d.sums.map((c) => `sum(${c})`).join(', ')} FROM ${d.source} GROUP BY ${d.key.join(', ')};`;
}

const ERROR_VENDOR: Derived = {
  source: 'quality_error_rollup',
  target: 'quality_error_rollup_vendor',
  key: ERROR_VENDOR_KEY,
  sums: ['n', 'sum_w'],
  conflict: `(${ERROR_VENDOR_KEY.join(', ')})`,
  stem: 'error_rollup_vendor',
};
const AGENT: Derived = {
  source: 'quality_rollup',
  target: 'quality_rollup_agent',
  key: AGENT_KEY,
  sums: MEASURES.map(([name]) => name!),
  conflict: 'ON CONSTRAINT quality_rollup_agent_key',
  stem: 'rollup_agent',
};

const UP = `
ALTER POLICY quality_rollup_scope ON quality_rollup USING (${PERSON_ROW});
ALTER POLICY quality_label_rollup_scope ON quality_label_rollup USING (${PERSON_ROW});
ALTER POLICY quality_error_rollup_scope ON quality_error_rollup USING (${PERSON_ROW});
ALTER POLICY quality_rollup_team_scope ON quality_rollup_team USING (${TEAM_ROW});
ALTER POLICY quality_rollup_vendor_scope ON quality_rollup_vendor USING (${VENDOR_WIDE});
ALTER POLICY quality_label_rollup_vendor_scope ON quality_label_rollup_vendor USING (${VENDOR_WIDE});
ALTER POLICY production_vendor_daily_scope ON production_vendor_daily USING (${VENDOR_WIDE});

CREATE TABLE quality_error_rollup_vendor (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('error_type', 'root_cause')),
  key text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  sum_w double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (${ERROR_VENDOR_KEY.join(', ')})
);
${derivedTriggers(ERROR_VENDOR)}

CREATE TABLE quality_rollup_agent (
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  stratum text NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
${columns(MEASURES)},
  CONSTRAINT quality_rollup_agent_key UNIQUE NULLS NOT DISTINCT (${AGENT_KEY.join(', ')})
);
${derivedTriggers(AGENT)}
-- Covering: a vendor's agent table reads its rows from the index alone (index-only scan), not from
-- heap pages shared with every other vendor's rows.
CREATE INDEX quality_rollup_agent_vendor_day_idx ON quality_rollup_agent (vendor_id, day)
  INCLUDE (agent_id, site_id, team_id, workflow_id, stratum, ${COVERED.join(', ')});
CREATE INDEX quality_rollup_agent_agent_day_idx ON quality_rollup_agent (agent_id, day);
ALTER TABLE quality_rollup_agent ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_rollup_agent_scope ON quality_rollup_agent FOR SELECT TO assay_app USING (${PERSON_ROW});
GRANT SELECT ON quality_rollup_agent TO assay_app;

ALTER TABLE quality_error_rollup_vendor ENABLE ROW LEVEL SECURITY;
-- Per design stratum, the with-replacement variance factor c_h = n_h / (n_h - 1) (0 below 2 reviews),
-- computed once when the count changes rather than for every (group, stratum) row summed
-- (src/domain/stats/ratio-terms.ts, stratumTerms).
ALTER TABLE quality_design_strata
  ADD COLUMN variance_factor double precision GENERATED ALWAYS AS (CASE WHEN n >= 2 THEN n::float8 / (n - 1) ELSE 0 END) STORED;

CREATE POLICY quality_error_rollup_vendor_scope ON quality_error_rollup_vendor FOR SELECT TO assay_app USING (${VENDOR_WIDE});
GRANT SELECT ON quality_error_rollup_vendor TO assay_app;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The metrics speed-ups cannot be reverted; restore a backup instead.');
}

import { sql, type Kysely } from 'kysely';

/**
 * Running variance terms (docs/decisions/0014): the two dashboard requests that summed tens of
 * thousands of (group x design stratum) rows per request — a vendor's agent table and precision by
 * vendor x label — read two rows per series instead.
 *
 * A design stratum is (workflow, day, plan stratum), so a series' per-stratum variance terms
 * (src/domain/stats/ratio-terms.ts: n, A, B, BB, Q_AA, Q_AB, Q_BB, strata counts) summed over one day are
 * additive over days, and a running total per series turns any [from, to] into cum(to) - cum(before
 * from). Series: (workflow, vendor, site, team, agent) over quality_rollup_agent, (workflow, vendor,
 * label) over quality_label_rollup_vendor, and for a label rate's overall (labels pooled per stratum)
 * (workflow, vendor) and (workflow) over that cuboid summed per stratum. The per-stratum expressions
 * below are the ones the metrics repository's ratioTerms evaluates (outcomeSpec, scoreSpec, cellSpec),
 * term for term. Running totals are numeric, so a range's difference is exact.
 *
 * Exact at all times, without slowing a review's write:
 * - every statement that changes quality_design_strata (assay_rollup_apply writes it for exactly the
 *   (workflow, day) pairs whose rollup rows it writes, and a stratum's n_h enters every series' terms)
 *   logs those (workflow, day) pairs in quality_terms_dirty: one small insert per statement, no row
 *   shared between writers;
 * - assay_running_terms_refresh() (a job every minute, the end of a rebuild) recomputes each logged
 *   workflow's series from its earliest logged day forward and deletes only the log rows it read
 *   before reading the rollups, so a writer committing meanwhile stays logged;
 * - a query corrects the logged days inside its range live: running difference, minus those days'
 *   stored contribution, plus their terms from the rollups (ratioTerms). Days logged before `from`
 *   cancel in the difference.
 * - an agent with two series on one (workflow, day) (a team move mid-day) would have its per-stratum
 *   squares split: quality_agent_overlaps lists those (series, day) cells, and queries correct them live
 *   the same way.
 */

// Row-level security as migration 0009 writes it (scope read once per statement).
const kind = `(SELECT assay_scope_kind())`;
const scoped = (level: 'vendor' | 'site' | 'team' | 'person', scopeKind: string) => `(SELECT assay_scope_id('${level}') WHERE assay_scope_kind() = '${scopeKind}')`;
const PERSON_ROW = `${kind} = 'all' OR vendor_id = ${scoped('vendor', 'vendor')} OR site_id = ${scoped('site', 'site')}
  OR team_id = ${scoped('team', 'team')} OR agent_id = ${scoped('person', 'self')}`;
const VENDOR_WIDE = `${kind} = 'all' OR vendor_id = ${scoped('vendor', 'vendor')}`;

/** One measure's per-stratum domain sums, as SQL over the stratum's row x (float8 columns). */
interface StratumExpressions {
  n: string;
  a: string;
  b: string;
  aa: string;
  ab: string;
  bb: string;
  sa: string;
  sb: string;
}

/* ---------- agent series: outcome proportions and the mean score share n, B and BB ---------- */

/** Numerators of the measures read from quality_rollup_agent (outcomeSpec / scoreSpec). */
export const AGENT_NUMERATORS = {
  correct: { a: 'x.sum_w_correct', aa: 'x.sum_w2_correct', ab: 'x.sum_w2_correct', sa: 'x.n_correct' },
  critical: { a: 'x.sum_w_critical', aa: 'x.sum_w2_critical', ab: 'x.sum_w2_critical', sa: 'x.n_critical' },
  passed: { a: 'x.sum_w_passed', aa: 'x.sum_w2_passed', ab: 'x.sum_w2_passed', sa: 'x.n_passed' },
  score: { a: 'x.sum_w_score', aa: 'x.sum_w2_score2', ab: 'x.sum_w2_score', sa: '0::float8' },
} as const;
export const AGENT_TERM_COLUMNS = [
  'row_count', 'n', 'strata', 'singleton_strata', 'undesigned', 'sum_wb', 'sum_w2bb', 'q_bb',
  ...Object.keys(AGENT_NUMERATORS).flatMap((m) => [`${m}_sum_wa`, `${m}_q_aa`, `${m}_q_ab`, `${m}_sample_a`]),
];
const AGENT_SOURCE_COLUMNS = ['n', 'sum_w', 'sum_w2', ...['correct', 'critical', 'passed'].flatMap((o) => [`n_${o}`, `sum_w_${o}`, `sum_w2_${o}`]), 'sum_w_score', 'sum_w2_score', 'sum_w2_score2'];

/** q_xy = c_h (XY - X Y / n_h), in ratioTerms' order of operations. */
const q = (xy: string, x: string, y: string) => `coalesce(sum(h.c * (${xy} - ${x} * ${y} / h.nh)), 0)::float8`;

/** Per (series, day): the day's strata summed (h: one row per series and stratum, nh = the design count). */
const AGENT_DAILY = [
  `count(*)::float8 AS row_count`,
  `sum(h.n)::float8 AS n`,
  `(count(*) FILTER (WHERE h.n > 0))::float8 AS strata`,
  `(count(*) FILTER (WHERE h.n > 0 AND h.nh = 1))::float8 AS singleton_strata`,
  `(count(*) FILTER (WHERE h.design IS NULL OR h.nh < h.n))::float8 AS undesigned`,
  `sum(h.sum_w)::float8 AS sum_wb`,
  `sum(h.sum_w2)::float8 AS sum_w2bb`,
  `${q('h.sum_w2', 'h.sum_w', 'h.sum_w')} AS q_bb`,
  ...Object.entries(AGENT_NUMERATORS).flatMap(([m, e]) => {
    const col = (expression: string) => expression.replace('x.', 'h.');
    const a = col(e.a);
    return [
      `sum(${a})::float8 AS ${m}_sum_wa`,
      `${q(col(e.aa), a, a)} AS ${m}_q_aa`,
      `${q(col(e.ab), a, 'h.sum_w')} AS ${m}_q_ab`,
      `sum(${col(e.sa)})::float8 AS ${m}_sample_a`,
    ];
  }),
];

/* ---------- vendor x label series: label rates without true negatives (cellSpec) ---------- */

const sum = (...terms: string[]) => `(${terms.join(' + ')})`;
/** precision, recall, f1, under-enforcement: CONFUSION_RATES' coefficients over the tp, fp, fn cells. */
export const LABEL_RATES: Record<string, StratumExpressions> = {
  precision: {
    n: sum('x.n_tp', 'x.n_fp'), a: sum('x.sum_w_tp'), b: sum('x.sum_w_tp', 'x.sum_w_fp'), aa: sum('x.sum_w2_tp'), ab: sum('x.sum_w2_tp'),
    bb: sum('x.sum_w2_tp', 'x.sum_w2_fp'), sa: sum('x.n_tp'), sb: sum('x.n_tp', 'x.n_fp'),
  },
  recall: {
    n: sum('x.n_tp', 'x.n_fn'), a: sum('x.sum_w_tp'), b: sum('x.sum_w_tp', 'x.sum_w_fn'), aa: sum('x.sum_w2_tp'), ab: sum('x.sum_w2_tp'),
    bb: sum('x.sum_w2_tp', 'x.sum_w2_fn'), sa: sum('x.n_tp'), sb: sum('x.n_tp', 'x.n_fn'),
  },
  f1: {
    n: sum('x.n_tp', 'x.n_fp', 'x.n_fn'), a: sum('2::float8 * x.sum_w_tp'), b: sum('2::float8 * x.sum_w_tp', 'x.sum_w_fp', 'x.sum_w_fn'),
    aa: sum('4::float8 * x.sum_w2_tp'), ab: sum('4::float8 * x.sum_w2_tp'), bb: sum('4::float8 * x.sum_w2_tp', 'x.sum_w2_fp', 'x.sum_w2_fn'),
    sa: sum('2::float8 * x.n_tp'), sb: sum('2::float8 * x.n_tp', 'x.n_fp', 'x.n_fn'),
  },
  under: {
    n: sum('x.n_tp', 'x.n_fn'), a: sum('x.sum_w_fn'), b: sum('x.sum_w_tp', 'x.sum_w_fn'), aa: sum('x.sum_w2_fn'), ab: sum('x.sum_w2_fn'),
    bb: sum('x.sum_w2_tp', 'x.sum_w2_fn'), sa: sum('x.n_fn'), sb: sum('x.n_tp', 'x.n_fn'),
  },
};
const RATE_FIELDS = ['n', 'strata', 'singleton_strata', 'undesigned', 'sum_wa', 'sum_wb', 'sum_w2bb', 'q_aa', 'q_ab', 'q_bb', 'sample_a', 'sample_b'];
export const LABEL_TERM_COLUMNS = ['row_count', ...Object.keys(LABEL_RATES).flatMap((r) => RATE_FIELDS.map((f) => `${r}_${f}`))];
const LABEL_SOURCE_COLUMNS = ['tp', 'fp', 'fn'].flatMap((c) => [`n_${c}`, `sum_w_${c}`, `sum_w2_${c}`]);

/** Per rate and stratum row (h): n, a, b, aa, ab, bb, sa, sb as columns <rate>_<field>. */
const LABEL_STRATUM = Object.entries(LABEL_RATES).flatMap(([r, e]) => (['n', 'a', 'b', 'aa', 'ab', 'bb', 'sa', 'sb'] as const).map((f) => `${e[f]} AS ${r}_${f}`));
const LABEL_DAILY = [
  `count(*)::float8 AS row_count`,
  ...Object.keys(LABEL_RATES).flatMap((r) => {
    const f = (field: string) => `h.${r}_${field}`;
    // cellSpec skips a stratum that adds nothing (n = a = b = 0): it needs no design count.
    const counted = `NOT (${f('n')} = 0 AND ${f('a')} = 0 AND ${f('b')} = 0) AND `;
    return [
      `sum(${f('n')})::float8 AS ${r}_n`,
      `(count(*) FILTER (WHERE ${f('n')} > 0))::float8 AS ${r}_strata`,
      `(count(*) FILTER (WHERE ${f('n')} > 0 AND h.nh = 1))::float8 AS ${r}_singleton_strata`,
      `(count(*) FILTER (WHERE ${counted}(h.design IS NULL OR h.nh < ${f('n')})))::float8 AS ${r}_undesigned`,
      `sum(${f('a')})::float8 AS ${r}_sum_wa`,
      `sum(${f('b')})::float8 AS ${r}_sum_wb`,
      `sum(${f('bb')})::float8 AS ${r}_sum_w2bb`,
      `${q(f('aa'), f('a'), f('a'))} AS ${r}_q_aa`,
      `${q(f('ab'), f('a'), f('b'))} AS ${r}_q_ab`,
      `${q(f('bb'), f('b'), f('b'))} AS ${r}_q_bb`,
      `sum(${f('sa')})::float8 AS ${r}_sample_a`,
      `sum(${f('sb')})::float8 AS ${r}_sample_b`,
    ];
  }),
];

// numeric: a range is the difference of two running totals, which in floating point would carry the
// rounding of the whole history into it (and a zero variance, all correct, would come out 1e-17 and
// its square root 1e-9). Summed exactly, the difference is exactly the range's daily terms.
const exactColumns = (columns: string[]) => columns.map((c) => `  ${c} numeric NOT NULL`).join(',\n');
const aliasOf = (daily: string) => daily.slice(daily.lastIndexOf(' AS ') + 4);

/**
 * Recomputes one workflow's series from day d0 on: their daily terms from the source rollup and the
 * design counts, accumulated onto each series' last total before d0. One statement reads the source.
 */
function recomputeFunction(o: {
  name: string;
  terms: string;
  series: string;
  seriesKey: string[];
  /** The terms table's copies of the series key, for row-level security. */
  scopeColumns: string[];
  source: string;
  sourceColumns: string[];
  nonEmpty: string;
  /** The same condition on the source row r. */
  sourceNonEmpty: string;
  /** Per stratum row: nh and c from x.design (and x.c, the stored variance factor). */
  nh: string;
  c: string;
  stratumColumns: string[];
  daily: string[];
  columns: string[];
  /** Extra statement run with the daily rows (CTE `daily`), e.g. the overlaps. */
  alsoWith?: string;
  alsoBefore?: string;
}): string {
  const key = o.seriesKey;
  const seriesJoin = key.map((k) => (k === 'team_id' ? `s.team_id IS NOT DISTINCT FROM h.team_id` : `s.${k} = h.${k}`)).join(' AND ');
  const dailyNames = o.daily.map(aliasOf);
  return `
CREATE FUNCTION ${o.name}(w uuid, d0 date) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  DELETE FROM ${o.terms} t USING ${o.series} s WHERE s.workflow_id = w AND t.series_id = s.id AND t.day >= d0;
  ${o.alsoBefore ?? ''}
  INSERT INTO ${o.series} (${key.join(', ')})
  SELECT DISTINCT ${key.join(', ')} FROM ${o.source} src WHERE workflow_id = w AND day >= d0 AND ${o.nonEmpty}
  ON CONFLICT DO NOTHING;
  WITH daily AS MATERIALIZED (
    SELECT ${['s.id AS series_id', 'h.day', ...o.scopeColumns.map((c) => `s.${c}`), ...o.daily].join(', ')}
    FROM (
      SELECT ${['x.*', `${o.nh}::float8 AS nh`, `${o.c} AS c`, ...o.stratumColumns].join(', ')}
      FROM (
        SELECT ${key.map((k) => `r.${k}`).join(', ')}, r.day, ${o.sourceColumns.map((c) => `r.${c}::float8 AS ${c}`).join(', ')},
               d.n::float8 AS design, d.variance_factor AS stored_c
        FROM ${o.source} r
        LEFT JOIN quality_design_strata d ON d.workflow_id = r.workflow_id AND d.day = r.day AND d.stratum = r.stratum
        WHERE r.workflow_id = w AND r.day >= d0 AND ${o.sourceNonEmpty}
      ) x
    ) h
    JOIN ${o.series} s ON ${seriesJoin}
    GROUP BY s.id, h.day
  ),
  bases AS MATERIALIZED (
    SELECT k.series_id, ${o.columns.map((c) => `coalesce(b.${c}, 0) AS ${c}`).join(', ')}
    FROM (SELECT DISTINCT series_id FROM daily) k
    LEFT JOIN LATERAL (SELECT * FROM ${o.terms} t WHERE t.series_id = k.series_id AND t.day < d0 ORDER BY t.day DESC LIMIT 1) b ON true
  )${o.alsoWith ?? ''}
  INSERT INTO ${o.terms} (${['series_id', 'day', ...o.scopeColumns, ...o.columns].join(', ')})
  SELECT ${['d.series_id', 'd.day', ...o.scopeColumns.map((c) => `d.${c}`), ...dailyNames.map((c) => `b.${c} + sum(d.${c}::numeric) OVER running`)].join(', ')}
  FROM daily d JOIN bases b ON b.series_id = d.series_id
  WINDOW running AS (PARTITION BY d.series_id ORDER BY d.day);
END
$f$;`;
}

const AGENT_KEY = ['workflow_id', 'vendor_id', 'site_id', 'team_id', 'agent_id'];
const LABEL_KEY = ['workflow_id', 'vendor_id', 'label'];

const AGENT_RECOMPUTE = recomputeFunction({
  name: 'assay_agent_terms_recompute',
  terms: 'quality_agent_terms',
  series: 'quality_agent_series',
  seriesKey: AGENT_KEY,
  scopeColumns: ['vendor_id', 'site_id', 'team_id', 'agent_id'],
  source: 'quality_rollup_agent',
  sourceColumns: AGENT_SOURCE_COLUMNS,
  nonEmpty: 'n <> 0',
  sourceNonEmpty: 'r.n <> 0',
  nh: 'x.design',
  c: 'x.stored_c',
  stratumColumns: [],
  daily: AGENT_DAILY,
  columns: AGENT_TERM_COLUMNS,
  alsoBefore: 'DELETE FROM quality_agent_overlaps WHERE workflow_id = w AND day >= d0;',
  // An agent with two series on one (workflow, day): both cells are corrected live by queries.
  alsoWith: `,
  overlap_cells AS (
    INSERT INTO quality_agent_overlaps (series_id, day, workflow_id, vendor_id, site_id, team_id, agent_id)
    SELECT series_id, day, w, vendor_id, site_id, team_id, agent_id
    FROM (SELECT daily.*, count(*) OVER (PARTITION BY agent_id, day) AS series_that_day FROM daily) o
    WHERE series_that_day > 1
  )`,
});

const LABEL_NH = `greatest(x.design, ${sum('x.n_tp', 'x.n_fp', 'x.n_fn')})`;
const LABEL_RECOMPUTE = recomputeFunction({
  name: 'assay_vendor_label_terms_recompute',
  terms: 'quality_vendor_label_terms',
  series: 'quality_vendor_label_series',
  seriesKey: LABEL_KEY,
  scopeColumns: ['vendor_id'],
  source: 'quality_label_rollup_vendor',
  sourceColumns: LABEL_SOURCE_COLUMNS,
  nonEmpty: 'n_tp + n_fp + n_fn <> 0',
  sourceNonEmpty: 'r.n_tp + r.n_fp + r.n_fn <> 0',
  // Pooled-label rule of cellSpec: n_h = greatest(design count, the stratum's cells in the slice).
  nh: LABEL_NH,
  c: `CASE WHEN ${LABEL_NH} >= 2 THEN ${LABEL_NH} / (${LABEL_NH} - 1) ELSE 0 END`,
  stratumColumns: LABEL_STRATUM,
  daily: LABEL_DAILY,
  columns: LABEL_TERM_COLUMNS,
});

/**
 * The overall figure of a label rate pools every label (and, for a viewer who sees every vendor, every
 * vendor) per stratum before squaring, so it has series of its own: per (workflow, vendor) and per
 * workflow, over the label cuboid summed per stratum as ratioTerms sums it for a slice without groups.
 */
const pooledSource = (key: string[]) =>
  `(SELECT ${[...key, 'day', 'stratum'].join(', ')}, ${LABEL_SOURCE_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM quality_label_rollup_vendor GROUP BY ${[...key, 'day', 'stratum'].join(', ')})`;
const pooledRecompute = (name: string, table: string, key: string[], scopeColumns: string[]) =>
  recomputeFunction({
    name,
    terms: `${table}_terms`,
    series: `${table}_series`,
    seriesKey: key,
    scopeColumns,
    source: pooledSource(key),
    sourceColumns: LABEL_SOURCE_COLUMNS,
    nonEmpty: 'n_tp + n_fp + n_fn <> 0',
    sourceNonEmpty: 'r.n_tp + r.n_fp + r.n_fn <> 0',
    nh: LABEL_NH,
    c: `CASE WHEN ${LABEL_NH} >= 2 THEN ${LABEL_NH} / (${LABEL_NH} - 1) ELSE 0 END`,
    stratumColumns: LABEL_STRATUM,
    daily: LABEL_DAILY,
    columns: LABEL_TERM_COLUMNS,
  });
const VENDOR_POOLED_RECOMPUTE = pooledRecompute('assay_vendor_pooled_terms_recompute', 'quality_vendor_pooled', ['workflow_id', 'vendor_id'], ['vendor_id']);
const WORKFLOW_POOLED_RECOMPUTE = pooledRecompute('assay_workflow_pooled_terms_recompute', 'quality_workflow_pooled', ['workflow_id'], []);

const dirtyTrigger = (operation: 'INSERT' | 'UPDATE' | 'DELETE') => {
  const table = operation === 'DELETE' ? 'old_rows' : 'new_rows';
  const referencing = operation === 'DELETE' ? 'OLD TABLE AS old_rows' : 'NEW TABLE AS new_rows';
  const name = `assay_terms_dirty_${operation.toLowerCase()}`;
  return `
CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  INSERT INTO quality_terms_dirty (workflow_id, day) SELECT DISTINCT workflow_id, day FROM ${table};
  RETURN NULL;
END
$f$;
CREATE TRIGGER quality_design_strata_terms_${operation.toLowerCase()} AFTER ${operation} ON quality_design_strata
  REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}();`;
};

const TERMS_TABLES = [
  'quality_agent_terms', 'quality_agent_series', 'quality_agent_overlaps', 'quality_vendor_label_terms', 'quality_vendor_label_series',
  'quality_vendor_pooled_terms', 'quality_vendor_pooled_series', 'quality_workflow_pooled_terms', 'quality_workflow_pooled_series', 'quality_terms_dirty',
].join(', ');

const UP = `
-- (workflow, day) pairs whose rollups changed since the running terms were last recomputed. Insert-only:
-- concurrent writers never wait for each other here. No row-level security: like quality_design_strata
-- it names no one (a workflow and a day).
CREATE TABLE quality_terms_dirty (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id uuid NOT NULL,
  day date NOT NULL
);
CREATE INDEX quality_terms_dirty_day_idx ON quality_terms_dirty (day, workflow_id);

CREATE TABLE quality_agent_series (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  CONSTRAINT quality_agent_series_key UNIQUE NULLS NOT DISTINCT (agent_id, workflow_id, vendor_id, site_id, team_id)
);
CREATE INDEX quality_agent_series_vendor_idx ON quality_agent_series (vendor_id);
-- Running totals per series and day (days with reviews only): the terms of every day up to and including it.
CREATE TABLE quality_agent_terms (
  series_id integer NOT NULL,
  day date NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
${exactColumns(AGENT_TERM_COLUMNS)},
  PRIMARY KEY (series_id, day)
);
CREATE TABLE quality_agent_overlaps (
  series_id integer NOT NULL,
  day date NOT NULL,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  site_id uuid NOT NULL,
  team_id uuid,
  agent_id uuid NOT NULL,
  PRIMARY KEY (series_id, day)
);
CREATE INDEX quality_agent_overlaps_day_idx ON quality_agent_overlaps (workflow_id, day);

CREATE TABLE quality_vendor_label_series (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  label text NOT NULL,
  CONSTRAINT quality_vendor_label_series_key UNIQUE (workflow_id, vendor_id, label)
);
CREATE TABLE quality_vendor_label_terms (
  series_id integer NOT NULL,
  day date NOT NULL,
  vendor_id uuid NOT NULL,
${exactColumns(LABEL_TERM_COLUMNS)},
  PRIMARY KEY (series_id, day)
);

CREATE TABLE quality_vendor_pooled_series (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  CONSTRAINT quality_vendor_pooled_series_key UNIQUE (workflow_id, vendor_id)
);
CREATE TABLE quality_vendor_pooled_terms (
  series_id integer NOT NULL,
  day date NOT NULL,
  vendor_id uuid NOT NULL,
${exactColumns(LABEL_TERM_COLUMNS)},
  PRIMARY KEY (series_id, day)
);
CREATE TABLE quality_workflow_pooled_series (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id uuid NOT NULL UNIQUE
);
CREATE TABLE quality_workflow_pooled_terms (
  series_id integer NOT NULL,
  day date NOT NULL,
${exactColumns(LABEL_TERM_COLUMNS)},
  PRIMARY KEY (series_id, day)
);

${dirtyTrigger('INSERT')}
${dirtyTrigger('UPDATE')}
${dirtyTrigger('DELETE')}
CREATE FUNCTION assay_terms_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  TRUNCATE ${TERMS_TABLES};
  RETURN NULL;
END
$f$;
CREATE TRIGGER quality_design_strata_terms_truncate AFTER TRUNCATE ON quality_design_strata FOR EACH STATEMENT EXECUTE FUNCTION assay_terms_truncate();

${AGENT_RECOMPUTE}
${LABEL_RECOMPUTE}
${VENDOR_POOLED_RECOMPUTE}
${WORKFLOW_POOLED_RECOMPUTE}

-- Brings the running terms up to date; returns how many log rows it consumed. Serialised by an
-- advisory lock. The log rows are read first and only those are deleted at the end: a writer that
-- commits while the rollups are read stays logged, and the next refresh (or a query) sees it.
CREATE FUNCTION assay_running_terms_refresh() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
DECLARE
  seen bigint[];
  w record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('assay_running_terms_refresh'));
  seen := ARRAY(SELECT id FROM quality_terms_dirty);
  IF cardinality(seen) = 0 THEN RETURN 0; END IF;
  FOR w IN SELECT workflow_id, min(day) AS from_day FROM quality_terms_dirty WHERE id = ANY (seen) GROUP BY workflow_id LOOP
    PERFORM assay_agent_terms_recompute(w.workflow_id, w.from_day);
    PERFORM assay_vendor_label_terms_recompute(w.workflow_id, w.from_day);
    PERFORM assay_vendor_pooled_terms_recompute(w.workflow_id, w.from_day);
    PERFORM assay_workflow_pooled_terms_recompute(w.workflow_id, w.from_day);
  END LOOP;
  DELETE FROM quality_terms_dirty WHERE id = ANY (seen);
  RETURN cardinality(seen);
END
$f$;

-- The rebuild (0008's) ends with the running terms recomputed from the rebuilt rollups.
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
  PERFORM assay_running_terms_refresh();
  RETURN total;
END
$f$;

REVOKE EXECUTE ON FUNCTION assay_running_terms_refresh() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION assay_agent_terms_recompute(uuid, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION assay_vendor_label_terms_recompute(uuid, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION assay_vendor_pooled_terms_recompute(uuid, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION assay_workflow_pooled_terms_recompute(uuid, date) FROM PUBLIC;

ALTER TABLE quality_agent_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_agent_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_agent_overlaps ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_vendor_label_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_vendor_label_terms ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_agent_series_scope ON quality_agent_series FOR SELECT TO assay_app USING (${PERSON_ROW});
CREATE POLICY quality_agent_terms_scope ON quality_agent_terms FOR SELECT TO assay_app USING (${PERSON_ROW});
CREATE POLICY quality_agent_overlaps_scope ON quality_agent_overlaps FOR SELECT TO assay_app USING (${PERSON_ROW});
CREATE POLICY quality_vendor_label_series_scope ON quality_vendor_label_series FOR SELECT TO assay_app USING (${VENDOR_WIDE});
CREATE POLICY quality_vendor_label_terms_scope ON quality_vendor_label_terms FOR SELECT TO assay_app USING (${VENDOR_WIDE});
ALTER TABLE quality_vendor_pooled_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_vendor_pooled_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_workflow_pooled_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE quality_workflow_pooled_terms ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_vendor_pooled_series_scope ON quality_vendor_pooled_series FOR SELECT TO assay_app USING (${VENDOR_WIDE});
CREATE POLICY quality_vendor_pooled_terms_scope ON quality_vendor_pooled_terms FOR SELECT TO assay_app USING (${VENDOR_WIDE});
-- Pooled over every vendor: only for viewers who see every vendor.
CREATE POLICY quality_workflow_pooled_series_scope ON quality_workflow_pooled_series FOR SELECT TO assay_app USING (${kind} = 'all');
CREATE POLICY quality_workflow_pooled_terms_scope ON quality_workflow_pooled_terms FOR SELECT TO assay_app USING (${kind} = 'all');
GRANT SELECT ON ${TERMS_TABLES} TO assay_app;

-- Backfill from the rollups as they stand.
INSERT INTO quality_terms_dirty (workflow_id, day) SELECT workflow_id, min(day) FROM quality_design_strata GROUP BY workflow_id;
SELECT assay_running_terms_refresh();
ANALYZE ${TERMS_TABLES};
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The running variance terms cannot be reverted; restore a backup instead.');
}

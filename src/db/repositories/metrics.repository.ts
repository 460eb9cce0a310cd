import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * The metrics engine's SQL: sums of the quality rollups (migration 0006) and
 * the production aggregates grouped by the requested dimensions, period and
 * design stratum, in one statement per request, aggregated in PostgreSQL to
 * the coarsest level the estimators need (one row per group, period and
 * design stratum); the names behind the ids. The reviews behind a figure are in
 * metrics-drill-down.repository.ts, the running variance terms in metrics-running-terms.repository.ts.
 * Row-level security keeps every rollup row to the viewer's scope, except the
 * design counts (quality_design_strata), which a domain estimate needs whole.
 */

export type SliceDimension =
  | 'vendor' | 'site' | 'team' | 'agent' | 'workflow' | 'policy' | 'label' | 'severity' | 'tenure_band' | 'reviewer' | 'reviewer_vendor';
export type SliceGrain = 'day' | 'week' | 'month';

export interface SliceFilter {
  dimension: SliceDimension;
  /** The row's value is one of these. */
  values: string[];
}

export interface Slice {
  /** Group by these (at most 2), in order: the rows carry them as g0, g1 (text; null team = null). */
  by: SliceDimension[];
  filters: SliceFilter[];
  /** Inclusive UTC days. */
  from: string;
  to: string;
  /** Also group by the period containing each day (its first day, text); null = no period. */
  grain: SliceGrain | null;
}

export type RollupTable =
  | 'quality_rollup' | 'quality_rollup_agent' | 'quality_rollup_team' | 'quality_rollup_vendor' | 'quality_label_rollup' | 'quality_label_rollup_vendor';
export type ProductionTable = 'production_daily' | 'production_vendor_daily';
export type ErrorTable = 'quality_error_rollup' | 'quality_error_rollup_vendor';
const isLabelTable = (table: RollupTable) => table === 'quality_label_rollup' || table === 'quality_label_rollup_vendor';

const cell = (name: string) => [`n_${name}`, `sum_w_${name}`, `sum_w2_${name}`] as const;
const ROLLUP_COLUMNS = [
  'n', 'sum_w', 'sum_w2', ...cell('correct'), ...cell('critical'), ...cell('passed'), ...cell('tp'), ...cell('fp'), ...cell('fn'),
  'sum_score', 'sum_w_score', 'sum_w2_score', 'sum_w2_score2', 'sum_time_on_task_ms', 'n_disputed', 'n_overturned',
] as const;
export type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(ROLLUP_COLUMNS);
const LABEL_COLUMNS: ReadonlySet<string> = new Set([...cell('tp'), ...cell('fp'), ...cell('fn')]);

/** Columns of the organisation key, by dimension; label and policy are handled apart. */
export const KEY_COLUMN: Record<Exclude<SliceDimension, 'label' | 'policy'>, { column: string; uuid: boolean }> = {
  vendor: { column: 'vendor_id', uuid: true },
  site: { column: 'site_id', uuid: true },
  team: { column: 'team_id', uuid: true },
  agent: { column: 'agent_id', uuid: true },
  workflow: { column: 'workflow_id', uuid: true },
  reviewer: { column: 'reviewer_id', uuid: true },
  reviewer_vendor: { column: 'reviewer_vendor_id', uuid: true },
  severity: { column: 'severity', uuid: false },
  tenure_band: { column: 'tenure_band', uuid: false },
};

/** Which dimensions each source keeps. */
const TABLE_DIMENSIONS: Record<RollupTable | ProductionTable | ErrorTable, ReadonlySet<SliceDimension>> = {
  quality_rollup: new Set(['vendor', 'site', 'team', 'agent', 'workflow', 'severity', 'tenure_band', 'reviewer', 'reviewer_vendor']),
  quality_rollup_agent: new Set(['vendor', 'site', 'team', 'agent', 'workflow']),
  quality_rollup_team: new Set(['vendor', 'site', 'team', 'workflow', 'severity', 'tenure_band']),
  quality_rollup_vendor: new Set(['vendor', 'workflow']),
  quality_label_rollup_vendor: new Set(['vendor', 'workflow', 'label', 'policy']),
  production_vendor_daily: new Set(['vendor', 'workflow', 'label', 'policy']),
  quality_label_rollup: new Set(['vendor', 'site', 'team', 'agent', 'workflow', 'severity', 'tenure_band', 'reviewer', 'reviewer_vendor', 'label', 'policy']),
  production_daily: new Set(['vendor', 'site', 'team', 'agent', 'workflow', 'label', 'policy']),
  quality_error_rollup: new Set(['vendor', 'site', 'team', 'agent', 'workflow', 'reviewer', 'reviewer_vendor']),
  quality_error_rollup_vendor: new Set(['vendor', 'workflow']),
};

/** Label keys are unique to a policy across its versions: the policy of a label. */
export const LABEL_POLICY = sql`(SELECT DISTINCT pl.key AS label, pv.policy_id FROM policy_labels pl JOIN policy_versions pv ON pv.id = pl.policy_version_id)`;

function checkDimensions(source: keyof typeof TABLE_DIMENSIONS, slice: Slice): void {
  for (const d of [...slice.by, ...slice.filters.map((f) => f.dimension)]) {
    if (!TABLE_DIMENSIONS[source].has(d)) throw new Error(`${source} has no ${d} dimension`);
  }
}

const needsPolicyJoin = (slice: Slice) => slice.by.includes('policy') || slice.filters.some((f) => f.dimension === 'policy');

function groupExpression(d: SliceDimension): RawBuilder<unknown> {
  if (d === 'label') return sql`r.label`;
  if (d === 'policy') return sql`lp.policy_id::text`;
  return sql`${sql.ref(`r.${KEY_COLUMN[d].column}`)}::text`;
}

function periodExpression(grain: SliceGrain | null): RawBuilder<unknown> {
  if (grain === null) return sql`NULL::text`;
  if (grain === 'day') return sql`r.day::text`;
  // date_trunc on a timestamp (not timestamptz): no session time zone gets in the way.
  return grain === 'week' ? sql`date_trunc('week', r.day::timestamp)::date::text` : sql`date_trunc('month', r.day::timestamp)::date::text`;
}

export function filterCondition(f: SliceFilter): RawBuilder<unknown> {
  if (f.dimension === 'label') return sql`r.label = ANY(${f.values}::text[])`;
  if (f.dimension === 'policy') return sql`lp.policy_id = ANY(${f.values}::uuid[])`;
  const { column, uuid } = KEY_COLUMN[f.dimension];
  // One value as an equality: the planner estimates the rows it selects from the column's statistics.
  if (f.values.length === 1) return uuid ? sql`${sql.ref(`r.${column}`)} = ${f.values[0]}::uuid` : sql`${sql.ref(`r.${column}`)} = ${f.values[0]}::text`;
  return uuid ? sql`${sql.ref(`r.${column}`)} = ANY(${f.values}::uuid[])` : sql`${sql.ref(`r.${column}`)} = ANY(${f.values}::text[])`;
}

function whereOf(slice: Slice, extra: RawBuilder<unknown>[] = []): RawBuilder<unknown> {
  const conditions = [sql`r.day BETWEEN ${slice.from}::date AND ${slice.to}::date`, ...slice.filters.map(filterCondition), ...extra];
  return sql.join(conditions, sql` AND `);
}

function groupColumns(slice: Slice): RawBuilder<unknown> {
  const g = [0, 1].map((i) => (slice.by[i] ? groupExpression(slice.by[i]!) : sql`NULL::text`));
  return sql`${g[0]} AS g0, ${g[1]} AS g1, ${periodExpression(slice.grain)} AS period`;
}

/**
 * The group columns in their own types (uuid, text, date), for grouping without casting every row to
 * text first (the text is made once per group, when output).
 */
function typedGroupColumns(slice: Slice): RawBuilder<unknown> {
  const typed = (d: SliceDimension | undefined): RawBuilder<unknown> => {
    if (d === undefined) return sql`NULL::text`;
    if (d === 'label') return sql`r.label`;
    if (d === 'policy') return sql`lp.policy_id`;
    return sql.ref(`r.${KEY_COLUMN[d].column}`);
  };
  const g0 = typed(slice.by[0]);
  const g1 = typed(slice.by[1]);
  const period =
    slice.grain === null
      ? sql`NULL::text`
      : slice.grain === 'day'
        ? sql`r.day`
        : slice.grain === 'week'
          ? sql`date_trunc('week', r.day::timestamp)::date`
          : sql`date_trunc('month', r.day::timestamp)::date`;
  return sql`${g0} AS g0, ${g1} AS g1, ${period} AS period`;
}

export interface GroupedRow {
  g0: string | null;
  g1: string | null;
  period: string | null;
}

export interface StratumRow extends GroupedRow {
  /** The design stratum: `${workflow_id}|${day}|${plan version:stratum key}`. */
  stratum: string;
  /** Reviews in the design stratum over every slice and scope (quality_design_strata); null if missing. */
  n_stratum: number | null;
}

export type SumsRow<C extends RollupColumn> = StratumRow & Record<C, number>;
export type GroupSumsRow<C extends RollupColumn> = GroupedRow & Record<C, number>;

function sumList(table: RollupTable, columns: readonly RollupColumn[]): RawBuilder<unknown> {
  for (const c of columns) {
    if (!KNOWN_COLUMNS.has(c) || (isLabelTable(table) && !LABEL_COLUMNS.has(c))) throw new Error(`${table} has no column ${c}`);
  }
  return sql.join(columns.map((c) => sql`sum(${sql.ref(`r.${c}`)})::float8 AS ${sql.ref(c)}`));
}

/**
 * Sums of rollup columns per group, period and design stratum, each row with
 * its stratum's design count. Rows whose every review was subtracted again
 * (n = 0, or no cell for a label row) are left out.
 */
export async function stratumSums<C extends RollupColumn>(db: Executor, table: RollupTable, slice: Slice, columns: readonly C[]): Promise<Array<SumsRow<C>>> {
  checkDimensions(table, slice);
  const join = needsPolicyJoin(slice) ? sql`JOIN ${LABEL_POLICY} lp ON lp.label = r.label` : sql``;
  const nonEmpty = isLabelTable(table) ? sql`sum(r.n_tp + r.n_fp + r.n_fn) <> 0` : sql`sum(r.n) <> 0`;
  const { rows } = await sql<SumsRow<C>>`
    WITH s AS (
      SELECT ${groupColumns(slice)}, r.workflow_id AS s_workflow, r.day AS s_day, r.stratum AS s_stratum, ${sumList(table, columns)}
      FROM ${sql.table(table)} r ${join}
      WHERE ${whereOf(slice)}
      GROUP BY 1, 2, 3, r.workflow_id, r.day, r.stratum
      HAVING ${nonEmpty}
    )
    SELECT s.g0, s.g1, s.period, ${sql.join(columns.map((c) => sql.ref(`s.${c}`)))},
           s.s_workflow::text || '|' || s.s_day::text || '|' || s.s_stratum AS stratum, d.n AS n_stratum
    FROM s LEFT JOIN quality_design_strata d ON d.workflow_id = s.s_workflow AND d.day = s.s_day AND d.stratum = s.s_stratum`.execute(db);
  return rows;
}

/**
 * How a stratum's domain sums come from its column sums: each field a linear combination of rollup
 * columns (and of the derived true-negative columns n_tn, sum_w_tn, sum_w2_tn = the stratum's n,
 * sum_w, sum_w2 minus the tp, fp and fn cells', never below 0). The same shape as the domain's
 * StratumSumsSpec (src/domain/stats/ratio-terms.ts), which defines what the fields mean.
 */
export interface TermsSpec {
  n: Readonly<Record<string, number>>;
  sumWA: Readonly<Record<string, number>>;
  sumWB: Readonly<Record<string, number>>;
  sumW2AA: Readonly<Record<string, number>>;
  sumW2AB: Readonly<Record<string, number>>;
  sumW2BB: Readonly<Record<string, number>>;
  inDomain?: Readonly<Record<string, number>>;
  sampleA?: Readonly<Record<string, number>>;
  sampleB?: Readonly<Record<string, number>>;
  skipEmpty?: boolean;
}

export interface TermsRow extends GroupedRow {
  /** The slice's overall figure (every group's rows, merged per stratum) rather than a group. */
  overall: boolean;
  n: number;
  strata: number;
  singleton_strata: number;
  /** Strata with items but no design count, or one below their n (the domain refuses the figure). */
  undesigned: number;
  sum_wa: number;
  sum_wb: number;
  sum_w2bb: number;
  q_aa: number;
  q_ab: number;
  q_bb: number;
  sample_a: number;
  sample_b: number;
  /** The (group, stratum) rows summed (a group appears only with at least one). */
  row_count: number;
}

/** The dimensions that, with (workflow, day, stratum), make a table's key: grouped by them, a table has one row per group and stratum. */
const ROW_PER_STRATUM: Partial<Record<RollupTable, readonly SliceDimension[]>> = {
  quality_rollup_vendor: ['vendor'],
  quality_label_rollup_vendor: ['vendor', 'label'],
};

const TRUE_NEGATIVE = ['n_tn', 'sum_w_tn', 'sum_w2_tn'] as const;
const TN_SOURCE: Record<(typeof TRUE_NEGATIVE)[number], [RollupColumn, RollupColumn, RollupColumn, RollupColumn]> = {
  n_tn: ['n', 'n_tp', 'n_fp', 'n_fn'],
  sum_w_tn: ['sum_w', 'sum_w_tp', 'sum_w_fp', 'sum_w_fn'],
  sum_w2_tn: ['sum_w2', 'sum_w2_tp', 'sum_w2_fp', 'sum_w2_fn'],
};

function combination(combo: Readonly<Record<string, number>> | undefined): RawBuilder<unknown> {
  const terms = Object.entries(combo ?? {}).filter(([, k]) => k !== 0);
  if (terms.length === 0) return sql`0::float8`;
  return sql`(${sql.join(
    terms.map(([column, k]) => {
      if (!Number.isFinite(k)) throw new Error(`coefficient of ${column} must be finite`);
      return k === 1 ? sql.ref(`x.${column}`) : sql`${sql.lit(k)}::float8 * ${sql.ref(`x.${column}`)}`;
    }),
    sql` + `,
  )})`;
}

/**
 * One row per group (a slice without dimensions or period: one row, its overall) holding the additive
 * totals of the per-stratum terms of the domain's ratio estimator (src/domain/stats/ratio-terms.ts,
 * stratumTerms): per group and design stratum the column sums become the domain sums A, B, AA, AB, BB
 * and n by the spec, with n_h the stratum's design count (raised to the spec's inDomain items when it
 * has one), and
 *   c_h = n_h / (n_h - 1) (0 when n_h < 2),  q_xy = c_h (XY - X Y / n_h)
 * is summed over the group's strata with n, A, B and BB. One pipeline: scan, sum per group and
 * stratum (skipped when the table has one row per group and stratum already), join the design counts,
 * sum per group. Row-level security applies to the rollup rows; the design counts are read whole.
 */
export async function ratioTerms(db: Executor, table: RollupTable, slice: Slice, spec: TermsSpec): Promise<TermsRow[]> {
  const { rows } = await sql<TermsRow>`${ratioTermsQuery(table, slice, spec)}`.execute(db);
  return rows;
}

/**
 * The statement of ratioTerms, for embedding: `extra` conditions restrict the rollup rows read (the
 * running-terms path corrects a few days live with it, metrics-running-terms.repository.ts). Each row
 * also carries row_count, the (group, stratum) rows summed.
 */
export function ratioTermsQuery(table: RollupTable, slice: Slice, spec: TermsSpec, extra: RawBuilder<unknown>[] = []): RawBuilder<TermsRow> {
  checkDimensions(table, slice);
  const combos = [spec.n, spec.sumWA, spec.sumWB, spec.sumW2AA, spec.sumW2AB, spec.sumW2BB, spec.inDomain, spec.sampleA, spec.sampleB];
  const read = new Set(combos.flatMap((c) => Object.keys(c ?? {})));
  const derived = TRUE_NEGATIVE.filter((c) => read.has(c));
  const stored = new Set<RollupColumn>();
  for (const column of read) {
    if ((TRUE_NEGATIVE as readonly string[]).includes(column)) TN_SOURCE[column as (typeof TRUE_NEGATIVE)[number]].forEach((c) => stored.add(c));
    else stored.add(column as RollupColumn);
  }
  const columns = [...stored];
  const join = needsPolicyJoin(slice) ? sql`JOIN ${LABEL_POLICY} lp ON lp.label = r.label` : sql``;
  const nonEmpty = isLabelTable(table) ? sql`sum(r.n_tp + r.n_fp + r.n_fn) <> 0` : sql`sum(r.n) <> 0`;
  const single = slice.by.length === 0 && slice.grain === null;
  // A vendor cuboid grouped by its whole key has one row per group and stratum: no grouping needed.
  const key = ROW_PER_STRATUM[table];
  const unique = key !== undefined && key.every((d) => slice.by.includes(d)) && !needsPolicyJoin(slice);
  const groups = typedGroupColumns(slice);
  const perStratum = unique
    ? sql`
      SELECT ${groups}, r.workflow_id AS s_workflow, r.day AS s_day, r.stratum AS s_stratum, ${sql.join(columns.map((c) => sql`${sql.ref(`r.${c}`)}::float8 AS ${sql.ref(c)}`))}
      FROM ${sql.table(table)} r ${join}
      WHERE ${whereOf(slice, [isLabelTable(table) ? sql`r.n_tp + r.n_fp + r.n_fn <> 0` : sql`r.n <> 0`, ...extra])}`
    : sql`
      SELECT ${groups}, r.workflow_id AS s_workflow, r.day AS s_day, r.stratum AS s_stratum, ${sumList(table, columns)}
      FROM ${sql.table(table)} r ${join}
      WHERE ${whereOf(slice, extra)}
      GROUP BY 1, 2, 3, r.workflow_id, r.day, r.stratum
      HAVING ${nonEmpty}`;
  const tn = derived.map((c) => {
    const [all, tp, fp, fn] = TN_SOURCE[c].map((k) => sql.ref(`u.${k}`));
    return sql`, greatest(0, ${all} - ${tp} - ${fp} - ${fn})::float8 AS ${sql.ref(c)}`;
  });
  // n_h, and c_h = n_h / (n_h - 1): stored with the design count (migration 0009), unless the spec
  // raises n_h to the stratum's items in the slice (pooled labels), then computed here.
  const nh = spec.inDomain ? sql`greatest(x.design, ${combination(spec.inDomain)})` : sql`x.design`;
  const factor = spec.inDomain ? sql`CASE WHEN ${nh} >= 2 THEN ${nh} / (${nh} - 1) ELSE 0 END AS c` : sql`x.c`;
  // A stratum that adds nothing (skipEmpty) needs no design count; its terms are 0 and its group stays.
  const counted = spec.skipEmpty ? sql`NOT (h.n = 0 AND h.a = 0 AND h.b = 0) AND ` : sql``;
  // q_xy = sum over strata of c_h (XY - X Y / n_h), in stratumTerms' order of operations: e.g. q('ab', 'a', 'b').
  const q = (xy: string, x: string, y: string) =>
    sql`coalesce(sum(h.c * (${sql.ref(`h.${xy}`)} - ${sql.ref(`h.${x}`)} * ${sql.ref(`h.${y}`)} / h.nh)), 0)::float8`;
  return sql<TermsRow>`
    SELECT ${sql.lit(single)} AS overall, h.g0::text AS g0, h.g1::text AS g1, h.period::text AS period, sum(h.n)::float8 AS n,
           (count(*) FILTER (WHERE h.n > 0))::int AS strata, (count(*) FILTER (WHERE h.n > 0 AND h.nh = 1))::int AS singleton_strata,
           (count(*) FILTER (WHERE ${counted}(h.design IS NULL OR h.nh < h.n)))::int AS undesigned,
           sum(h.a)::float8 AS sum_wa, sum(h.b)::float8 AS sum_wb, sum(h.bb)::float8 AS sum_w2bb,
           ${q('aa', 'a', 'a')} AS q_aa, ${q('ab', 'a', 'b')} AS q_ab, ${q('bb', 'b', 'b')} AS q_bb,
           sum(h.sa)::float8 AS sample_a, sum(h.sb)::float8 AS sample_b, count(*)::float8 AS row_count
    FROM (
      SELECT x.g0, x.g1, x.period, x.design, ${nh}::float8 AS nh, ${factor}, ${combination(spec.n)} AS n, ${combination(spec.sumWA)} AS a,
             ${combination(spec.sumWB)} AS b, ${combination(spec.sumW2AA)} AS aa, ${combination(spec.sumW2AB)} AS ab, ${combination(spec.sumW2BB)} AS bb,
             ${combination(spec.sampleA)} AS sa, ${combination(spec.sampleB)} AS sb
      FROM (
        SELECT u.*${sql.join(tn, sql``)}, d.n::float8 AS design, d.variance_factor AS c
        FROM (${perStratum}) u
        LEFT JOIN quality_design_strata d ON d.workflow_id = u.s_workflow AND d.day = u.s_day AND d.stratum = u.s_stratum
      ) x
      -- Not flattened into the sums below: each (group, stratum) row's terms are computed once, not once per aggregate using them.
      OFFSET 0
    ) h
    GROUP BY h.g0, h.g1, h.period`;
}

/** Sums of rollup columns per group and period, strata merged (for unweighted counts). */
export async function groupSums<C extends RollupColumn>(db: Executor, table: Exclude<RollupTable, 'quality_label_rollup' | 'quality_label_rollup_vendor'>, slice: Slice, columns: readonly C[]): Promise<Array<GroupSumsRow<C>>> {
  checkDimensions(table, slice);
  const { rows } = await sql<GroupSumsRow<C>>`
    SELECT ${groupColumns(slice)}, ${sumList(table, columns)}
    FROM ${sql.table(table)} r
    WHERE ${whereOf(slice)}
    GROUP BY 1, 2, 3
    HAVING sum(r.n) <> 0`.execute(db);
  return rows;
}

export interface ProductionRow extends GroupedRow {
  /** Decisions counted once per label row (exact per label). */
  decisions: number;
  handle_time_ms: number;
  /** Decisions counted 1/k per label row for a decision with k labels (exact over labels). */
  decision_share: number;
  handle_time_share_ms: number;
}

/** Production volumes and handle time per group and period (a census: every decision). */
export async function productionSums(db: Executor, table: ProductionTable, slice: Slice): Promise<ProductionRow[]> {
  checkDimensions(table, slice);
  const join = needsPolicyJoin(slice) ? sql`JOIN ${LABEL_POLICY} lp ON lp.label = r.label` : sql``;
  const { rows } = await sql<ProductionRow>`
    SELECT ${groupColumns(slice)}, sum(r.decisions)::float8 AS decisions, sum(r.handle_time_ms_sum)::float8 AS handle_time_ms,
           sum(r.decision_share)::float8 AS decision_share, sum(r.handle_time_share_ms)::float8 AS handle_time_share_ms
    FROM ${sql.table(table)} r ${join}
    WHERE ${whereOf(slice)}
    GROUP BY 1, 2, 3
    HAVING sum(r.decisions) <> 0`.execute(db);
  return rows;
}

export interface ErrorCountRow {
  key: string;
  n: number;
  weighted: number;
}

/** Error types or root causes found in the slice's reviews, most frequent first. */
export async function errorCounts(db: Executor, table: ErrorTable, kind: 'error_type' | 'root_cause', slice: Omit<Slice, 'by' | 'grain'>): Promise<ErrorCountRow[]> {
  const full: Slice = { ...slice, by: [], grain: null };
  checkDimensions(table, full);
  const { rows } = await sql<ErrorCountRow>`
    SELECT r.key, sum(r.n)::int AS n, sum(r.sum_w)::float8 AS weighted
    FROM ${sql.table(table)} r
    WHERE r.kind = ${kind} AND ${whereOf(full)}
    GROUP BY r.key
    HAVING sum(r.n) > 0
    ORDER BY n DESC, r.key`.execute(db);
  return rows;
}

export interface NameRow {
  dimension: SliceDimension;
  id: string;
  name: string;
}

/** Where the names of ids are: a table with a uuid key (looked up by it, its index usable), or the labels' latest names. */
const NAME_TABLES: Partial<Record<SliceDimension, { table: string; name: string }>> = {
  vendor: { table: 'vendors', name: 'name' },
  reviewer_vendor: { table: 'vendors', name: 'name' },
  site: { table: 'sites', name: 'name' },
  team: { table: 'teams', name: 'name' },
  agent: { table: 'people', name: 'full_name' },
  reviewer: { table: 'people', name: 'full_name' },
  workflow: { table: 'workflows', name: 'name' },
  policy: { table: 'policies', name: 'name' },
};
// A label's name as of its latest version.
const LABEL_NAMES = sql`SELECT DISTINCT ON (pl.key) pl.key AS id, pl.name FROM policy_labels pl JOIN policy_versions pv ON pv.id = pl.policy_version_id ORDER BY pl.key, pv.effective_from DESC`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names of the ids seen, in one statement; rows outside the viewer's scope have none. */
export async function dimensionNames(db: Executor, wanted: ReadonlyArray<{ dimension: SliceDimension; ids: string[] }>): Promise<NameRow[]> {
  const parts = wanted.flatMap((w) => {
    if (w.dimension === 'label') return w.ids.length > 0 ? [sql`SELECT 'label'::text AS dimension, x.id, x.name FROM (${LABEL_NAMES}) x WHERE x.id = ANY(${w.ids}::text[])`] : [];
    const source = NAME_TABLES[w.dimension];
    // Row ids are uuids; anything else names nothing.
    const ids = w.ids.filter((id) => UUID.test(id));
    if (!source || ids.length === 0) return [];
    return [sql`SELECT ${w.dimension}::text AS dimension, x.id::text AS id, ${sql.ref(`x.${source.name}`)} AS name FROM ${sql.table(source.table)} x WHERE x.id = ANY(${ids}::uuid[])`];
  });
  if (parts.length === 0) return [];
  const { rows } = await sql<NameRow>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  return rows;
}

/**
 * Settings for this transaction's metrics statements. Custom plans always: the statements are named
 * prepared statements (database.ts), and a generic plan cannot see how many rollup rows a vendor or a
 * date range selects, so it planned sorts for tens of thousands of rows it expected to be a hundred.
 * With `largeAggregates`, memory for grouping a slice by agent and design stratum, which spills to disk
 * at the default work_mem (bench:metrics). With `genericPlans` (the running-terms path,
 * metrics-running-terms.repository.ts, whose statement costs more to plan than to run; its request's
 * other statement reads a small cuboid), generic plans kept per connection instead. One round trip.
 */
export async function tuneMetricsStatements(db: Executor, largeAggregates: boolean, genericPlans = false): Promise<void> {
  const plans = genericPlans ? 'force_generic_plan' : 'force_custom_plan';
  if (largeAggregates) await sql`SELECT set_config('plan_cache_mode', ${plans}, true), set_config('work_mem', '64MB', true)`.execute(db);
  else await sql`SELECT set_config('plan_cache_mode', ${plans}, true)`.execute(db);
}

import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../database.ts';
import { filterCondition, ratioTermsQuery, type RollupTable, type Slice, type TermsRow, type TermsSpec } from './metrics.repository.ts';

/**
 * The running variance terms (migration 0016, docs/decisions/0014): per series and day, the running
 * total of the per-stratum terms ratioTerms sums. A slice over [from, to] reads, per series, the last
 * total on or before `to` minus the last before `from`; the days logged in quality_terms_dirty since the
 * last refresh (and an agent's days with two series, quality_agent_overlaps) are corrected in the same
 * statement: their stored contribution out, their terms from the rollups in (ratioTermsQuery, the very
 * statement of the live path, restricted to those days). One statement, so one snapshot: a refresh
 * committing meanwhile is seen whole or not at all. Row-level security applies to the series, the
 * totals and the rollup rows alike.
 */

export type AgentTermsMeasure = 'correct' | 'critical' | 'passed' | 'score';
export type LabelTermsRate = 'precision' | 'recall' | 'f1' | 'under';

export type RunningTermsSource =
  /** quality_rollup_agent grouped by agent; filters on vendor, site, team, agent and workflow. */
  | { kind: 'agent'; measure: AgentTermsMeasure }
  /** quality_label_rollup_vendor grouped by vendor and label; filters on vendor, workflow and label. */
  | { kind: 'vendor_label'; rate: LabelTermsRate }
  /**
   * The overall of a label rate (every label pooled per stratum) over one vendor's rows (a one-vendor
   * filter, or a vendor's viewer), or over every vendor's (scope all, no vendor filter); filters on
   * workflow (and that one vendor).
   */
  | { kind: 'vendor_pooled' | 'workflow_pooled'; rate: LabelTermsRate };

const FIELDS = ['n', 'strata', 'singleton_strata', 'undesigned', 'sum_wa', 'sum_wb', 'sum_w2bb', 'q_aa', 'q_ab', 'q_bb', 'sample_a', 'sample_b', 'row_count'] as const;
type Field = (typeof FIELDS)[number];

/** The stored column behind each TermsRow field (null: 0, as ratioTerms gives it for a spec without it). */
function storedColumns(source: RunningTermsSource): Record<Field, string | null> {
  if (source.kind !== 'agent') {
    const r = source.rate;
    return Object.fromEntries(FIELDS.map((f) => [f, f === 'row_count' ? 'row_count' : `${r}_${f}`])) as Record<Field, string>;
  }
  const m = source.measure;
  return {
    n: 'n', strata: 'strata', singleton_strata: 'singleton_strata', undesigned: 'undesigned', sum_wa: `${m}_sum_wa`, sum_wb: 'sum_wb',
    sum_w2bb: 'sum_w2bb', q_aa: `${m}_q_aa`, q_ab: `${m}_q_ab`, q_bb: 'q_bb',
    // The mean score shows no sample value: ratioTerms' spec has none.
    sample_a: m === 'score' ? null : `${m}_sample_a`, sample_b: m === 'score' ? null : 'n', row_count: 'row_count',
  };
}

interface Layout {
  series: string;
  terms: string;
  rollup: RollupTable;
  /** The group columns g0, g1 (text) of a series row r. */
  groups: RawBuilder<unknown>;
  /** Cells corrected live besides the logged days: (series id, day) of an agent's overlapping series. */
  overlaps: boolean;
}

const LAYOUT: Record<RunningTermsSource['kind'], Layout> = {
  agent: { series: 'quality_agent_series', terms: 'quality_agent_terms', rollup: 'quality_rollup_agent', groups: sql`r.agent_id::text AS g0, NULL::text AS g1`, overlaps: true },
  vendor_label: { series: 'quality_vendor_label_series', terms: 'quality_vendor_label_terms', rollup: 'quality_label_rollup_vendor', groups: sql`r.vendor_id::text AS g0, r.label AS g1`, overlaps: false },
  vendor_pooled: { series: 'quality_vendor_pooled_series', terms: 'quality_vendor_pooled_terms', rollup: 'quality_label_rollup_vendor', groups: sql`NULL::text AS g0, NULL::text AS g1`, overlaps: false },
  workflow_pooled: { series: 'quality_workflow_pooled_series', terms: 'quality_workflow_pooled_terms', rollup: 'quality_label_rollup_vendor', groups: sql`NULL::text AS g0, NULL::text AS g1`, overlaps: false },
};
const OVERALL: ReadonlySet<RunningTermsSource['kind']> = new Set(['vendor_pooled', 'workflow_pooled']);

/**
 * ratioTerms' rows for a slice grouped by agent (or by vendor and label) with no period, or the
 * overall row of a label rate (a pooled source, slice.by empty), from the running totals: the same
 * figures, n, strata counts and groups (tests compare both to 1e-9). `spec` is the live path's, for
 * the corrected days. Planning this statement costs more than running it and its plan does not depend
 * on the values (index probes per series, a day list): the service runs it with generic plans when the
 * request's other statement allows (tuneMetricsStatements `genericPlans`); a connection keeps the plan
 * of its named prepared statement.
 */
export async function runningRatioTerms(db: Executor, source: RunningTermsSource, slice: Slice, spec: TermsSpec): Promise<TermsRow[]> {
  const layout = LAYOUT[source.kind];
  const stored = storedColumns(source);
  const pick = (alias: string) => sql.join(FIELDS.map((f) => (stored[f] === null ? sql`0::numeric` : sql.ref(`${alias}.${stored[f]}`))));
  const seriesFilters = slice.filters.map(filterCondition);
  const liveDays = layout.overlaps
    ? sql`((r.workflow_id, r.day) IN (SELECT workflow_id, day FROM dirty) OR (r.agent_id, r.workflow_id, r.day) IN (SELECT agent_id, workflow_id, day FROM overlap_cells))`
    : sql`(r.workflow_id, r.day) IN (SELECT workflow_id, day FROM dirty)`;
  // The day list first, as an index condition: with nothing logged, the rollup is not read at all.
  const live = ratioTermsQuery(layout.rollup, slice, spec, [sql`r.day = ANY (ARRAY(SELECT day FROM live_days))`, liveDays]);
  const last = (alias: string, bound: RawBuilder<unknown>) =>
    sql`CROSS JOIN LATERAL (SELECT * FROM ${sql.table(layout.terms)} t WHERE t.series_id = s.id AND ${bound} ORDER BY t.day DESC LIMIT 1) ${sql.ref(alias)}`;
  const total = (f: Field) => sql`sum(p.sign * p.${sql.ref(f)})::float8 AS ${sql.ref(f)}`;
  const { rows } = await sql<TermsRow>`
    WITH s AS MATERIALIZED (
      SELECT r.id, r.workflow_id, ${layout.groups} FROM ${sql.table(layout.series)} r
      ${seriesFilters.length > 0 ? sql`WHERE ${sql.join(seriesFilters, sql` AND `)}` : sql``}
    ),
    dirty AS MATERIALIZED (
      SELECT DISTINCT workflow_id, day FROM quality_terms_dirty WHERE day BETWEEN ${slice.from}::date AND ${slice.to}::date
    ),
    overlap_cells AS MATERIALIZED (
      ${layout.overlaps
        ? sql`SELECT o.series_id, o.agent_id, o.workflow_id, o.day FROM quality_agent_overlaps o JOIN s ON s.id = o.series_id
              WHERE o.day BETWEEN ${slice.from}::date AND ${slice.to}::date`
        : sql`SELECT NULL::int AS series_id, NULL::uuid AS agent_id, NULL::uuid AS workflow_id, NULL::date AS day WHERE false`}
    ),
    live_days AS MATERIALIZED (SELECT day FROM dirty UNION SELECT day FROM overlap_cells),
    fix AS MATERIALIZED (
      SELECT s.id, s.g0, s.g1, d.day FROM s JOIN dirty d ON d.workflow_id = s.workflow_id
      UNION
      SELECT s.id, s.g0, s.g1, o.day FROM s JOIN overlap_cells o ON o.series_id = s.id
    ),
    parts AS (
      SELECT s.g0, s.g1, 1 AS sign, ${pick('hi')} FROM s ${last('hi', sql`t.day <= ${slice.to}::date`)}
      UNION ALL
      SELECT s.g0, s.g1, -1, ${pick('lo')} FROM s ${last('lo', sql`t.day < ${slice.from}::date`)}
      UNION ALL
      -- A corrected day's stored contribution: its total minus the series' previous one.
      SELECT f.g0, f.g1, -1, ${pick('cur')} FROM fix f JOIN ${sql.table(layout.terms)} cur ON cur.series_id = f.id AND cur.day = f.day
      UNION ALL
      SELECT f.g0, f.g1, 1, ${pick('prev')}
      FROM fix f JOIN ${sql.table(layout.terms)} cur ON cur.series_id = f.id AND cur.day = f.day
      CROSS JOIN LATERAL (SELECT * FROM ${sql.table(layout.terms)} t WHERE t.series_id = f.id AND t.day < f.day ORDER BY t.day DESC LIMIT 1) prev
      UNION ALL
      SELECT l.g0, l.g1, 1, ${sql.join(FIELDS.map((f) => sql`l.${sql.ref(f)}::numeric`))} FROM (${live}) l
    )
    SELECT ${sql.lit(OVERALL.has(source.kind))} AS overall, p.g0, p.g1, NULL::text AS period, ${sql.join(FIELDS.map(total))}
    FROM parts p (g0, g1, sign, ${sql.join(FIELDS.map((f) => sql.ref(f)))})
    GROUP BY p.g0, p.g1
    HAVING sum(p.sign * p.row_count) > 0`.execute(db);
  return rows;
}

/** Brings the running totals up to date (the job, the rebuild); returns the log rows consumed. */
export async function refreshRunningTerms(db: Executor): Promise<number> {
  const { rows } = await sql<{ consumed: number }>`SELECT assay_running_terms_refresh() AS consumed`.execute(db);
  return rows[0]!.consumed;
}

/** (workflow, day) pairs logged and not yet folded into the running totals. */
export async function pendingRunningTermDays(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT (workflow_id, day))::int AS n FROM quality_terms_dirty`.execute(db);
  return rows[0]!.n;
}

/** Every running total keyed by its series (not the series id, which a rebuild renumbers), in a stable order. */
export async function runningTermRows(db: Executor, kind: RunningTermsSource['kind']): Promise<Array<Record<string, unknown>>> {
  const layout = LAYOUT[kind];
  const key = {
    agent: sql`s.workflow_id, s.vendor_id, s.site_id, s.team_id, s.agent_id`,
    vendor_label: sql`s.workflow_id, s.vendor_id, s.label`,
    vendor_pooled: sql`s.workflow_id, s.vendor_id`,
    workflow_pooled: sql`s.workflow_id`,
  }[kind];
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${key}, t.* FROM ${sql.table(layout.terms)} t JOIN ${sql.table(layout.series)} s ON s.id = t.series_id
    ORDER BY ${key}, t.day`.execute(db);
  return rows.map(({ series_id: _, ...row }) => row);
}

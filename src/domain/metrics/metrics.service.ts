import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/metrics.repository.ts';
import { runningRatioTerms, type RunningTermsSource } from '../../db/repositories/metrics-running-terms.repository.ts';
import type { Actor } from '../access/actor.ts';
import { FIXED_NAMES, isLabelLevel, MEASURES, PERSON_DIMENSIONS } from './metric-catalogue.rules.ts';
import { CONFUSION_RATES, type ConfusionRate } from '../stats/confusion-estimation.ts';
import { cellSpec, outcomeSpec, readsTrueNegatives, scoreSpec, type StratumSumsSpec } from '../stats/ratio-terms.ts';
import {
  censusEstimates,
  disputeEstimates,
  labelConfusionEstimates,
  SCORE_BOUNDS,
  termsEstimates,
  type Estimated,
  type GroupKeyed,
} from './metric-estimates.rules.ts';
import { auditedCsv, type ExportAnswer } from './metric-exports.service.ts';
import { utcDay } from './metric-periods.rules.ts';
import { buildMetricsResponse, csvFileName, metricsCsv, type NameBook } from './metric-presentation.rules.ts';
import { parseMetricsQuery, type MetricQuery, type RawMetricsQuery } from './metric-query.rules.ts';
import type { MetricDimension, MetricsResponse } from './metrics.types.ts';

/**
 * GET /api/metrics: a measure by up to two dimensions and a period, from the
 * quality rollups, inside the viewer's transaction (row-level security keeps
 * the rollup rows to their scope; the design counts are read whole, so a
 * vendor's figure has the same interval whoever asks). The SQL is one
 * statement for the sums and one for names. Weighted figures come back as one
 * row per group of per-stratum terms summed in SQL (src/domain/stats/ratio-terms.ts,
 * docs/decisions/0007); only per-label rates with true negatives (over-enforcement
 * by label or policy) still fold strata here, from a label and a totals statement.
 */

const dimensionsOf = (query: Pick<MetricQuery, 'by' | 'filters'>) => [...query.by, ...query.filters.map((f) => f.dimension)];
const VENDOR_DIMENSIONS: ReadonlySet<MetricDimension> = new Set(['vendor', 'workflow']);
const LABEL_DIMENSIONS: ReadonlySet<MetricDimension> = new Set(['label', 'policy']);

/**
 * Whether the vendor-level cuboids (migration 0008) can answer: they aggregate
 * whole vendors, so only for viewers who see whole vendors, and only for
 * slices by vendor, workflow (and label or policy where the table has them).
 */
function vendorLevel(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor, allowLabels: boolean): boolean {
  if (actor.scope.kind !== 'all' && actor.scope.kind !== 'vendor') return false;
  return dimensionsOf(query).every((d) => VENDOR_DIMENSIONS.has(d) || (allowLabels && LABEL_DIMENSIONS.has(d)));
}

/**
 * The review rollup to read: the smallest that holds the slice's dimensions
 * and that the viewer may read (the coarse cuboids aggregate above the person).
 */
export function reviewTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): ReviewTable {
  if (vendorLevel(query, actor, false)) return 'quality_rollup_vendor';
  const dimensions = dimensionsOf(query);
  if (actor.scope.kind !== 'self' && !dimensions.some((d) => PERSON_DIMENSIONS.has(d))) return 'quality_rollup_team';
  return dimensions.every((d) => AGENT_DIMENSIONS.has(d)) ? 'quality_rollup_agent' : 'quality_rollup';
}

type ReviewTable = 'quality_rollup' | 'quality_rollup_agent' | 'quality_rollup_team' | 'quality_rollup_vendor';
/** What the agent cuboid (migration 0009) keeps: the organisation down to the agent, no reviewer, severity or tenure. */
const AGENT_DIMENSIONS: ReadonlySet<MetricDimension> = new Set(['vendor', 'site', 'team', 'agent', 'workflow']);

export function labelTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): 'quality_label_rollup' | 'quality_label_rollup_vendor' {
  return vendorLevel(query, actor, true) ? 'quality_label_rollup_vendor' : 'quality_label_rollup';
}

/** The error rollup a Pareto reads: per vendor when the viewer sees whole vendors and the filters allow. */
export function errorTable(query: Pick<MetricQuery, 'filters'>, actor: Actor): repo.ErrorTable {
  return vendorLevel({ by: [], filters: query.filters }, actor, false) ? 'quality_error_rollup_vendor' : 'quality_error_rollup';
}

export function productionTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): repo.ProductionTable {
  return vendorLevel(query, actor, true) ? 'production_vendor_daily' : 'production_daily';
}

function sliceOf(query: Pick<MetricQuery, 'by' | 'filters' | 'from' | 'to' | 'grain'>): repo.Slice {
  return { by: query.by, filters: query.filters.map(({ dimension, values }) => ({ dimension, values })), from: query.from, to: query.to, grain: query.grain };
}

const notLabel = (d: MetricDimension) => d !== 'label' && d !== 'policy';

/** What the running totals (migration 0016) are kept by: filters they can apply, rates they hold. */
const AGENT_SERIES: ReadonlySet<MetricDimension> = new Set(['vendor', 'site', 'team', 'agent', 'workflow']);
const VENDOR_LABEL_SERIES: ReadonlySet<MetricDimension> = new Set(['vendor', 'workflow', 'label']);
const RUNNING_RATES: Partial<Record<ConfusionRate, 'precision' | 'recall' | 'f1' | 'under'>> = {
  precision: 'precision', recall: 'recall', f1: 'f1', underEnforcementRate: 'under',
};

export interface EstimateSettings {
  /** Read the running variance terms where they answer (docs/decisions/0014); false: always the per-stratum sums (tests compare both). */
  runningTerms: boolean;
}

/**
 * Whether the running totals answer a query's groups: the agent table (by agent, no period, filters
 * the series keep, read from the agent cuboid) or a label rate without true negatives by vendor and
 * label (no period, from the vendor label cuboid). Everything else reads the per-stratum sums.
 */
export function runningTermsSource(query: MetricQuery, actor: Actor): RunningTermsSource | null {
  if (query.grain !== null) return null;
  const definition = MEASURES[query.measure];
  const filters = query.filters.map((f) => f.dimension);
  if (query.by.length === 1 && query.by[0] === 'agent' && filters.every((d) => AGENT_SERIES.has(d)) && reviewTable(query, actor) === 'quality_rollup_agent') {
    if (definition.family === 'outcome') return { kind: 'agent', measure: definition.outcome! };
    if (definition.family === 'score') return { kind: 'agent', measure: 'score' };
    return null;
  }
  const rate = definition.family === 'confusion' ? RUNNING_RATES[definition.rate!] : undefined;
  if (rate && query.by.join(',') === 'vendor,label' && filters.every((d) => VENDOR_LABEL_SERIES.has(d)) && labelTable(query, actor) === 'quality_label_rollup_vendor') {
    return { kind: 'vendor_label', rate };
  }
  return null;
}

/**
 * The running totals of a label rate's overall (every label pooled per stratum): per vendor when the
 * slice is one vendor's (a one-vendor filter, or a vendor's viewer), per workflow when it is every
 * vendor's; not when labels are filtered (the pool would be a subset).
 */
function pooledOverall(running: RunningTermsSource, query: MetricQuery, actor: Actor): RunningTermsSource | null {
  if (running.kind !== 'vendor_label' || query.filters.some((f) => f.dimension === 'label')) return null;
  const vendors = query.filters.find((f) => f.dimension === 'vendor')?.values;
  if (vendors ? vendors.length === 1 : actor.scope.kind === 'vendor') return { kind: 'vendor_pooled', rate: running.rate };
  if (!vendors && actor.scope.kind === 'all') return { kind: 'workflow_pooled', rate: running.rate };
  return null;
}

/**
 * Generic plans (tuneMetricsStatements) when the request's statements are the running-terms one, whose
 * planning costs more than its run, and an overall that is running terms too or a vendor cuboid's few
 * thousand rows: a generic plan for a larger cuboid could not see how many rows a filter selects.
 */
function genericPlansFit(running: RunningTermsSource | null, query: MetricQuery, actor: Actor): boolean {
  if (running === null) return false;
  if (running.kind === 'agent') return reviewTable({ by: [], filters: query.filters }, actor) === 'quality_rollup_vendor';
  return pooledOverall(running, query, actor) !== null;
}

/**
 * Per-group terms of a weighted figure (one statement), and the overall's from the smallest table that
 * holds the slice without its dimensions and period (a second, small statement): it sums the same
 * reviews per stratum, whichever cuboid they are read from. The groups come from the running totals
 * when `running` names them.
 */
async function termsRows(
  trx: Executor,
  actor: Actor,
  query: MetricQuery,
  table: (q: Pick<MetricQuery, 'by' | 'filters'>) => repo.RollupTable,
  spec: StratumSumsSpec,
  running: RunningTermsSource | null,
): Promise<repo.TermsRow[]> {
  const groups = running ? await runningRatioTerms(trx, running, sliceOf(query), spec) : await repo.ratioTerms(trx, table(query), sliceOf(query), spec);
  if (query.by.length === 0 && query.grain === null) return groups;
  const overallQuery = { ...query, by: [], grain: null };
  const pooled = running ? pooledOverall(running, query, actor) : null;
  const overall = pooled ? await runningRatioTerms(trx, pooled, sliceOf(overallQuery), spec) : await repo.ratioTerms(trx, table(overallQuery), sliceOf(overallQuery), spec);
  return [...overall, ...groups];
}

/** The estimates of a query's groups and overall. */
export async function estimateMetric(trx: Executor, actor: Actor, query: MetricQuery, settings: EstimateSettings = { runningTerms: true }): Promise<Estimated> {
  const definition = MEASURES[query.measure];
  const slice = sliceOf(query);
  const options = { confidence: query.confidence };
  const dimensions = [...query.by, ...query.filters.map((f) => f.dimension)];
  const finest = reviewTable(query, actor);
  const running = settings.runningTerms ? runningTermsSource(query, actor) : null;
  const large = finest === 'quality_rollup' || finest === 'quality_rollup_agent' || labelTable(query, actor) === 'quality_label_rollup';
  await repo.tuneMetricsStatements(trx, large, genericPlansFit(running, query, actor));
  switch (definition.family) {
    case 'outcome':
      return termsEstimates(await termsRows(trx, actor, query, (q) => reviewTable(q, actor), outcomeSpec(definition.outcome!), running), { ...options, kind: 'proportion', sample: true });
    case 'score':
      return termsEstimates(await termsRows(trx, actor, query, (q) => reviewTable(q, actor), scoreSpec(), running), { ...options, kind: 'mean', bounds: SCORE_BOUNDS, sample: false });
    case 'confusion': {
      const { numerator, denominator } = CONFUSION_RATES[definition.rate!];
      const spec = cellSpec(numerator, denominator);
      const kind = definition.rate === 'f1' ? { kind: 'mean' as const, bounds: [0, 1] as const } : { kind: 'proportion' as const };
      if (!isLabelLevel(query.measure, dimensions)) {
        return termsEstimates(await termsRows(trx, actor, query, (q) => reviewTable(q, actor), spec, null), { ...options, ...kind, sample: true });
      }
      // Per label, a rate without true negatives reads the label cells alone.
      if (!readsTrueNegatives(spec)) {
        return termsEstimates(await termsRows(trx, actor, query, (q) => labelTable(q, actor), spec, running), { ...options, ...kind, sample: true });
      }
      const cells = ['n_tp', 'sum_w_tp', 'sum_w2_tp', 'n_fp', 'sum_w_fp', 'sum_w2_fp', 'n_fn', 'sum_w_fn', 'sum_w2_fn'] as const;
      const totalsQuery = { ...query, by: query.by.filter(notLabel), filters: query.filters.filter((f) => notLabel(f.dimension)) };
      const [labelRows, totalsRows] = await Promise.all([
        repo.stratumSums(trx, labelTable(query, actor), slice, cells),
        repo.stratumSums(trx, reviewTable(totalsQuery, actor), sliceOf(totalsQuery), ['n', 'sum_w', 'sum_w2']),
      ]);
      const kept = query.by.flatMap((d, i) => (notLabel(d) ? [i] : []));
      const totalsKey = (row: GroupKeyed): GroupKeyed => {
        const g = [row.g0, row.g1];
        return { g0: kept[0] === undefined ? null : g[kept[0]]!, g1: kept[1] === undefined ? null : g[kept[1]]!, period: row.period };
      };
      return labelConfusionEstimates(labelRows, totalsRows, totalsKey, definition.rate!, options);
    }
    case 'disputes': {
      const rows = await repo.groupSums(trx, reviewTable(query, actor), slice, ['n', 'n_disputed', 'n_overturned']);
      return disputeEstimates(rows, definition.dispute!, options);
    }
    case 'census': {
      const rows = await repo.productionSums(trx, productionTable(query, actor), slice);
      const labelFilter = query.filters.some((f) => f.dimension === 'label');
      return censusEstimates(rows, definition.census!, { groups: isLabelLevel(query.measure, dimensions), overall: labelFilter });
    }
  }
}

/** The names of the ids among the groups, in one statement. */
export async function namesFor(trx: Executor, by: readonly MetricDimension[], estimated: Estimated): Promise<NameBook> {
  const wanted = by
    .map((dimension, i) => ({
      dimension,
      ids: [...new Set(estimated.groups.map((g) => (i === 0 ? g.g0 : g.g1)).filter((id): id is string => id !== null && id !== ''))],
    }))
    .filter((w) => !FIXED_NAMES[w.dimension]);
  const rows = wanted.length === 0 ? [] : await repo.dimensionNames(trx, wanted);
  const book = new Map<MetricDimension, Map<string, string>>();
  for (const row of rows) {
    let names = book.get(row.dimension);
    if (!names) book.set(row.dimension, (names = new Map()));
    names.set(row.id, row.name);
  }
  return book;
}

export async function queryMetrics(trx: Executor, actor: Actor, query: MetricQuery): Promise<MetricsResponse> {
  const estimated = await estimateMetric(trx, actor, query);
  return buildMetricsResponse(query, estimated, await namesFor(trx, query.by, estimated));
}

export type MetricsAnswer = ExportAnswer<MetricsResponse>;

/** GET /api/metrics: JSON, or CSV (format=csv), whose export is audited with the query. */
export async function getMetrics(trx: Executor, actor: Actor, raw: RawMetricsQuery, now = new Date()): Promise<MetricsAnswer> {
  const query = parseMetricsQuery(raw, utcDay(now));
  const response = await queryMetrics(trx, actor, query);
  if (query.format === 'json') return { format: 'json', body: response };
  return auditedCsv(trx, actor, {
    table: 'metrics',
    query: { measure: query.measure, by: query.by, filter: raw.filter ?? null, from: query.from, to: query.to, grain: query.grain, confidence: query.confidence, minN: query.minN },
    rows: response.groups.length,
    fileName: csvFileName(query),
    csv: metricsCsv(response),
  });
}

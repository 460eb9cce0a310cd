import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/metrics.repository.ts';
import type { Actor } from '../access/actor.ts';
import { FIXED_NAMES, isLabelLevel, MEASURES, PERSON_DIMENSIONS } from './metric-catalogue.rules.ts';
import {
  censusEstimates,
  decisionConfusionEstimates,
  disputeEstimates,
  labelConfusionEstimates,
  outcomeEstimates,
  scoreEstimates,
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
 * statement for the sums (two for per-label enforcement) and one for names.
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
export function reviewTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): 'quality_rollup' | 'quality_rollup_team' | 'quality_rollup_vendor' {
  if (vendorLevel(query, actor, false)) return 'quality_rollup_vendor';
  return actor.scope.kind === 'self' || dimensionsOf(query).some((d) => PERSON_DIMENSIONS.has(d)) ? 'quality_rollup' : 'quality_rollup_team';
}

export function labelTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): 'quality_label_rollup' | 'quality_label_rollup_vendor' {
  return vendorLevel(query, actor, true) ? 'quality_label_rollup_vendor' : 'quality_label_rollup';
}

export function productionTable(query: Pick<MetricQuery, 'by' | 'filters'>, actor: Actor): repo.ProductionTable {
  return vendorLevel(query, actor, true) ? 'production_vendor_daily' : 'production_daily';
}

function sliceOf(query: Pick<MetricQuery, 'by' | 'filters' | 'from' | 'to' | 'grain'>): repo.Slice {
  return { by: query.by, filters: query.filters.map(({ dimension, values }) => ({ dimension, values })), from: query.from, to: query.to, grain: query.grain };
}

const notLabel = (d: MetricDimension) => d !== 'label' && d !== 'policy';

/** The estimates of a query's groups and overall, from one or two statements. */
export async function estimateMetric(trx: Executor, actor: Actor, query: MetricQuery): Promise<Estimated> {
  const definition = MEASURES[query.measure];
  const slice = sliceOf(query);
  const options = { confidence: query.confidence };
  const dimensions = [...query.by, ...query.filters.map((f) => f.dimension)];
  switch (definition.family) {
    case 'outcome': {
      const o = definition.outcome!;
      const rows = await repo.stratumSums(trx, reviewTable(query, actor), slice, ['n', 'sum_w', 'sum_w2', `n_${o}`, `sum_w_${o}`, `sum_w2_${o}`]);
      return outcomeEstimates(rows, o, options);
    }
    case 'score': {
      const rows = await repo.stratumSums(trx, reviewTable(query, actor), slice, ['n', 'sum_w', 'sum_w2', 'sum_w_score', 'sum_w2_score', 'sum_w2_score2']);
      return scoreEstimates(rows, options);
    }
    case 'confusion': {
      const cells = ['n_tp', 'sum_w_tp', 'sum_w2_tp', 'n_fp', 'sum_w_fp', 'sum_w2_fp', 'n_fn', 'sum_w_fn', 'sum_w2_fn'] as const;
      if (!isLabelLevel(query.measure, dimensions)) {
        const rows = await repo.stratumSums(trx, reviewTable(query, actor), slice, ['n', 'sum_w', 'sum_w2', ...cells]);
        return decisionConfusionEstimates(rows, definition.rate!, options);
      }
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
  if (reviewTable(query, actor) === 'quality_rollup') await repo.allowLargeAggregates(trx);
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

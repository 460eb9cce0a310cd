import { runRules, type ControlRule } from '../stats/control-charts.ts';
import { Issues } from '../errors.ts';
import { checkAllowed, checkSupported, parseFilters, parseFormat, parseGrain, parseMeasure, parseRange, type ExportFormat, type MetricQuery } from './metric-query.rules.ts';
import type { Estimated } from './metric-estimates.rules.ts';
import { PARETO_DIMENSIONS } from './metric-catalogue.rules.ts';
import type { ControlChartPoint, MetricGrain, MetricMeasure, ParetoItem, ParetoKind } from './metrics.types.ts';

/**
 * Control charts and Pareto charts of the quality measures. Pure.
 *
 * The control chart is a p-chart per period with the Western Electric rules
 * (src/domain/stats/control-charts.ts). A weighted measure's period rate is its
 * design-based estimate, and its limits use the period's design-effective
 * sample size (n* = p(1-p)/variance, at most n: the n of the design-adjusted
 * interval), so a period of heavily weighted reviews gets wider limits.
 * Accuracy is charted as its error rate.
 */

export const CONTROL_CHART_MEASURES: readonly MetricMeasure[] = [
  'accuracy', 'critical_error_rate', 'pass_rate', 'over_enforcement_rate', 'under_enforcement_rate', 'dispute_rate',
];

export interface RawControlChartQuery {
  measure?: string;
  grain?: string;
  filter?: string;
  from?: string;
  to?: string;
  format?: string;
}

export function parseControlChartQuery(raw: RawControlChartQuery, today: string): MetricQuery & { grain: MetricGrain } {
  const issues = new Issues();
  const measure = parseMeasure(raw.measure, issues, CONTROL_CHART_MEASURES);
  const filters = parseFilters(raw.filter, issues);
  const range = parseRange(raw, today, issues);
  const grain = parseGrain(raw.grain, issues) ?? 'week';
  const format = parseFormat(raw.format, issues);
  issues.throwIfAny('Some query parameters are not valid.');
  checkSupported(measure!, [], filters);
  return { measure: measure!, by: [], filters, ...range, grain, confidence: 0.95, minN: 0, format };
}

/** The rules as the chart's legend names them (numbering of src/domain/stats/control-charts.ts). */
export const RULE_DESCRIPTIONS: Record<`${ControlRule}`, string> = {
  1: 'One point beyond 3 sigma',
  2: 'Two of three consecutive points beyond 2 sigma on the same side',
  3: 'Four of five consecutive points beyond 1 sigma on the same side',
  4: 'Eight consecutive points on the same side of the centre line',
  5: 'Six consecutive points steadily increasing or decreasing',
};

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export interface ControlChart {
  charted: 'error_rate' | 'rate';
  centre: number | null;
  points: ControlChartPoint[];
  reason?: string;
}

/**
 * Points from the per-period estimates (groups keyed by period only): p_i the period's rate,
 * centre = the overall rate of the range, sigma_i = sqrt(centre (1 - centre) / nEffective_i),
 * limits centre -+ 3 sigma_i clipped to [0, 1], z_i = (p_i - centre) / sigma_i, then the run rules on z.
 */
export function controlChart(measure: MetricMeasure, estimated: Estimated): ControlChart {
  const flip = measure === 'accuracy';
  const rate = (v: number) => (flip ? 1 - v : v);
  const centre = estimated.overall.value === null ? null : rate(estimated.overall.value);
  const periods = estimated.groups
    .filter((g) => g.estimate.value !== null && g.estimate.effectiveN !== null && g.period !== null)
    .sort((a, b) => a.period!.localeCompare(b.period!));
  const charted = flip ? 'error_rate' : 'rate';
  if (centre === null || periods.length === 0) return { charted, centre, points: [], reason: 'no reviews in the range' };
  const points: ControlChartPoint[] = periods.map((g) => {
    const nEffective = g.estimate.effectiveN!;
    const sigma = Math.sqrt((centre * (1 - centre)) / nEffective);
    const p = rate(g.estimate.value!);
    return {
      period: g.period!,
      p,
      n: g.estimate.n,
      nEffective,
      lower: clamp01(centre - 3 * sigma),
      upper: clamp01(centre + 3 * sigma),
      z: sigma > 0 ? (p - centre) / sigma : null,
      rules: [],
      signal: false,
    };
  });
  if (centre === 0 || centre === 1) {
    return { charted, centre, points, reason: `centre line ${centre}: the limits collapse and no rule can signal` };
  }
  const fired: ControlRule[][] = runRules(points.map((p) => p.z!));
  points.forEach((p, i) => {
    p.rules = fired[i]!;
    p.signal = p.rules.length > 0;
  });
  return { charted, centre, points };
}

export interface RawParetoQuery {
  kind?: string;
  filter?: string;
  from?: string;
  to?: string;
  format?: string;
}

export interface ParetoQuery {
  kind: ParetoKind;
  filters: MetricQuery['filters'];
  from: string;
  to: string;
  format: ExportFormat;
}

export function parseParetoQuery(raw: RawParetoQuery, today: string): ParetoQuery {
  const issues = new Issues();
  const kind = raw.kind;
  if (kind !== 'error_type' && kind !== 'root_cause') issues.add('/kind', 'Choose one of: error_type, root_cause.');
  const filters = parseFilters(raw.filter, issues);
  const range = parseRange(raw, today, issues);
  const format = parseFormat(raw.format, issues);
  issues.throwIfAny('Some query parameters are not valid.');
  checkAllowed(`The Pareto chart of ${kind === 'root_cause' ? 'root causes' : 'error types'}`, PARETO_DIMENSIONS, filters);
  return { kind: kind as ParetoKind, filters, ...range, format };
}

/** Shares and cumulative shares by count (rows come most frequent first). */
export function paretoItems(rows: ReadonlyArray<{ key: string; n: number; weighted: number }>): { total: number; items: ParetoItem[] } {
  const sorted = [...rows].sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  const total = sorted.reduce((s, r) => s + r.n, 0);
  let cumulative = 0;
  const items = sorted.map((r) => {
    cumulative += r.n;
    return { key: r.key, n: r.n, weighted: r.weighted, share: r.n / total, cumulativeShare: cumulative / total };
  });
  return { total, items };
}

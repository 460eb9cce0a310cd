/**
 * The dashboards' shared filters (workflow, vendor, site, date range, grain)
 * live in the URL, so a view can be bookmarked and every figure can link to
 * the reviews behind it with the same filters.
 */
import { useMemo } from 'react';
import type { Dimension, Grain, Measure, MetricFilter, ReviewDimension } from '../../api/metrics';
import { MEASURES } from '../../api/metrics';
import { useUrlFilters } from '../../lib/useUrlFilters';

/** Kept when moving between the dashboards. */
export const BASE_KEYS = ['workflow', 'vendor', 'site', 'from', 'to', 'grain'] as const;
export type BaseKey = (typeof BASE_KEYS)[number];
export type BaseFilters = Record<BaseKey, string>;

/** Extra narrowing the drill-down understands (set by the figure clicked; error_type and root_cause by a Pareto row). */
export const DRILL_DIMENSIONS = ['team', 'agent', 'policy', 'label', 'severity', 'error_type', 'root_cause'] as const satisfies readonly ReviewDimension[];
export type DrillDimension = (typeof DRILL_DIMENSIONS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GRAINS: readonly Grain[] = ['day', 'week', 'month'];

export function isMeasure(value: string | null | undefined): value is Measure {
  return (MEASURES as readonly string[]).includes(value ?? '');
}

export function grainOf(value: string | null | undefined, fallback: Grain = 'week'): Grain {
  return (GRAINS as readonly string[]).includes(value ?? '') ? (value as Grain) : fallback;
}

/** Only whole dates go to the API (a date input yields '' until it is complete). */
export function dateRange(filters: Pick<BaseFilters, 'from' | 'to'>): { from?: string; to?: string } {
  return {
    from: DATE.test(filters.from) ? filters.from : undefined,
    to: DATE.test(filters.to) ? filters.to : undefined,
  };
}

/** The API filter for the shared filters. */
export function baseFilter(filters: Pick<BaseFilters, 'workflow' | 'vendor' | 'site'>): MetricFilter {
  const filter: Array<[Dimension, string]> = [];
  if (filters.workflow) filter.push(['workflow', filters.workflow]);
  if (filters.vendor) filter.push(['vendor', filters.vendor]);
  if (filters.site) filter.push(['site', filters.site]);
  return filter;
}

/** The shared filters of the current URL, with what each page needs for its queries. */
export function useQualityFilters<K extends string>(extraKeys: readonly K[] = []) {
  const keys = useMemo(() => [...BASE_KEYS, ...extraKeys] as const, [extraKeys]);
  const url = useUrlFilters<BaseKey | K>(keys);
  const { filters } = url;
  const base = useMemo(() => {
    const result = {} as BaseFilters;
    for (const key of BASE_KEYS) result[key] = filters[key];
    return result;
  }, [filters]);
  const range = useMemo(() => dateRange(base), [base]);
  const filter = useMemo(() => baseFilter(base), [base]);
  const grain = grainOf(base.grain);
  return { ...url, base, range, filter, grain };
}

/** The current shared filters as a query string for links between the dashboards. */
export function baseSearch(base: BaseFilters): string {
  const search = new URLSearchParams();
  for (const key of BASE_KEYS) if (base[key]) search.set(key, base[key]);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface DrillTarget {
  vendor?: string;
  site?: string;
  team?: string;
  agent?: string;
  policy?: string;
  label?: string;
  severity?: string;
  /** Reviews whose error types include this key. */
  error_type?: string;
  /** Reviews whose root causes include this key. */
  root_cause?: string;
  period?: string | null;
  grain?: Grain;
  /** The measure behind the figure: the list is its denominator (as many reviews as its n). */
  measure?: Measure | null;
  /** Only the reviews counting against the measure (default true when a measure is given). */
  failing?: boolean;
}

/**
 * The drill-down's URL for a figure: the page's filters, narrowed by the
 * figure's own dimensions, period and measure.
 */
export function drillHref(base: BaseFilters, target: DrillTarget = {}): string {
  const search = new URLSearchParams();
  for (const key of BASE_KEYS) if (base[key] && key !== 'grain') search.set(key, base[key]);
  if (target.vendor) search.set('vendor', target.vendor);
  if (target.site) search.set('site', target.site);
  for (const key of DRILL_DIMENSIONS) {
    const value = target[key];
    if (value) search.set(key, value);
  }
  if (target.period) {
    search.set('period', target.period);
    search.set('grain', target.grain ?? grainOf(base.grain));
  }
  if (target.measure) {
    search.set('measure', target.measure);
    if (target.failing !== false) search.set('outcome', 'failing');
  }
  return `/quality/reviews?${search.toString()}`;
}

/** The last day of a period starting on `period` (ISO dates, UTC). */
export function periodEnd(period: string, grain: Grain): string {
  const date = new Date(`${period}T00:00:00Z`);
  if (grain === 'week') date.setUTCDate(date.getUTCDate() + 6);
  if (grain === 'month') date.setUTCMonth(date.getUTCMonth() + 1, 0);
  return date.toISOString().slice(0, 10);
}

/**
 * Handle time and volume count every decision, not reviews: their figures
 * open the decisions list for the same filters and days instead.
 */
export function decisionsHref(base: BaseFilters, target: { vendor?: string; period?: string | null; grain?: Grain } = {}): string {
  const search = new URLSearchParams();
  if (base.workflow) search.set('workflowId', base.workflow);
  const vendor = target.vendor ?? base.vendor;
  if (vendor) search.set('vendorId', vendor);
  if (base.site) search.set('siteId', base.site);
  if (target.period) {
    // The period, clipped to the chosen dates (ISO dates compare as strings).
    const end = periodEnd(target.period, target.grain ?? grainOf(base.grain));
    search.set('from', DATE.test(base.from) && base.from > target.period ? base.from : target.period);
    search.set('to', DATE.test(base.to) && base.to < end ? base.to : end);
  } else {
    if (DATE.test(base.from)) search.set('from', base.from);
    if (DATE.test(base.to)) search.set('to', base.to);
  }
  const text = search.toString();
  return `/decisions${text ? `?${text}` : ''}`;
}

/** Where a figure of this measure leads: the reviews behind it, or for census measures the decisions. */
export function figureHref(base: BaseFilters, measure: Measure, target: DrillTarget, failing: boolean): string {
  if (measure === 'aht' || measure === 'volume') return decisionsHref(base, { vendor: target.vendor, period: target.period, grain: target.grain });
  return drillHref(base, { ...target, measure, failing });
}

import { AppError, Issues } from '../errors.ts';
import {
  DIMENSIONS,
  GRAINS,
  ID_DIMENSIONS,
  MEASURE_NAMES,
  SEVERITIES,
  TENURE_BANDS,
  unsupportedReason,
} from './metric-catalogue.rules.ts';
import { addDays, daysBetween, isIsoDay, periodEnd, periodStart } from './metric-periods.rules.ts';
import type { MetricDimension, MetricGrain, MetricMeasure } from './metrics.types.ts';

/**
 * Reading a metrics request (query-string text) into a checked query spec.
 * Every problem is reported with a JSON pointer to the parameter ('/measure',
 * '/by/1', '/filter/0'), all at once (422); a measure asked for by a
 * dimension it cannot be sliced by is a 400 naming both. Pure.
 */

export const DEFAULT_DAYS = 90;
export const MAX_DAYS = 400;
export const MAX_BY = 2;

/** One dimension's filter: the row's value must be one of `values` (a dimension repeated in the filter = OR). */
export interface DimensionFilter<D extends string = MetricDimension> {
  dimension: D;
  values: string[];
  /** Index in the filter list of the dimension's first item (for error paths). */
  position: number;
}

export interface DayRange {
  from: string;
  to: string;
}

export interface MetricQuery extends DayRange {
  measure: MetricMeasure;
  by: MetricDimension[];
  filters: DimensionFilter[];
  grain: MetricGrain | null;
  confidence: number;
  minN: number;
  format: ExportFormat;
}

/** json: the figures; csv: the same rows as a download, written to the audit log. */
export type ExportFormat = 'json' | 'csv';

export interface RawMetricsQuery {
  measure?: string;
  by?: string;
  filter?: string;
  from?: string;
  to?: string;
  grain?: string;
  confidence?: number;
  minN?: number;
  format?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

const isDimension = (value: string): value is MetricDimension => (DIMENSIONS as readonly string[]).includes(value);
export type FilterValue = { value: string } | { error: string };
const list = (value: string | undefined): string[] => (value === undefined || value.trim() === '' ? [] : value.split(',').map((s) => s.trim()));

/** The canonical stored value of a filter value, or an error message. */
export function filterValue(dimension: MetricDimension, raw: string): FilterValue {
  if (ID_DIMENSIONS.has(dimension)) return UUID.test(raw) ? { value: raw.toLowerCase() } : { error: `A ${dimension} filter takes an id (UUID), got "${raw}".` };
  if (dimension === 'label') return LABEL_KEY.test(raw) ? { value: raw } : { error: `"${raw}" is not a label key (like hate.slur).` };
  if (dimension === 'severity') {
    if (raw === '' || raw === 'none') return { value: '' };
    return (SEVERITIES as readonly string[]).includes(raw) ? { value: raw } : { error: `Severity is one of none, ${SEVERITIES.join(', ')}.` };
  }
  return (TENURE_BANDS as readonly string[]).includes(raw) ? { value: raw } : { error: `Tenure band is one of ${TENURE_BANDS.join(', ')}.` };
}

/** `dim:value,dim:value`: a dimension repeated means either value; filters on different dimensions all apply. */
export function parseFilters(raw: string | undefined, issues: Issues, path = '/filter'): DimensionFilter[] {
  return parseFilterList(raw, issues, DIMENSIONS, filterValue, path);
}

/** parseFilters over any set of dimensions, each value read by `valueOf` (the drill-down adds its own). */
export function parseFilterList<D extends string>(
  raw: string | undefined,
  issues: Issues,
  dimensions: readonly D[],
  valueOf: (dimension: D, raw: string) => FilterValue,
  path = '/filter',
): Array<DimensionFilter<D>> {
  const known = (name: string): name is D => (dimensions as readonly string[]).includes(name);
  const byDimension = new Map<D, DimensionFilter<D>>();
  list(raw).forEach((item, i) => {
    const colon = item.indexOf(':');
    const name = colon < 0 ? item : item.slice(0, colon);
    if (colon < 0 || !known(name)) {
      issues.add(`${path}/${i}`, `Write a filter as dimension:value with a dimension among ${dimensions.join(', ')}.`);
      return;
    }
    const parsed = valueOf(name, item.slice(colon + 1).trim());
    if ('error' in parsed) {
      issues.add(`${path}/${i}`, parsed.error);
      return;
    }
    const existing = byDimension.get(name);
    if (existing) {
      if (!existing.values.includes(parsed.value)) existing.values.push(parsed.value);
    } else byDimension.set(name, { dimension: name, values: [parsed.value], position: i });
  });
  return [...byDimension.values()];
}

/** format: json (default) or csv. */
export function parseFormat(raw: string | undefined, issues: Issues): ExportFormat {
  if (raw === undefined || raw === '' || raw === 'json') return 'json';
  if (raw === 'csv') return 'csv';
  issues.add('/format', 'Choose one of: json, csv.');
  return 'json';
}

/** from/to: inclusive UTC decision days; to defaults to today, from to 89 days before to; at most MAX_DAYS days. */
export function parseRange(raw: { from?: string; to?: string }, today: string, issues: Issues): DayRange {
  const fromOk = raw.from === undefined || isIsoDay(raw.from);
  const toOk = raw.to === undefined || isIsoDay(raw.to);
  if (!fromOk) issues.add('/from', 'Give the first day as YYYY-MM-DD.');
  if (!toOk) issues.add('/to', 'Give the last day as YYYY-MM-DD.');
  const to = toOk && raw.to !== undefined ? raw.to : today;
  const from = fromOk && raw.from !== undefined ? raw.from : addDays(to, -(DEFAULT_DAYS - 1));
  if (fromOk && toOk) {
    if (from > to) issues.add('/from', `The first day (${from}) is after the last day (${to}).`);
    else if (daysBetween(from, to) + 1 > MAX_DAYS) issues.add('/from', `A range covers at most ${MAX_DAYS} days; this one covers ${daysBetween(from, to) + 1}.`);
  }
  return { from, to };
}

export function parseGrain(raw: string | undefined, issues: Issues, path = '/grain'): MetricGrain | null {
  if (raw === undefined || raw === '') return null;
  if ((GRAINS as readonly string[]).includes(raw)) return raw as MetricGrain;
  issues.add(path, `Choose one of: ${GRAINS.join(', ')}.`);
  return null;
}

export function parseMeasure(raw: string | undefined, issues: Issues, allowed: readonly MetricMeasure[] = MEASURE_NAMES): MetricMeasure | null {
  if (raw === undefined || raw === '') {
    issues.add('/measure', 'Choose a measure.');
    return null;
  }
  if ((allowed as readonly string[]).includes(raw)) return raw as MetricMeasure;
  issues.add('/measure', `Unknown measure "${raw}". Choose one of: ${allowed.join(', ')}.`);
  return null;
}

function refuse(refusals: Array<{ path: string; message: string }>): void {
  if (refusals.length > 0) throw new AppError('BAD_REQUEST', refusals[0]!.message, refusals);
}

function refusalsOf(by: readonly MetricDimension[], filters: readonly DimensionFilter[], reasonFor: (d: MetricDimension) => string | null) {
  return [
    ...by.flatMap((d, i) => {
      const reason = reasonFor(d);
      return reason ? [{ path: `/by/${i}`, message: reason }] : [];
    }),
    ...filters.flatMap((f) => {
      const reason = reasonFor(f.dimension);
      return reason ? [{ path: `/filter/${f.position}`, message: reason }] : [];
    }),
  ];
}

/** A 400 when the measure cannot be sliced by a dimension named in by or filter. */
export function checkSupported(measure: MetricMeasure, by: readonly MetricDimension[], filters: readonly DimensionFilter[]): void {
  refuse(refusalsOf(by, filters, (d) => unsupportedReason(measure, d)));
}

/** A 400 when a filter names a dimension outside `allowed` (what: the figure, for the message). */
export function checkAllowed(what: string, allowed: readonly MetricDimension[], filters: readonly DimensionFilter[]): void {
  refuse(refusalsOf([], filters, (d) => (allowed.includes(d) ? null : `${what} cannot be filtered by ${d}; use ${allowed.join(', ')}.`)));
}

export function parseMetricsQuery(raw: RawMetricsQuery, today: string): MetricQuery {
  const issues = new Issues();
  const measure = parseMeasure(raw.measure, issues);
  const byNames = list(raw.by);
  if (byNames.length > MAX_BY) issues.add('/by', `Break down by at most ${MAX_BY} dimensions; got ${byNames.length}.`);
  const by: MetricDimension[] = [];
  byNames.forEach((name, i) => {
    if (!isDimension(name)) issues.add(`/by/${i}`, `Unknown dimension "${name}". Choose among: ${DIMENSIONS.join(', ')}.`);
    else if (by.includes(name)) issues.add(`/by/${i}`, `${name} is named twice.`);
    else by.push(name);
  });
  const filters = parseFilters(raw.filter, issues);
  const range = parseRange(raw, today, issues);
  const grain = parseGrain(raw.grain, issues);
  const confidence = raw.confidence ?? 0.95;
  issues.check(Number.isFinite(confidence) && confidence >= 0.5 && confidence <= 0.999, '/confidence', 'Confidence is a level between 0.5 and 0.999 (0.95 = 95%).');
  const minN = raw.minN ?? 30;
  issues.check(Number.isInteger(minN) && minN >= 0 && minN <= 1_000_000, '/minN', 'minN is a whole number of reviews, 0 or more.');
  const format = parseFormat(raw.format, issues);
  issues.throwIfAny('Some query parameters are not valid.');
  checkSupported(measure!, by, filters);
  return { measure: measure!, by, filters, ...range, grain, confidence, minN, format };
}

/** The inclusive day range of one period; a 422 issue when `period` does not start a period of `grain`. */
export function periodRange(period: string, grain: MetricGrain, issues: Issues): DayRange | null {
  if (!isIsoDay(period)) {
    issues.add('/period', 'Give the period as the ISO date of its first day.');
    return null;
  }
  if (periodStart(period, grain) !== period) {
    issues.add('/period', `${period} does not start a ${grain} (a week starts on Monday, a month on the 1st).`);
    return null;
  }
  return { from: period, to: periodEnd(period, grain) };
}

/** The days two ranges share (from > to when none). */
export function intersect(a: DayRange, b: DayRange): DayRange {
  return { from: a.from > b.from ? a.from : b.from, to: a.to < b.to ? a.to : b.to };
}

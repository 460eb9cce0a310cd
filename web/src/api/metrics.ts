/**
 * Query hooks for the quality metrics API (docs: the metrics contract):
 * estimates by dimension and period, the p-chart, the error Pareto and the
 * reviews behind a figure; plus the CSV download every metrics table offers
 * (always the server's format=csv, so every export is in the audit log).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError, buildQuery, type QueryParams } from './client';
import type { ReviewSummary } from './reviews';

// The response shapes are the server's own (a declarations-only module the web may import).
export type {
  ControlChartPoint as ControlPoint,
  ControlChartResponse,
  MetricEstimate as Estimate,
  MetricGroup,
  MetricKind as MeasureKind,
  MetricsResponse,
  ParetoItem,
  ParetoKind,
  ParetoResponse,
  VersusOverall,
} from '../../../src/domain/metrics/metrics.types.ts';
import type {
  ControlChartResponse,
  MetricDimension,
  MetricGrain,
  MetricMeasure,
  MetricsResponse,
  ParetoKind,
  ParetoResponse,
  ReviewFilterDimension,
} from '../../../src/domain/metrics/metrics.types.ts';

export type Measure = MetricMeasure;
export type Dimension = MetricDimension;
/** The drill-down's filters: the dimensions, plus error_type and root_cause (what QA found). */
export type ReviewDimension = ReviewFilterDimension;
export type Grain = MetricGrain;

export const MEASURES = [
  'accuracy',
  'critical_error_rate',
  'pass_rate',
  'qa_score',
  'over_enforcement_rate',
  'under_enforcement_rate',
  'precision',
  'recall',
  'f1',
  'dispute_rate',
  'overturn_rate',
  'aht',
  'volume',
] as const satisfies readonly Measure[];

/** `dimension:value` pairs; a dimension repeated means either value. */
export type MetricFilter = ReadonlyArray<readonly [Dimension, string]>;
/** The drill-down's filter: a review matches error_type / root_cause when its own list has the key. */
export type ReviewFilter = ReadonlyArray<readonly [ReviewDimension, string]>;

export interface MetricsQuery {
  measure: Measure;
  by?: Dimension[];
  filter?: MetricFilter;
  from?: string;
  to?: string;
  grain?: Grain;
  confidence?: number;
  minN?: number;
}

export const CONTROL_MEASURES = [
  'accuracy',
  'critical_error_rate',
  'pass_rate',
  'over_enforcement_rate',
  'under_enforcement_rate',
  'dispute_rate',
] as const satisfies readonly Measure[];
export type ControlMeasure = (typeof CONTROL_MEASURES)[number];

export interface ControlChartQuery {
  measure: ControlMeasure;
  grain?: Grain;
  filter?: MetricFilter;
  from?: string;
  to?: string;
}

export interface ParetoQuery {
  kind: ParetoKind;
  filter?: MetricFilter;
  from?: string;
  to?: string;
}

export interface MetricReviewsQuery {
  filter?: ReviewFilter;
  from?: string;
  to?: string;
  period?: string;
  grain?: Grain;
  measure?: Measure;
  outcome?: 'failing';
  limit?: number;
  offset?: number;
}

export interface MetricReviewsResponse {
  items: ReviewSummary[];
  total: number;
}

/** The filter as the API reads it: one comma-separated `dimension:value` list. */
export function filterParam(filter: ReviewFilter | undefined): string | undefined {
  if (!filter || filter.length === 0) return undefined;
  return filter.map(([dimension, value]) => `${dimension}:${value}`).join(',');
}

export function metricsParams(query: MetricsQuery): QueryParams {
  return {
    measure: query.measure,
    by: query.by && query.by.length > 0 ? query.by.join(',') : undefined,
    filter: filterParam(query.filter),
    from: query.from,
    to: query.to,
    grain: query.grain,
    confidence: query.confidence,
    minN: query.minN,
  };
}

export function controlChartParams(query: ControlChartQuery): QueryParams {
  return { measure: query.measure, grain: query.grain, filter: filterParam(query.filter), from: query.from, to: query.to };
}

export function paretoParams(query: ParetoQuery): QueryParams {
  return { kind: query.kind, filter: filterParam(query.filter), from: query.from, to: query.to };
}

export function metricReviewsParams(query: MetricReviewsQuery): QueryParams {
  return {
    filter: filterParam(query.filter),
    from: query.from,
    to: query.to,
    period: query.period,
    grain: query.period ? query.grain : undefined,
    measure: query.measure,
    outcome: query.measure ? query.outcome : undefined,
    limit: query.limit,
    offset: query.offset,
  };
}

export const metricsKeys = {
  all: ['metrics'] as const,
  metrics: (params: QueryParams) => ['metrics', 'estimates', params] as const,
  control: (params: QueryParams) => ['metrics', 'control', params] as const,
  pareto: (params: QueryParams) => ['metrics', 'pareto', params] as const,
  reviews: (params: QueryParams) => ['metrics', 'reviews', params] as const,
};

export function useMetrics(query: MetricsQuery, options: { enabled?: boolean } = {}) {
  const params = metricsParams(query);
  return useQuery({
    queryKey: metricsKeys.metrics(params),
    queryFn: ({ signal }) => api.get<MetricsResponse>('/metrics', params, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useControlChart(query: ControlChartQuery) {
  const params = controlChartParams(query);
  return useQuery({
    queryKey: metricsKeys.control(params),
    queryFn: ({ signal }) => api.get<ControlChartResponse>('/metrics/control-chart', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePareto(query: ParetoQuery) {
  const params = paretoParams(query);
  return useQuery({
    queryKey: metricsKeys.pareto(params),
    queryFn: ({ signal }) => api.get<ParetoResponse>('/metrics/pareto', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMetricReviews(query: MetricReviewsQuery) {
  const params = metricReviewsParams(query);
  return useQuery({
    queryKey: metricsKeys.reviews(params),
    queryFn: ({ signal }) => api.get<MetricReviewsResponse>('/metrics/reviews', params, signal),
    placeholderData: keepPreviousData,
  });
}

/** The file name the server suggests (Content-Disposition), if any. */
function suggestedName(response: Response): string | null {
  const header = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(header)?.[1] ?? null;
}

async function csvError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error) return new ApiError(response.status, body.error.code ?? 'UNKNOWN', body.error.message ?? response.statusText);
  } catch {
    // Not JSON: fall back to the status line.
  }
  return new ApiError(response.status, response.status >= 500 ? 'INTERNAL' : 'UNKNOWN', response.statusText || `Download failed (${response.status})`);
}

/**
 * Asks an endpoint for `format=csv` with the session cookie and saves the
 * answer as a file (the server records the export in the audit log).
 */
export async function downloadCsv(path: string, params: QueryParams, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api${path}${buildQuery({ ...params, format: 'csv' })}`, {
      credentials: 'same-origin',
      headers: { accept: 'text/csv' },
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the Assay server. Check your connection and try again.');
  }
  if (!response.ok) throw await csvError(response);
  saveBlob(await response.blob(), suggestedName(response) ?? fallbackName);
}

function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

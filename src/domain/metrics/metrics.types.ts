/**
 * The shapes of the metrics API (GET /api/metrics, /control-chart, /pareto), declared once for the
 * server and the web UI. Declarations only: this module imports nothing (the architecture test checks).
 */

export type MetricMeasure =
  | 'accuracy'
  | 'critical_error_rate'
  | 'pass_rate'
  | 'qa_score'
  | 'over_enforcement_rate'
  | 'under_enforcement_rate'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'dispute_rate'
  | 'overturn_rate'
  | 'aht'
  | 'volume';

export type MetricDimension =
  | 'vendor'
  | 'site'
  | 'team'
  | 'agent'
  | 'workflow'
  | 'policy'
  | 'label'
  | 'severity'
  | 'tenure_band'
  | 'reviewer'
  | 'reviewer_vendor';

/**
 * Filters only the drill-down (GET /api/metrics/reviews) understands: a review matches when its
 * error_types / root_causes contain the value. The rollups keep no such dimension, so no figure can be cut by them.
 */
export type ReviewOnlyDimension = 'error_type' | 'root_cause';

/** What the drill-down can be filtered by. */
export type ReviewFilterDimension = MetricDimension | ReviewOnlyDimension;

export type MetricGrain = 'day' | 'week' | 'month';

/** How a value reads: a share in [0, 1], a mean on the scale (QA score 0-100), milliseconds, a count. */
export type MetricKind = 'proportion' | 'mean' | 'duration' | 'count';

export type VersusOverall = 'above' | 'below' | 'within';

/** One estimate. value/lower/upper/se are null when there is nothing to estimate from (n = 0). */
export interface MetricEstimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Null for census measures (aht, volume), which have no sampling error. */
  se: number | null;
  /** Reviewed items behind the figure (for a rate: those in its denominator); decisions for census measures. */
  n: number;
  /** Estimated population behind the figure (sum of weights); equal to n for unweighted and census measures. */
  N: number;
  /** n below minN: show, but do not compare. */
  tooFew: boolean;
  /** The unweighted sample figure (proportions only), to be labelled as "sample ..." only. */
  sampleValue: number | null;
}

export interface MetricGroup extends MetricEstimate {
  /** Dimension -> id or key ('' for "none": no team, no violation). */
  key: Partial<Record<MetricDimension, string>>;
  /** Dimension -> display name (null when the name is outside the viewer's scope). */
  names: Partial<Record<MetricDimension, string | null>>;
  /** First day of the period (ISO date) when a grain was asked for, else null. */
  period: string | null;
  /** The value shrunk toward the overall (empirical Bayes); equal to value when se is null. */
  shrunk: number | null;
  /** Whether the group's interval lies wholly above or below the overall value (this group alone). */
  versusOverall: VersusOverall;
  /** Two-sided p-value of the test the interval inverts (score for Wilson intervals, else Wald) of value = overall; null when untested (too few, census). */
  pValue: number | null;
  /** pValue adjusted for every group of the response (Benjamini-Hochberg): the false discovery rate at which this group would be marked. */
  qValue: number | null;
  /** The mark to show: above or below when qValue <= 1 - confidence, so that among the groups marked in a table at most that share is expected to be noise. */
  credibleVersusOverall: VersusOverall;
}

export interface MetricsResponse {
  measure: MetricMeasure;
  title: string;
  kind: MetricKind;
  by: MetricDimension[];
  grain: MetricGrain | null;
  from: string;
  to: string;
  confidence: number;
  minN: number;
  overall: MetricEstimate;
  groups: MetricGroup[];
}

export interface ControlChartPoint {
  period: string;
  p: number;
  n: number;
  /** The design-effective sample size used in the limits (n for unweighted measures). */
  nEffective: number;
  lower: number;
  upper: number;
  z: number | null;
  rules: number[];
  signal: boolean;
}

export interface ControlChartResponse {
  measure: MetricMeasure;
  title: string;
  charted: 'error_rate' | 'rate';
  grain: MetricGrain;
  from: string;
  to: string;
  centre: number | null;
  points: ControlChartPoint[];
  rules: Record<string, string>;
  /** Why no rule can fire (no data, or a centre line at 0 or 1); absent otherwise. */
  reason?: string;
}

export type ParetoKind = 'error_type' | 'root_cause';

export interface ParetoItem {
  key: string;
  n: number;
  weighted: number;
  share: number;
  cumulativeShare: number;
}

export interface ParetoResponse {
  kind: ParetoKind;
  from: string;
  to: string;
  total: number;
  items: ParetoItem[];
}

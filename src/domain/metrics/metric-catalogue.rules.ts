import type { ConfusionRate } from '../stats/confusion-estimation.ts';
import type { MetricDimension, MetricGrain, MetricKind, MetricMeasure } from './metrics.types.ts';

/**
 * What the metrics engine can report, how each figure is estimated and what it
 * can be sliced by. Pure.
 *
 * Families (docs/decisions/0007 for the estimators):
 * - outcome: a weighted proportion of reviews (correct, critical failure, passed);
 * - score: the weighted mean QA score;
 * - confusion: the agent's enforcement against the QA verdict; decision level
 *   ("violating or not") unless a label or policy slices it, then per label;
 * - disputes: unweighted counts of reviews (a dispute is about the review, not the population);
 * - census: every decision, from the production aggregates (no sampling, no interval).
 */

export type MeasureFamily = 'outcome' | 'score' | 'confusion' | 'disputes' | 'census';
export type OutcomeColumn = 'correct' | 'critical' | 'passed';

export interface MeasureDefinition {
  title: string;
  kind: MetricKind;
  family: MeasureFamily;
  outcome?: OutcomeColumn;
  rate?: ConfusionRate;
  dispute?: 'disputed' | 'overturned';
  census?: 'aht' | 'volume';
}

export const MEASURES: Readonly<Record<MetricMeasure, MeasureDefinition>> = {
  accuracy: { title: 'Accuracy (weighted)', kind: 'proportion', family: 'outcome', outcome: 'correct' },
  critical_error_rate: { title: 'Critical error rate (weighted)', kind: 'proportion', family: 'outcome', outcome: 'critical' },
  pass_rate: { title: 'Pass rate (weighted)', kind: 'proportion', family: 'outcome', outcome: 'passed' },
  qa_score: { title: 'QA score (weighted mean)', kind: 'mean', family: 'score' },
  over_enforcement_rate: { title: 'Over-enforcement rate (weighted)', kind: 'proportion', family: 'confusion', rate: 'overEnforcementRate' },
  under_enforcement_rate: { title: 'Under-enforcement rate (weighted)', kind: 'proportion', family: 'confusion', rate: 'underEnforcementRate' },
  precision: { title: 'Precision (weighted)', kind: 'proportion', family: 'confusion', rate: 'precision' },
  recall: { title: 'Recall (weighted)', kind: 'proportion', family: 'confusion', rate: 'recall' },
  f1: { title: 'F1 (weighted)', kind: 'proportion', family: 'confusion', rate: 'f1' },
  dispute_rate: { title: 'Dispute rate (reviews disputed)', kind: 'proportion', family: 'disputes', dispute: 'disputed' },
  overturn_rate: { title: 'Overturn rate (of disputed reviews)', kind: 'proportion', family: 'disputes', dispute: 'overturned' },
  aht: { title: 'Average handle time', kind: 'duration', family: 'census', census: 'aht' },
  volume: { title: 'Decisions', kind: 'count', family: 'census', census: 'volume' },
};

export const MEASURE_NAMES = Object.keys(MEASURES) as MetricMeasure[];

export const DIMENSIONS: readonly MetricDimension[] = [
  'vendor', 'site', 'team', 'agent', 'workflow', 'policy', 'label', 'severity', 'tenure_band', 'reviewer', 'reviewer_vendor',
];

export const GRAINS: readonly MetricGrain[] = ['day', 'week', 'month'];

/** Dimensions whose values are ids (validated as UUIDs). */
export const ID_DIMENSIONS: ReadonlySet<MetricDimension> = new Set(['vendor', 'site', 'team', 'agent', 'workflow', 'policy', 'reviewer', 'reviewer_vendor']);

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const TENURE_BANDS = ['nesting', 'ramping', 'established', 'unknown'] as const;

/** Display names of the fixed-value dimensions. */
export const FIXED_NAMES: Readonly<Partial<Record<MetricDimension, Record<string, string>>>> = {
  severity: { '': 'No violation', critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
  tenure_band: { nesting: 'Nesting (under 30 days)', ramping: 'Ramping (30-89 days)', established: 'Established (90+ days)', unknown: 'Unknown tenure' },
};

const REVIEW_DIMENSIONS: readonly MetricDimension[] = ['vendor', 'site', 'team', 'agent', 'workflow', 'severity', 'tenure_band', 'reviewer', 'reviewer_vendor'];
const CENSUS_DIMENSIONS: readonly MetricDimension[] = ['vendor', 'site', 'team', 'agent', 'workflow', 'label'];
/** The error rollup keeps no severity, tenure or label. */
export const PARETO_DIMENSIONS: readonly MetricDimension[] = ['vendor', 'site', 'team', 'agent', 'workflow', 'reviewer', 'reviewer_vendor'];

/** The dimensions a measure can be broken down or filtered by. */
export function dimensionsOf(measure: MetricMeasure): readonly MetricDimension[] {
  const family = MEASURES[measure].family;
  if (family === 'census') return CENSUS_DIMENSIONS;
  if (family === 'confusion') return [...REVIEW_DIMENSIONS, 'policy', 'label'];
  return REVIEW_DIMENSIONS;
}

/** Why a measure cannot be sliced by a dimension (null when it can). */
export function unsupportedReason(measure: MetricMeasure, dimension: MetricDimension): string | null {
  if (dimensionsOf(measure).includes(dimension)) return null;
  const family = MEASURES[measure].family;
  if (family === 'census') {
    return `The measure ${measure} comes from production volumes, which are kept by vendor, site, team, agent, workflow and label only: it cannot be broken down by ${dimension}.`;
  }
  return `The measure ${measure} cannot be broken down by ${dimension}: labels and policies apply to enforcement measures (precision, recall, f1, over_enforcement_rate, under_enforcement_rate) and to aht and volume.`;
}

/** True when a slice reads label-level cells (per label) rather than decision-level ones. */
export function isLabelLevel(measure: MetricMeasure, dimensions: Iterable<MetricDimension>): boolean {
  if (MEASURES[measure].family !== 'confusion' && MEASURES[measure].family !== 'census') return false;
  for (const d of dimensions) if (d === 'label' || d === 'policy') return true;
  return false;
}

/** Dimensions the coarse (team-level) cuboid does not keep. */
export const PERSON_DIMENSIONS: ReadonlySet<MetricDimension> = new Set(['agent', 'reviewer', 'reviewer_vendor']);

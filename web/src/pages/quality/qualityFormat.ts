/**
 * Words and number formats for the quality dashboards: what each measure and
 * error type is called, which way is better, and how a figure
 * with its interval and sample size is written ("93.1% (91.0–95.0)", n always shown).
 */
import { ERROR_TYPE_LABELS, type ErrorType } from '../../../../src/domain/reviews/scorecard.types.ts';
import type { Estimate, Grain, Measure, MeasureKind, VersusOverall } from '../../api/metrics';
import { formatDate, formatNumber, humanize } from '../../lib/format';

export const MEASURE_LABELS: Record<Measure, string> = {
  accuracy: 'Accuracy',
  critical_error_rate: 'Critical error rate',
  pass_rate: 'Pass rate',
  qa_score: 'QA score',
  over_enforcement_rate: 'Over-enforcement rate',
  under_enforcement_rate: 'Under-enforcement rate',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1 score',
  dispute_rate: 'Dispute rate',
  overturn_rate: 'Overturn rate',
  aht: 'Average handle time',
  volume: 'Decisions',
};

/** One line under a measure's name: what it counts. */
export const MEASURE_HELP: Record<Measure, string> = {
  accuracy: 'Decisions QA found correct (label and action), weighted to all decisions.',
  critical_error_rate: 'Reviews that failed a critical question, weighted to all decisions.',
  pass_rate: 'Reviews at or above the scorecard’s pass mark, weighted to all decisions.',
  qa_score: 'Average scorecard score (0–100), weighted to all decisions.',
  over_enforcement_rate: 'Of the items QA found not violating, the share the agent enforced on (false positives).',
  under_enforcement_rate: 'Of the items QA found violating, the share the agent let through (false negatives).',
  precision: 'Of the agent’s enforcements, the share QA agreed were violations.',
  recall: 'Of the violations QA found, the share the agent enforced on.',
  f1: 'The harmonic mean of precision and recall.',
  dispute_rate: 'Reviews the agent disputed (not weighted).',
  overturn_rate: 'Disputed reviews whose score was overturned in full or in part (not weighted).',
  aht: 'Average handle time per decision, all decisions (not sampled).',
  volume: 'Decisions made, all decisions (not sampled).',
};

/** Which way is good: up for accuracy, down for error rates; neither for volume and handle time. */
export const MEASURE_DIRECTION: Record<Measure, 'up' | 'down' | null> = {
  accuracy: 'up',
  critical_error_rate: 'down',
  pass_rate: 'up',
  qa_score: 'up',
  over_enforcement_rate: 'down',
  under_enforcement_rate: 'down',
  precision: 'up',
  recall: 'up',
  f1: 'up',
  dispute_rate: 'down',
  overturn_rate: 'down',
  aht: null,
  volume: null,
};

export const MEASURE_KINDS: Record<Measure, MeasureKind> = {
  accuracy: 'proportion',
  critical_error_rate: 'proportion',
  pass_rate: 'proportion',
  qa_score: 'mean',
  over_enforcement_rate: 'proportion',
  under_enforcement_rate: 'proportion',
  precision: 'proportion',
  recall: 'proportion',
  f1: 'proportion',
  dispute_rate: 'proportion',
  overturn_rate: 'proportion',
  aht: 'duration',
  volume: 'count',
};

/** The measure a figure drills into: every measure but the census ones (handle time, volume) has reviews behind it. */
export function drillMeasure(measure: Measure): Measure | null {
  return measure === 'aht' || measure === 'volume' ? null : measure;
}

/** What the drill-down lists for a measure with outcome=failing. */
export const FAILING_WORDS: Partial<Record<Measure, string>> = {
  accuracy: 'incorrect decisions',
  critical_error_rate: 'critical errors',
  pass_rate: 'reviews that did not pass',
  qa_score: 'reviews that did not pass',
  over_enforcement_rate: 'over-enforcement (false positives)',
  under_enforcement_rate: 'under-enforcement (false negatives)',
  precision: 'false positives (enforced where QA found no violation)',
  recall: 'false negatives (violations the agent missed)',
  f1: 'disagreements with QA',
  dispute_rate: 'disputed reviews',
  overturn_rate: 'overturned reviews',
};

/** What a measure's n counts (the drill-down without outcome=failing). */
export const DENOMINATOR_WORDS: Partial<Record<Measure, string>> = {
  over_enforcement_rate: 'reviews where QA found no violation',
  under_enforcement_rate: 'reviews where QA found a violation',
  precision: 'reviews where the agent enforced',
  recall: 'reviews where QA found a violation',
  f1: 'reviews where the agent or QA found a violation',
  overturn_rate: 'disputed reviews',
};

export const GRAIN_LABELS: Record<Grain, string> = { day: 'Day', week: 'Week', month: 'Month' };

export function errorTypeLabel(key: string): string {
  return ERROR_TYPE_LABELS[key as ErrorType] ?? humanize(key);
}

/** A value of a measure of this kind, without its interval. */
export function formatValue(kind: MeasureKind, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (kind) {
    case 'proportion':
      return `${(value * 100).toFixed(1)}%`;
    case 'mean':
      return value.toFixed(1);
    case 'duration':
      return `${(value / 1000).toFixed(1)} s`;
    case 'count':
      return formatNumber(Math.round(value));
  }
}

/** The interval's bounds, without units: "91.0–95.0". */
export function formatInterval(kind: MeasureKind, lower: number | null, upper: number | null): string | null {
  if (lower === null || upper === null || kind === 'count') return null;
  const scale = kind === 'proportion' ? 100 : kind === 'duration' ? 1 / 1000 : 1;
  return `${(lower * scale).toFixed(1)}–${(upper * scale).toFixed(1)}`;
}

/** "93.1% (91.0–95.0)"; census measures (no interval) just the value. */
export function formatEstimate(kind: MeasureKind, estimate: Pick<Estimate, 'value' | 'lower' | 'upper' | 'se'>): string {
  const value = formatValue(kind, estimate.value);
  if (estimate.value === null || estimate.se === null) return value;
  const interval = formatInterval(kind, estimate.lower, estimate.upper);
  return interval ? `${value} (${interval})` : value;
}

export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** A period's first day as a person reads it: "week of 2 Nov 2026", "Nov 2026", "2 Nov 2026". */
export function formatPeriod(period: string | null | undefined, grain: Grain | null | undefined): string {
  if (!period) return '—';
  if (grain === 'month') {
    const date = new Date(`${period}T00:00:00Z`);
    return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  if (grain === 'week') return `Week of ${formatDate(period)}`;
  return formatDate(period);
}

/** A period inside a sentence: "week of Nov 2", "Nov 2026", "Nov 2". */
export function periodInWords(period: string | null | undefined, grain: Grain | null | undefined): string {
  if (!period) return '—';
  const date = new Date(`${period}T00:00:00Z`);
  if (grain === 'month') return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
  return grain === 'week' ? `week of ${day}` : day;
}

/** Short axis label for a period. */
export function axisPeriod(period: string, grain: Grain | null | undefined): string {
  const date = new Date(`${period}T00:00:00Z`);
  if (grain === 'month') return new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(date);
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}

export const VERSUS_WORDS: Record<VersusOverall, string> = {
  below: 'Credibly below',
  above: 'Credibly above',
  within: 'Within noise',
};

/** Whether a group's position against the overall figure is the bad side, for this measure. */
export function isWorse(measure: Measure, versus: VersusOverall): boolean {
  const direction = MEASURE_DIRECTION[measure];
  if (versus === 'within' || direction === null) return false;
  return direction === 'up' ? versus === 'below' : versus === 'above';
}

/** Numbers for charts: proportions as percentages. */
export function chartScale(kind: MeasureKind): number {
  return kind === 'proportion' ? 100 : kind === 'duration' ? 1 / 1000 : 1;
}

export function unitSuffix(kind: MeasureKind): string {
  return kind === 'proportion' ? '%' : kind === 'duration' ? ' s' : '';
}

import { Issues } from '../errors.ts';
import { ERROR_TYPES } from '../reviews/scorecard.types.ts';
import { DIMENSIONS, isLabelLevel, MEASURE_NAMES, MEASURES } from './metric-catalogue.rules.ts';
import { isIsoDay } from './metric-periods.rules.ts';
import {
  checkSupported,
  filterValue,
  intersect,
  parseFilterList,
  parseFormat,
  parseGrain,
  parseMeasure,
  parseRange,
  periodRange,
  type DayRange,
  type DimensionFilter,
  type ExportFormat,
  type FilterValue,
} from './metric-query.rules.ts';
import type { MetricDimension, MetricMeasure, ReviewFilterDimension, ReviewOnlyDimension } from './metrics.types.ts';

/**
 * Which reviews stand behind a figure (GET /api/metrics/reviews). Pure.
 * With a measure, the list is the measure's denominator (so its total is the
 * figure's n: every review for accuracy, the agent's positives for precision,
 * the disputed reviews for the overturn rate...); with outcome=failing, only
 * those that count against it (incorrect, critical, FP, FN, disputed...).
 * Per label (a label or policy filter on an enforcement measure), the labels
 * named count as one: "the agent applied one of them", "QA applied one of them".
 *
 * Besides the dimensions of GET /api/metrics, the list alone takes two filters
 * that open a Pareto bar: `error_type:<key>` (one of the scorecard error
 * types) and `root_cause:<key>` (a scorecard's root-cause key). A review
 * matches when its error_types / root_causes array contains the value (a
 * repeated filter: any of the values), so with the Pareto chart's own filters
 * and days the list's total is the bar's n. They narrow any measure's list
 * (the total is then no longer the figure's n) and are not accepted by the
 * figures themselves, whose rollups keep no such dimension.
 *
 * format=csv: every matching review in the list's order (newest decision
 * first), ignoring limit/offset, at most REVIEWS_CSV_CAP of them.
 */

export const REVIEW_ONLY_DIMENSIONS: readonly ReviewOnlyDimension[] = ['error_type', 'root_cause'];
export const DRILL_DOWN_DIMENSIONS: readonly ReviewFilterDimension[] = [...DIMENSIONS, ...REVIEW_ONLY_DIMENSIONS];

/** The most reviews one CSV download holds; more is refused (422) rather than cut short. */
export const REVIEWS_CSV_CAP = 50_000;

/** Root-cause keys follow the scorecard key rule (scorecard.rules.ts). */
const ROOT_CAUSE_KEY = /^[a-z][a-z0-9_]{0,49}$/;

const isReviewOnly = (d: ReviewFilterDimension): d is ReviewOnlyDimension => (REVIEW_ONLY_DIMENSIONS as readonly string[]).includes(d);

function drillFilterValue(dimension: ReviewFilterDimension, raw: string): FilterValue {
  if (dimension === 'error_type') {
    return (ERROR_TYPES as readonly string[]).includes(raw) ? { value: raw } : { error: `An error type is one of ${ERROR_TYPES.join(', ')}.` };
  }
  if (dimension === 'root_cause') return ROOT_CAUSE_KEY.test(raw) ? { value: raw } : { error: `"${raw}" is not a root-cause key (lower snake case, like missed_context).` };
  return filterValue(dimension, raw);
}

export type ReviewCondition =
  | 'incorrect' | 'critical' | 'not_passed' | 'agent_positive' | 'qa_positive' | 'qa_negative' | 'either_positive'
  | 'false_positive' | 'false_negative' | 'disagree' | 'disputed' | 'overturned';

const CONDITIONS: Partial<Record<MetricMeasure, { domain: ReviewCondition[]; failing: ReviewCondition }>> = {
  accuracy: { domain: [], failing: 'incorrect' },
  critical_error_rate: { domain: [], failing: 'critical' },
  pass_rate: { domain: [], failing: 'not_passed' },
  qa_score: { domain: [], failing: 'not_passed' },
  over_enforcement_rate: { domain: ['qa_negative'], failing: 'false_positive' },
  under_enforcement_rate: { domain: ['qa_positive'], failing: 'false_negative' },
  precision: { domain: ['agent_positive'], failing: 'false_positive' },
  recall: { domain: ['qa_positive'], failing: 'false_negative' },
  f1: { domain: ['either_positive'], failing: 'disagree' },
  dispute_rate: { domain: [], failing: 'disputed' },
  overturn_rate: { domain: ['disputed'], failing: 'overturned' },
};

export const DRILL_DOWN_MEASURES = MEASURE_NAMES.filter((m) => CONDITIONS[m] !== undefined);

export interface RawDrillDownQuery {
  filter?: string;
  from?: string;
  to?: string;
  period?: string;
  grain?: string;
  measure?: string;
  outcome?: string;
  format?: string;
}

export interface DrillDownQuery extends DayRange {
  filters: Array<DimensionFilter<ReviewFilterDimension>>;
  conditions: ReviewCondition[];
  perLabel: boolean;
  /** The measure and outcome asked for (the conditions say what they mean), for the export's name. */
  measure: MetricMeasure | null;
  failing: boolean;
  format: ExportFormat;
}

export function parseDrillDownQuery(raw: RawDrillDownQuery, today: string): DrillDownQuery {
  const issues = new Issues();
  const measure = raw.measure === undefined || raw.measure === '' ? null : parseMeasure(raw.measure, issues, DRILL_DOWN_MEASURES);
  const filters = parseFilterList(raw.filter, issues, DRILL_DOWN_DIMENSIONS, drillFilterValue);
  const format = parseFormat(raw.format, issues);
  if (raw.outcome !== undefined && raw.outcome !== '') {
    if (raw.outcome !== 'failing') issues.add('/outcome', 'Choose: failing.');
    else if (raw.measure === undefined || raw.measure === '') issues.add('/outcome', 'Name the measure whose failing reviews to list.');
  }
  let range: DayRange;
  if (raw.period !== undefined && raw.period !== '') {
    const period = periodRange(raw.period, parseGrain(raw.grain, issues) ?? 'week', issues);
    // Explicit from/to still bound the period; their defaults do not.
    for (const field of ['from', 'to'] as const) {
      if (raw[field] !== undefined && !isIsoDay(raw[field])) issues.add(`/${field}`, 'Give the day as YYYY-MM-DD.');
    }
    range = period ? intersect(period, { from: raw.from ?? period.from, to: raw.to ?? period.to }) : { from: today, to: today };
  } else {
    parseGrain(raw.grain, issues);
    range = parseRange(raw, today, issues);
  }
  issues.throwIfAny('Some query parameters are not valid.');
  const sliceFilters = filters.filter((f): f is DimensionFilter<MetricDimension> => !isReviewOnly(f.dimension));
  if (measure) checkSupported(measure, [], sliceFilters);
  const conditions = measure ? CONDITIONS[measure]! : null;
  return {
    ...range,
    filters,
    conditions: conditions ? [...conditions.domain, ...(raw.outcome === 'failing' ? [conditions.failing] : [])] : [],
    measure,
    failing: measure !== null && raw.outcome === 'failing',
    perLabel: measure !== null && MEASURES[measure].family === 'confusion' && isLabelLevel(measure, sliceFilters.map((f) => f.dimension)),
    format,
  };
}

import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../database.ts';
import type { Page } from './pagination.ts';
import { KEY_COLUMN, LABEL_POLICY, type SliceDimension } from './metrics.repository.ts';

/** The reviews behind a metric's figure (GET /api/metrics/reviews): the slice's reviews, filtered by the measure's conditions. */

/** Which reviews of a slice to list: a measure's denominator (domain) and, optionally, those counting against it. */
export type ReviewCondition =
  | 'incorrect' | 'critical' | 'not_passed' | 'agent_positive' | 'qa_positive' | 'qa_negative' | 'either_positive'
  | 'false_positive' | 'false_negative' | 'disagree' | 'disputed' | 'overturned';

/** The drill-down also filters on what QA found: the review's error_types / root_causes contain one of the values. */
export type ReviewFilterDimension = SliceDimension | 'error_type' | 'root_cause';

export interface ReviewSliceFilter {
  filters: Array<{ dimension: ReviewFilterDimension; values: string[] }>;
  /** Inclusive UTC days of the decision. */
  from: string;
  to: string;
  conditions: ReviewCondition[];
  /** Enforcement conditions per label (the labels named by the label and policy filters, as one) rather than per decision. */
  perLabel: boolean;
}

function reviewFilterCondition(f: ReviewSliceFilter['filters'][number]): RawBuilder<unknown> {
  switch (f.dimension) {
    case 'error_type':
      return sql`r.error_types && ${f.values}::text[]`;
    case 'root_cause':
      return sql`r.root_causes && ${f.values}::text[]`;
    case 'label':
      return sql`(d.labels && ${f.values}::text[] OR r.qa_labels && ${f.values}::text[])`;
    case 'policy':
      return sql`(d.labels && ls.policy_labels OR r.qa_labels && ls.policy_labels)`;
    case 'severity':
      return sql`coalesce(d.severity, '') = ANY(${f.values}::text[])`;
    case 'tenure_band':
      return sql`(CASE WHEN d.tenure_days IS NULL THEN 'unknown' WHEN d.tenure_days < 30 THEN 'nesting'
                       WHEN d.tenure_days < 90 THEN 'ramping' ELSE 'established' END) = ANY(${f.values}::text[])`;
    default:
      return sql`${sql.ref(`r.${KEY_COLUMN[f.dimension].column}`)} = ANY(${f.values}::uuid[])`;
  }
}

function reviewCondition(c: ReviewCondition, perLabel: boolean): RawBuilder<unknown> {
  const agent = perLabel ? sql`(d.labels && ls.labels)` : sql`(cardinality(d.labels) > 0)`;
  const qa = perLabel ? sql`(r.qa_labels && ls.labels)` : sql`(cardinality(r.qa_labels) > 0)`;
  switch (c) {
    case 'incorrect': return sql`NOT r.correct`;
    case 'critical': return sql`r.critical_failed`;
    case 'not_passed': return sql`NOT r.passed`;
    case 'agent_positive': return agent;
    case 'qa_positive': return qa;
    case 'qa_negative': return sql`NOT ${qa}`;
    case 'either_positive': return sql`(${agent} OR ${qa})`;
    case 'false_positive': return sql`(${agent} AND NOT ${qa})`;
    case 'false_negative': return sql`(NOT ${agent} AND ${qa})`;
    case 'disagree': return sql`(${agent} <> ${qa})`;
    case 'disputed': return sql`r.disputed`;
    case 'overturned': return sql`r.overturned`;
  }
}

/** The review columns GET /api/reviews lists, with the names around them. */
const REVIEW_COLUMNS = sql`r.id, r.task_id, r.decision_id, r.workflow_id, w.name AS workflow_name, r.vendor_id, v.name AS vendor_name, r.site_id,
  r.team_id, r.agent_id, a.full_name AS agent_name, r.reviewer_id, rv.full_name AS reviewer_name, r.reviewer_vendor_id,
  r.scorecard_version_id, sv.version AS scorecard_version, r.blind, r.revision, r.qa_labels, r.qa_action, r.score, r.passed,
  r.critical_failed, r.correct, r.error_types, r.root_causes, r.policy_unclear, r.time_on_task_ms, r.submitted_at, r.acknowledged_at,
  d.labels AS decision_labels, d.action AS decision_action, d.decided_at`;

export interface DrillDownRow {
  id: string; task_id: string; decision_id: string; workflow_id: string; workflow_name: string; vendor_id: string; vendor_name: string | null;
  site_id: string; team_id: string | null; agent_id: string; agent_name: string | null; reviewer_id: string; reviewer_name: string | null;
  reviewer_vendor_id: string; scorecard_version_id: string; scorecard_version: number | null; blind: boolean; revision: number;
  qa_labels: string[]; qa_action: string; score: string; passed: boolean; critical_failed: boolean; correct: boolean; error_types: string[];
  root_causes: string[]; policy_unclear: boolean; time_on_task_ms: string; submitted_at: Date; acknowledged_at: Date | null;
  decision_labels: string[]; decision_action: string; decided_at: Date;
  /** Reviews matching the filter (before the page). */
  total: number;
}

/**
 * Reviews of decisions made in [from, to] (UTC days) matching the filters and
 * conditions, newest decision first, with the total in the same statement.
 */
export async function drillDownReviews(db: Executor, filter: ReviewSliceFilter, page: Page): Promise<DrillDownRow[]> {
  const labels = filter.filters.find((f) => f.dimension === 'label')?.values ?? null;
  const policies = filter.filters.find((f) => f.dimension === 'policy')?.values ?? null;
  const conditions = [
    // The reviews behind the figures: gold and double reviews never feed them (migration 0010), whoever asks.
    sql`r.purpose = 'primary'`,
    sql`d.decided_at >= (${filter.from}::date)::timestamp AT TIME ZONE 'UTC'`,
    sql`d.decided_at < (${filter.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`,
    // Per label, the label filter becomes the measure's own condition on those labels.
    ...filter.filters.filter((f) => !(filter.perLabel && (f.dimension === 'label' || f.dimension === 'policy'))).map(reviewFilterCondition),
    ...filter.conditions.map((c) => reviewCondition(c, filter.perLabel)),
  ];
  const { rows } = await sql<DrillDownRow>`
    WITH ls AS (
      SELECT coalesce(array_agg(DISTINCT lp.label) FILTER (WHERE ${policies === null ? sql`true` : sql`lp.policy_id = ANY(${policies}::uuid[])`}), '{}') AS policy_labels,
             coalesce(array_agg(DISTINCT lp.label) FILTER (WHERE ${labels === null ? sql`true` : sql`lp.label = ANY(${labels}::text[])`}
                                                             AND ${policies === null ? sql`true` : sql`lp.policy_id = ANY(${policies}::uuid[])`}), '{}') AS labels
      FROM ${LABEL_POLICY} lp
    )
    SELECT ${REVIEW_COLUMNS}, count(*) OVER ()::int AS total
    FROM reviews r
    JOIN decisions d ON d.id = r.decision_id
    CROSS JOIN ls
    JOIN workflows w ON w.id = r.workflow_id
    LEFT JOIN people a ON a.id = r.agent_id
    LEFT JOIN people rv ON rv.id = r.reviewer_id
    LEFT JOIN vendors v ON v.id = r.vendor_id
    LEFT JOIN scorecard_versions sv ON sv.id = r.scorecard_version_id
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY d.decided_at DESC, r.id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return rows;
}

/** How many reviews match (for a page past the end, where the window count is not there). */
export async function countDrillDownReviews(db: Executor, filter: ReviewSliceFilter): Promise<number> {
  const rows = await drillDownReviews(db, filter, { limit: 1, offset: 0 });
  return rows[0]?.total ?? 0;
}

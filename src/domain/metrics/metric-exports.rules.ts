import type { ReviewSummary } from '../reviews/review-reads.service.ts';
import type { DrillDownQuery } from './metric-drill-down.rules.ts';
import { csvTable } from './metric-presentation.rules.ts';
import type { ControlChartResponse, ParetoResponse } from './metrics.types.ts';

/**
 * The CSV downloads of the control chart, the Pareto chart and the reviews
 * behind a figure: the same rows as the JSON (points, items, reviews), in the
 * same order, written with the CSV rules of GET /api/metrics (csvField). Pure.
 */

/** One line per point: the period, what is charted, the rate, sample sizes, limits, z and the rules broken. */
export function controlChartCsv(chart: ControlChartResponse): string {
  return csvTable(
    ['period', 'charted', 'p', 'n', 'n_effective', 'centre', 'lower', 'upper', 'z', 'rules', 'signal'],
    chart.points.map((p) => [p.period, chart.charted, p.p, p.n, p.nEffective, chart.centre, p.lower, p.upper, p.z, p.rules.join(' '), p.signal]),
  );
}

export function controlChartFileName(chart: Pick<ControlChartResponse, 'measure' | 'grain' | 'from' | 'to'>): string {
  return `control-chart-${chart.measure}-${chart.grain}-${chart.from}-${chart.to}.csv`;
}

/** One line per error type or root cause, most frequent first; name: its words (null when none is known). */
export function paretoCsv(pareto: ParetoResponse, nameOf: (key: string) => string | null): string {
  return csvTable(
    ['key', 'name', 'n', 'share', 'cumulative_share', 'weighted'],
    pareto.items.map((i) => [i.key, nameOf(i.key), i.n, i.share, i.cumulativeShare, i.weighted]),
  );
}

export function paretoFileName(pareto: Pick<ParetoResponse, 'kind' | 'from' | 'to'>): string {
  return `pareto-${pareto.kind}-${pareto.from}-${pareto.to}.csv`;
}

/** Lists inside a field (labels, error types, root causes) are space-separated: their keys hold no spaces. */
const joined = (values: readonly string[]) => values.join(' ');

/** One line per review, in the list's order, with the ids and names GET /api/metrics/reviews gives. */
export function reviewsCsv(items: readonly ReviewSummary[]): string {
  return csvTable(
    [
      'review_id', 'task_id', 'decision_id', 'decided_at', 'reviewed_at', 'workflow_id', 'workflow', 'vendor_id', 'vendor', 'site_id', 'team_id',
      'agent_id', 'agent', 'reviewer_id', 'reviewer', 'scorecard_version', 'revision', 'decision_labels', 'decision_action', 'qa_labels', 'qa_action',
      'correct', 'score', 'passed', 'critical_failed', 'error_types', 'root_causes', 'policy_unclear', 'time_on_task_ms', 'acknowledged_at',
    ],
    items.map((r) => [
      r.id, r.taskId, r.decisionId, r.decision.decidedAt, r.submittedAt, r.workflowId, r.workflowName, r.vendorId, r.vendorName, r.siteId, r.teamId,
      r.agentId, r.agentName, r.reviewerId, r.reviewerName, r.scorecardVersion, r.revision, joined(r.decision.labels), r.decision.action,
      joined(r.verdict.labels), r.verdict.action, r.correct, r.score, r.passed, r.criticalFailed, joined(r.errorTypes), joined(r.rootCauses),
      r.policyUnclear, r.timeOnTaskMs, r.acknowledgedAt,
    ]),
  );
}

/** metric-reviews[-<measure>[-failing]]-<from>-<to>.csv */
export function reviewsFileName(query: Pick<DrillDownQuery, 'measure' | 'failing' | 'from' | 'to'>): string {
  const measure = query.measure ? `-${query.measure}${query.failing ? '-failing' : ''}` : '';
  return `metric-reviews${measure}-${query.from}-${query.to}.csv`;
}

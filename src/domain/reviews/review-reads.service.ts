import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/reviews.repository.ts';
import { notFound } from '../errors.ts';
import type { Answer, ScorecardDefinition } from './scorecard.types.ts';

/**
 * Reading reviews. Row-level security keeps them to the caller's scope: an
 * agent (scope self) sees only their own, a vendor QA lead their vendor's.
 * Another's review is simply not there (404).
 */

export interface ReviewSummary {
  id: string;
  taskId: string;
  decisionId: string;
  workflowId: string;
  workflowName: string;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  teamId: string | null;
  agentId: string;
  agentName: string | null;
  reviewerId: string;
  reviewerName: string | null;
  scorecardVersionId: string;
  scorecardVersion: number | null;
  blind: boolean;
  revision: number;
  verdict: { labels: string[]; action: string };
  decision: { labels: string[]; action: string; decidedAt: string };
  score: number;
  passed: boolean;
  criticalFailed: boolean;
  correct: boolean;
  errorTypes: string[];
  rootCauses: string[];
  policyUnclear: boolean;
  timeOnTaskMs: number;
  submittedAt: string;
  acknowledgedAt: string | null;
}

/** A review row as the API's list item (also used by the metrics drill-down). */
export function presentReviewSummary(row: Omit<repo.ReviewRow, 'answers'>): ReviewSummary {
  return {
    id: row.id,
    taskId: row.task_id,
    decisionId: row.decision_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name ?? null,
    siteId: row.site_id,
    teamId: row.team_id,
    agentId: row.agent_id,
    agentName: row.agent_name ?? null,
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name ?? null,
    scorecardVersionId: row.scorecard_version_id,
    scorecardVersion: row.scorecard_version ?? null,
    blind: row.blind,
    revision: row.revision,
    verdict: { labels: row.qa_labels, action: row.qa_action },
    decision: { labels: row.decision_labels, action: row.decision_action, decidedAt: new Date(row.decided_at).toISOString() },
    score: Number(row.score),
    passed: row.passed,
    criticalFailed: row.critical_failed,
    correct: row.correct,
    errorTypes: row.error_types,
    rootCauses: row.root_causes,
    policyUnclear: row.policy_unclear,
    timeOnTaskMs: Number(row.time_on_task_ms),
    submittedAt: row.submitted_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
  };
}

export async function listReviews(trx: Executor, filter: repo.ReviewFilter, page: Page): Promise<{ items: ReviewSummary[]; total: number }> {
  const rows = await repo.listReviews(trx, filter, page);
  const total = rows.length < page.limit && (rows.length > 0 || page.offset === 0) ? page.offset + rows.length : await repo.countReviews(trx, filter);
  return { items: rows.map(presentReviewSummary), total };
}

export interface ReviewDetail extends ReviewSummary {
  answers: Array<Answer & { questionText: string | null; sectionTitle: string | null }>;
  revisions: Array<{ revision: number; reason: string; disputeId: string | null; score: number; passed: boolean; correct: boolean; verdict: { labels: string[]; action: string }; errorTypes: string[]; createdAt: string }>;
  comments: Array<{ id: string; authorLabel: string; body: string; createdAt: string }>;
  disputes: Array<{ id: string; raisedByLabel: string; questionKeys: string[]; reason: string; status: string; dueAt: string; outcome: string | null; outcomeReason: string | null; scoreBefore: number; scoreAfter: number | null; createdAt: string; resolvedAt: string | null }>;
}

function withQuestions(answers: Answer[], definition: ScorecardDefinition | null): ReviewDetail['answers'] {
  const questions = new Map((definition?.sections ?? []).flatMap((s) => s.questions.map((q) => [q.key, { text: q.text, section: s.title }] as const)));
  return answers.map((a) => ({ ...a, questionText: questions.get(a.questionKey)?.text ?? null, sectionTitle: questions.get(a.questionKey)?.section ?? null }));
}

/** The detail of a review written in this transaction: one revision, no comments or disputes yet. */
export function submittedReviewDetail(row: repo.ReviewRow, answers: Answer[], definition: ScorecardDefinition | null): ReviewDetail {
  const summary = presentReviewSummary(row);
  const revision = { revision: 1, reason: 'submitted', disputeId: null, score: summary.score, passed: summary.passed, correct: summary.correct, verdict: summary.verdict, errorTypes: summary.errorTypes, createdAt: summary.submittedAt };
  return { ...summary, answers: withQuestions(answers, definition), revisions: [revision], comments: [], disputes: [] };
}

export async function getReview(trx: Executor, id: string): Promise<ReviewDetail> {
  const row = await repo.findReview(trx, id);
  if (!row) throw notFound('Review');
  const definition = row.scorecard_definition as ScorecardDefinition | null;
  const summary = presentReviewSummary(row);
  const [revisions, comments, disputes] = await Promise.all([repo.revisionsOf(trx, id), repo.commentsOf(trx, id), repo.disputesOf(trx, id)]);
  return {
    ...summary,
    answers: withQuestions(row.answers as Answer[], definition),
    revisions: revisions.map((r) => ({
      revision: r.revision,
      reason: r.reason,
      disputeId: r.dispute_id,
      score: Number(r.score),
      passed: r.passed,
      correct: r.correct,
      verdict: { labels: r.qa_labels, action: r.qa_action },
      errorTypes: r.error_types,
      createdAt: r.created_at.toISOString(),
    })),
    comments: comments.map((c) => ({ id: c.id, authorLabel: c.author_label, body: c.body, createdAt: c.created_at.toISOString() })),
    disputes: disputes.map((d) => ({
      id: d.id,
      raisedByLabel: d.raised_by_label,
      questionKeys: d.question_keys,
      reason: d.reason,
      status: d.status,
      dueAt: d.due_at.toISOString(),
      outcome: d.outcome,
      outcomeReason: d.outcome_reason,
      scoreBefore: Number(d.score_before),
      scoreAfter: d.score_after === null ? null : Number(d.score_after),
      createdAt: d.created_at.toISOString(),
      resolvedAt: d.resolved_at?.toISOString() ?? null,
    })),
  };
}

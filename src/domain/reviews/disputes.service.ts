import type { Executor } from '../../db/database.ts';
import * as disputes from '../../db/repositories/disputes.repository.ts';
import { addDisputeRevision, type FeedbackReviewRow } from '../../db/repositories/review-feedback.repository.ts';
import type { DisputeOutcome, DisputeStatus } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';
import {
  alignDerivedAnswers,
  checkDisputedQuestions,
  disputeDueAt,
  disputeRates,
  disputeWindowEnd,
  disputeWindowOpen,
  pickArbiter,
  slaClock,
  type DisputeRates,
} from './disputes.rules.ts';
import { loadReview } from './feedback.service.ts';
import type { Answer, ScorecardDefinition, Verdict } from './scorecard.types.ts';
import { checkAnswers, scoreReview } from './scoring.rules.ts';

/**
 * Disputes: an agent (about their own review) or a QA lead in scope contests
 * a review, whole or per question, within the workflow's window; an arbiter
 * who neither wrote the review nor raised the dispute upholds or overturns
 * it. An overturn is a new revision of the review; earlier revisions are
 * never changed, so the original finding stays in history.
 */

export interface Dispute {
  id: string;
  reviewId: string;
  status: DisputeStatus;
  raisedByUserId: string | null;
  raisedByLabel: string;
  questionKeys: string[];
  reason: string;
  arbiterId: string | null;
  arbiterName: string | null;
  dueAt: string;
  slaRemainingMs: number | null;
  overdue: boolean;
  outcome: DisputeOutcome | null;
  outcomeReason: string | null;
  scoreBefore: number;
  scoreAfter: number | null;
  createdAt: string;
  resolvedAt: string | null;
  workflowId: string;
  workflowName: string;
  vendorId: string;
  vendorName: string | null;
  agentId: string;
  agentName: string | null;
}

function toDispute(row: disputes.DisputeRow, now: Date): Dispute {
  const clock = slaClock(row.status, row.due_at, now, row.resolved_at);
  return {
    id: row.id,
    reviewId: row.review_id,
    status: row.status,
    raisedByUserId: row.raised_by_user_id,
    raisedByLabel: row.raised_by_label,
    questionKeys: row.question_keys,
    reason: row.reason,
    arbiterId: row.arbiter_id,
    arbiterName: row.arbiter_name,
    dueAt: row.due_at.toISOString(),
    slaRemainingMs: clock.remainingMs,
    overdue: clock.overdue,
    outcome: row.outcome,
    outcomeReason: row.outcome_reason,
    scoreBefore: Number(row.score_before),
    scoreAfter: row.score_after === null ? null : Number(row.score_after),
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
  };
}

const definitionOf = (review: FeedbackReviewRow) => review.definition as ScorecardDefinition;
const answersOf = (review: FeedbackReviewRow) => review.answers as Answer[];

export interface RaiseInput {
  reason: string;
  questionKeys?: string[];
}

export async function raiseDispute(trx: Executor, actor: Actor, reviewId: string, input: RaiseInput, now = new Date()): Promise<DisputeDetail> {
  const review = await loadReview(trx, reviewId, true);
  const isTheAgent = actor.personId !== null && actor.personId === review.agent_id;
  if (!isTheAgent && actor.role === 'agent') throw new AppError('FORBIDDEN', 'Agents can dispute only their own reviews.');
  const reason = input.reason.trim();
  const questionKeys = input.questionKeys ?? [];
  const issues = checkDisputedQuestions(definitionOf(review), questionKeys);
  if (reason.length === 0) issues.unshift({ path: '/reason', message: 'Say why the finding is wrong.' });
  if (reason.length > 4000) issues.unshift({ path: '/reason', message: 'At most 4000 characters.' });
  if (issues.length > 0) throw invalid(issues);
  if (!disputeWindowOpen(review.submitted_at, review.dispute_window_hours, now)) {
    const closed = disputeWindowEnd(review.submitted_at, review.dispute_window_hours);
    throw conflict(`This review can no longer be disputed: the dispute window closed on ${closed.toISOString()}.`);
  }
  if (await disputes.findOpenDisputeId(trx, reviewId)) throw conflict('This review already has an open dispute; wait for its outcome or withdraw it.');
  const candidates = await disputes.findArbiterCandidates(trx, review.workflow_id);
  const arbiterId = pickArbiter(
    candidates.map((c) => ({ personId: c.person_id, preferred: c.preferred, openDisputes: c.open_disputes })),
    [review.reviewer_id, actor.personId],
  );
  const id = await disputes.insertDispute(trx, {
    reviewId,
    raisedByUserId: actor.userId,
    raisedByLabel: actor.label,
    questionKeys,
    reason,
    arbiterId,
    dueAt: disputeDueAt(now, review.dispute_sla_hours),
    scoreBefore: review.score,
    workflowId: review.workflow_id,
    vendorId: review.vendor_id,
    siteId: review.site_id,
    teamId: review.team_id,
    agentId: review.agent_id,
  });
  await audit(trx, actor, {
    action: 'dispute.raise',
    entityType: 'dispute',
    entityId: id,
    vendorId: review.vendor_id,
    details: { reviewId, questionKeys, arbiterId },
  });
  return getDispute(trx, id, now);
}

export interface DisputeListFilter {
  status?: DisputeStatus;
  overdue?: boolean;
  arbiterId?: string;
  mine?: boolean;
  reviewId?: string;
}

export async function listDisputes(
  trx: Executor,
  actor: Actor,
  filter: DisputeListFilter,
  page: { limit: number; offset: number },
  now = new Date(),
): Promise<{ items: Dispute[]; total: number }> {
  if (filter.mine && !actor.personId) return { items: [], total: 0 };
  const arbiterId = filter.mine ? actor.personId! : filter.arbiterId;
  const { rows, total } = await disputes.listDisputes(
    trx,
    { status: filter.status, overdue: filter.overdue, reviewId: filter.reviewId, ...(arbiterId && { arbiterId }) },
    now,
    page,
  );
  return { items: rows.map((row) => toDispute(row, now)), total };
}

export interface DisputeQuestion {
  sectionTitle: string;
  key: string;
  text: string;
  kind: string;
  weight: number;
  critical: boolean;
  allowNotApplicable: boolean;
  options: Array<{ key: string; label: string }>;
  disputed: boolean;
  answer: Answer | null;
}

export interface DisputeDetail extends Dispute {
  review: {
    id: string;
    revision: number;
    score: number;
    reviewerId: string;
    scorecardVersionId: string;
    submittedAt: string;
    qaVerdict: Verdict;
    decision: Verdict;
    answers: Answer[];
  };
  questions: DisputeQuestion[];
  /** Whether the caller may resolve it (not the reviewer, not the raiser, still open). */
  canResolve: boolean;
}

export async function getDispute(trx: Executor, id: string, now = new Date(), actor?: Actor): Promise<DisputeDetail> {
  const row = await disputes.findDispute(trx, id);
  if (!row) throw notFound('Dispute');
  const review = await loadReview(trx, row.review_id);
  const answers = answersOf(review);
  const byKey = new Map(answers.map((a) => [a.questionKey, a]));
  const disputedAll = row.question_keys.length === 0;
  const questions = definitionOf(review).sections.flatMap((section) =>
    section.questions.map((q) => ({
      sectionTitle: section.title,
      key: q.key,
      text: q.text,
      kind: q.kind,
      weight: q.weight,
      critical: q.critical,
      allowNotApplicable: q.allowNotApplicable ?? false,
      options: (q.options ?? []).map((o) => ({ key: o.key, label: o.label })),
      disputed: disputedAll || row.question_keys.includes(q.key),
      answer: byKey.get(q.key) ?? null,
    })),
  );
  return {
    ...toDispute(row, now),
    review: {
      id: review.id,
      revision: review.revision,
      score: Number(review.score),
      reviewerId: review.reviewer_id,
      scorecardVersionId: review.scorecard_version_id,
      submittedAt: review.submitted_at.toISOString(),
      qaVerdict: { labels: review.qa_labels, action: review.qa_action },
      decision: { labels: review.decision_labels, action: review.decision_action },
      answers,
    },
    questions,
    canResolve: actor ? row.status === 'open' && refusalToArbitrate(actor, row) === null : false,
  };
}

function refusalToArbitrate(actor: Actor, row: disputes.DisputeRow): string | null {
  if (actor.personId !== null && actor.personId === row.reviewer_id) return 'You wrote this review, so you cannot arbitrate a dispute about it.';
  if (actor.userId !== null && actor.userId === row.raised_by_user_id) return 'You raised this dispute, so you cannot arbitrate it.';
  return null;
}

export interface ResolveInput {
  outcome: DisputeOutcome;
  reason: string;
  verdict?: Verdict;
  answers?: Answer[];
}

export async function resolveDispute(trx: Executor, actor: Actor, id: string, input: ResolveInput, now = new Date()): Promise<DisputeDetail> {
  const row = await disputes.findDispute(trx, id, true);
  if (!row) throw notFound('Dispute');
  const refusal = refusalToArbitrate(actor, row);
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  if (row.status !== 'open') throw conflict(`This dispute is already ${row.status}.`);
  const reason = input.reason.trim();
  if (reason.length === 0) throw invalid([{ path: '/reason', message: 'Give the reason for the outcome.' }]);
  const review = await loadReview(trx, row.review_id, true);
  let scoreAfter: number | string = review.score;
  let revision: number | null = null;
  if (input.outcome !== 'upheld') {
    if (!input.verdict && !input.answers) {
      throw invalid([{ path: '/answers', message: 'Give the corrected verdict or answers for an overturn.' }]);
    }
    const verdict = input.verdict ?? { labels: review.qa_labels, action: review.qa_action };
    const answers = input.answers ?? answersOf(review);
    const decision = { labels: review.decision_labels, action: review.decision_action };
    const issues = checkAnswers(definitionOf(review), answers, decision, verdict);
    if (verdict.action.trim().length === 0) issues.push({ path: '/verdict/action', message: 'Choose the correct action.' });
    if (issues.length > 0) throw invalid(issues);
    const scored = scoreReview(definitionOf(review), answers, decision, verdict);
    revision = await addDisputeRevision(
      trx,
      review,
      id,
      {
        qaLabels: [...verdict.labels].sort(),
        qaAction: verdict.action,
        answers: alignDerivedAnswers(definitionOf(review), answers, scored.failedQuestions),
        score: scored.score,
        passed: scored.passed,
        criticalFailed: scored.criticalFailed,
        correct: scored.correct,
        errorTypes: scored.errorTypes,
        rootCauses: scored.rootCauses,
      },
      actor.userId,
      now,
    );
    scoreAfter = scored.score;
  }
  await disputes.resolveDispute(trx, id, { outcome: input.outcome, reason, scoreAfter, userId: actor.userId, at: now });
  await audit(trx, actor, {
    action: 'dispute.resolve',
    entityType: 'dispute',
    entityId: id,
    vendorId: row.vendor_id,
    details: { reviewId: row.review_id, outcome: input.outcome, scoreBefore: Number(row.score_before), scoreAfter: Number(scoreAfter), revision },
  });
  return getDispute(trx, id, now, actor);
}

export async function withdrawDispute(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<DisputeDetail> {
  const row = await disputes.findDispute(trx, id, true);
  if (!row) throw notFound('Dispute');
  if (actor.userId === null || actor.userId !== row.raised_by_user_id) throw new AppError('FORBIDDEN', 'Only the person who raised a dispute can withdraw it.');
  if (row.status !== 'open') throw conflict(`This dispute is already ${row.status}.`);
  await disputes.withdrawDispute(trx, id, now);
  await audit(trx, actor, { action: 'dispute.withdraw', entityType: 'dispute', entityId: id, vendorId: row.vendor_id, details: { reviewId: row.review_id } });
  return getDispute(trx, id, now, actor);
}

export interface SummaryInput {
  from?: string;
  to?: string;
  by?: 'vendor' | 'workflow';
}

export async function disputeSummary(
  trx: Executor,
  input: SummaryInput,
  now = new Date(),
): Promise<{ from: string; to: string; by: 'vendor' | 'workflow'; groups: DisputeRates[] }> {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 90 * 86_400_000);
  if (!(from < to)) throw invalid([{ path: '/from', message: 'Must be before "to".' }]);
  const by = input.by ?? 'vendor';
  const rows = await disputes.countDisputes(trx, { from, to }, by);
  const groups = rows.map((r) => disputeRates({ groupId: r.group_id, groupName: r.group_name, reviews: r.reviews, disputed: r.disputed, overturned: r.overturned }));
  return { from: from.toISOString(), to: to.toISOString(), by, groups };
}

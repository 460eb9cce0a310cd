import type { Executor } from '../../db/database.ts';
import { insertEscalation } from '../../db/repositories/escalations.repository.ts';
import { insertSubmittedReview, lockSubmissionContext } from '../../db/repositories/review-submission.repository.ts';
import type { ReviewRow, ReviewTaskRow } from '../../db/repositories/reviews.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit, auditEntry } from '../audit/audit.service.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { submittedReviewDetail, type ReviewDetail } from './review-reads.service.ts';
import type { Answer, ScorecardDefinition, Verdict } from './scorecard.types.ts';
import { checkAnswers, scoreReview } from './scoring.rules.ts';
import { assertHeld, checkVerdictAgainst, requirePerson, type DraftVerdict } from './workspace.service.ts';

/**
 * Submitting a review. The task row is locked first, so of two submissions
 * (a double click, two tabs) exactly one finds the task still claimed and
 * wins; the other answers 409. reviews.task_id is unique as a last guard.
 * Score, pass, error types and correctness come from the scoring engine,
 * never from the client. It is the QA team's hot path: one statement reads,
 * one writes (review-submission.repository.ts), and the answer is composed
 * from what is in hand rather than read back.
 */

export interface SubmitInput {
  scorecardVersionId: string;
  verdict: Verdict;
  answers: Answer[];
  policyUnclear?: { note: string };
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  return a.action === b.action && a.labels.length === b.labels.length && a.labels.every((l) => b.labels.includes(l));
}

export async function submitReview(trx: Executor, actor: Actor, taskId: string, input: SubmitInput, now = new Date()): Promise<ReviewDetail> {
  const reviewerId = requirePerson(actor);
  const context = await lockSubmissionContext(trx, taskId, reviewerId);
  if (!context) throw notFound('QA task');
  const { task, decision, draft } = context;
  assertHeld(task, reviewerId, now);
  const ownDraft = draft && draft.reviewer_id === reviewerId ? draft : undefined;
  if (!context.scorecard) throw conflict('This workflow has no published scorecard yet; ask a QA lead to publish one.');
  const scorecard = { ...context.scorecard, definition: context.scorecard.definition as ScorecardDefinition };
  if (input.scorecardVersionId.toLowerCase() !== scorecard.id) {
    throw conflict(`Stale scorecard version: this review uses version ${scorecard.version} of the scorecard; reload the task.`, '/scorecardVersionId');
  }
  const issues = [
    ...(await checkVerdictAgainst(trx, context.policies, input.verdict, '/verdict')),
    ...checkAnswers(scorecard.definition, input.answers, decision, input.verdict),
  ];
  if (input.policyUnclear && input.policyUnclear.note.trim().length === 0) issues.push({ path: '/policyUnclear/note', message: 'Say what is unclear.' });
  if (issues.length > 0) throw invalid(issues);

  const scored = scoreReview(scorecard.definition, input.answers, decision, input.verdict);
  // Blind only if the agent's decision was not shown before this verdict was given.
  const kept = ownDraft?.verdict as DraftVerdict | null | undefined;
  const blind = task.blind_mode && (ownDraft?.decision_revealed_at == null || (kept != null && kept.blindRecorded && sameVerdict(kept, input.verdict)));
  const activeMs = ownDraft ? Number(ownDraft.active_ms) : 0;
  const since = ownDraft?.started_at ?? task.claimed_at ?? now;
  const timeOnTaskMs = activeMs > 0 ? activeMs : Math.max(0, now.getTime() - since.getTime());

  // Rare, so it may cost its own statements: the escalation exists before the review's audit entry names it.
  const escalationId = input.policyUnclear ? await raiseEscalation(trx, actor, task, decision.id, input.verdict.labels, input.policyUnclear.note) : null;
  const review = {
    task_id: task.id,
    decision_id: decision.id,
    workflow_id: task.workflow_id,
    vendor_id: task.vendor_id,
    site_id: task.site_id,
    team_id: task.team_id,
    agent_id: task.agent_id,
    reviewer_id: reviewerId,
    scorecard_version_id: scorecard.id,
    blind,
    qa_labels: input.verdict.labels,
    qa_action: input.verdict.action,
    answers: input.answers,
    score: scored.score,
    passed: scored.passed,
    critical_failed: scored.criticalFailed,
    correct: scored.correct,
    error_types: scored.errorTypes,
    root_causes: scored.rootCauses,
    policy_unclear: input.policyUnclear !== undefined,
    time_on_task_ms: timeOnTaskMs,
  };
  const entry = auditEntry(actor, {
    action: 'review.submit',
    entityType: 'review',
    vendorId: task.vendor_id,
    details: {
      taskId: task.id,
      decisionId: decision.id,
      scorecardVersionId: scorecard.id,
      score: scored.score,
      passed: scored.passed,
      errorTypes: scored.errorTypes,
      blind,
      ...(escalationId && { escalationId }),
    },
  });
  const written = await insertSubmittedReview(trx, review, entry, now);
  if (!written) throw conflict('This task is already completed: a review was submitted for it.');
  const row: ReviewRow = {
    ...review,
    id: written.id,
    revision: written.revision,
    workflow_name: decision.workflow_name,
    vendor_name: decision.vendor_name,
    agent_name: decision.agent_name,
    reviewer_name: context.reviewerName,
    reviewer_vendor_id: written.reviewer_vendor_id,
    score: String(scored.score),
    time_on_task_ms: String(timeOnTaskMs),
    scorecard_version: scorecard.version,
    submitted_at: now,
    acknowledged_at: null,
    decision_labels: decision.labels,
    decision_action: decision.action,
    decided_at: decision.decided_at,
  };
  return submittedReviewDetail(row, input.answers, scorecard.definition);
}

async function raiseEscalation(trx: Executor, actor: Actor, task: ReviewTaskRow, decisionId: string, labels: string[], note: string): Promise<string> {
  const escalationId = await insertEscalation(trx, {
    decision_id: decisionId,
    task_id: task.id,
    labels,
    note: note.trim(),
    raised_by_user_id: actor.userId,
    raised_by_label: actor.label,
    workflow_id: task.workflow_id,
    vendor_id: task.vendor_id,
    site_id: task.site_id,
    team_id: task.team_id,
    agent_id: task.agent_id,
  });
  await audit(trx, actor, { action: 'escalation.raise', entityType: 'escalation', entityId: escalationId, vendorId: task.vendor_id, details: { decisionId, taskId: task.id, kind: 'policy_unclear' } });
  return escalationId;
}

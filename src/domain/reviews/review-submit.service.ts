import type { Executor } from '../../db/database.ts';
import * as drafts from '../../db/repositories/review-drafts.repository.ts';
import { insertEscalation } from '../../db/repositories/escalations.repository.ts';
import * as repo from '../../db/repositories/reviews.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { conflict, invalid } from '../errors.ts';
import { getReview, type ReviewDetail } from './review-reads.service.ts';
import type { Answer, Verdict } from './scorecard.types.ts';
import { checkAnswers, scoreReview } from './scoring.rules.ts';
import { checkVerdict, lockHeldTask, loadDecision, scorecardFor, type DraftVerdict } from './workspace.service.ts';

/**
 * Submitting a review. The task row is locked first, so of two submissions
 * (a double click, two tabs) exactly one finds the task still claimed and
 * wins; the other answers 409. reviews.task_id is unique as a last guard.
 * Score, pass, error types and correctness come from the scoring engine,
 * never from the client.
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
  const task = await lockHeldTask(trx, actor, taskId, now);
  const reviewerId = actor.personId!;
  const draft = await drafts.findDraft(trx, task.id);
  const ownDraft = draft && draft.reviewer_id === reviewerId ? draft : undefined;
  const scorecard = await scorecardFor(trx, task.workflow_id, ownDraft);
  if (input.scorecardVersionId.toLowerCase() !== scorecard.id) {
    throw conflict(`Stale scorecard version: this review uses version ${scorecard.version} of the scorecard; reload the task.`, '/scorecardVersionId');
  }
  const decision = await loadDecision(trx, task);
  const issues = [
    ...(await checkVerdict(trx, decision, input.verdict, '/verdict')),
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

  const reviewId = await repo.insertReview(
    trx,
    {
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
    },
    actor.userId,
    now,
  );
  if (!reviewId) throw conflict('This task is already completed: a review was submitted for it.');
  if (draft) await drafts.deleteDraft(trx, task.id);
  let escalationId: string | null = null;
  if (input.policyUnclear) {
    escalationId = await insertEscalation(trx, {
      decision_id: decision.id,
      task_id: task.id,
      labels: input.verdict.labels,
      note: input.policyUnclear.note.trim(),
      raised_by_user_id: actor.userId,
      raised_by_label: actor.label,
      workflow_id: task.workflow_id,
      vendor_id: task.vendor_id,
      site_id: task.site_id,
      team_id: task.team_id,
      agent_id: task.agent_id,
    });
    await audit(trx, actor, { action: 'escalation.raise', entityType: 'escalation', entityId: escalationId, vendorId: task.vendor_id, details: { decisionId: decision.id, taskId: task.id, kind: 'policy_unclear' } });
  }
  await audit(trx, actor, {
    action: 'review.submit',
    entityType: 'review',
    entityId: reviewId,
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
  return getReview(trx, reviewId, { justSubmitted: true });
}

import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-operations-coaching.repository.ts';
import { findPersonRef } from '../../db/repositories/training-operations-cohorts.repository.ts';
import type { CoachingActionStatus } from '../../db/schema-training-operations.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, Issues, notFound } from '../errors.ts';
import { checkActions, checkCoaching, unionKeys, type ActionInput, type CoachingInput } from './coaching.rules.ts';
import type { CoachingAction, CoachingDetail, CoachingSummary, LinkedReview } from './training-operations.types.ts';
export type { CoachingAction, CoachingDetail, CoachingSummary, LinkedReview };

/**
 * One-to-one coaching (issue 7, item 6): a coach records a session with a
 * person, the reviews and errors it was about and the actions agreed (owner,
 * follow-up date); follow-ups are recorded against each action. The person
 * sees their own coaching and acknowledges it. Scope follows the coachee.
 */

const today = (now: Date) => now.toISOString().slice(0, 10);

function toSummary(r: repo.CoachingSessionRow): CoachingSummary {
  return {
    id: r.id, personId: r.person_id, personName: r.person_name, coachId: r.coach_id, coachName: r.coach_name, vendorId: r.vendor_id,
    heldOn: r.held_on, topic: r.topic, errorTypes: r.error_types, rootCauses: r.root_causes, acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    actionsOpen: r.actions_open, actionsOverdue: r.actions_overdue, reviewCount: r.review_count,
  };
}

function toAction(a: repo.CoachingActionRow, now: Date): CoachingAction {
  return {
    id: a.id, sessionId: a.session_id, description: a.description, ownerId: a.owner_id, ownerName: a.owner_name, followUpOn: a.follow_up_on,
    status: a.status, overdue: a.status === 'open' && a.follow_up_on < today(now), followUpNote: a.follow_up_note,
    followedUpAt: a.followed_up_at?.toISOString() ?? null, followedUpBy: a.followed_up_by_label,
  };
}

const toReview = (r: repo.LinkedReviewRow): LinkedReview => ({
  id: r.review_id, submittedAt: r.submitted_at.toISOString(), score: Number(r.score), correct: r.correct, criticalFailed: r.critical_failed,
  errorTypes: r.error_types, rootCauses: r.root_causes, qaLabels: r.qa_labels, qaAction: r.qa_action,
});

export async function listCoaching(trx: Executor, filter: repo.CoachingFilter, page: { limit: number; offset: number }): Promise<{ items: CoachingSummary[]; total: number }> {
  const { rows, total } = await repo.listCoachingSessions(trx, filter, page);
  return { items: rows.map(toSummary), total };
}

export async function myCoaching(trx: Executor, actor: Actor): Promise<{ items: CoachingSummary[]; total: number }> {
  if (!actor.personId) return { items: [], total: 0 };
  return listCoaching(trx, { personId: actor.personId }, { limit: 200, offset: 0 });
}

/** Coaching about someone else is there only for those who may read training (the coachee always sees their own). */
async function visibleSession(trx: Executor, actor: Actor, id: string): Promise<repo.CoachingSessionRow> {
  const row = await repo.findCoachingSession(trx, id);
  if (!row) throw notFound('Coaching session');
  if (row.person_id !== actor.personId && !hasPermission(actor.role, 'training.read')) throw notFound('Coaching session');
  return row;
}

export async function getCoaching(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<CoachingDetail> {
  const row = await visibleSession(trx, actor, id);
  const [reviews, actions] = await Promise.all([repo.listSessionReviews(trx, id), repo.listActions(trx, id)]);
  await audit(trx, actor, { action: 'coaching.view', entityType: 'coaching_session', entityId: id, vendorId: row.vendor_id, details: { personId: row.person_id } });
  return {
    ...toSummary(row), notes: row.notes, workflowId: row.workflow_id, createdBy: row.created_by_label, createdAt: row.created_at.toISOString(),
    reviews: reviews.map(toReview), actions: actions.map((a) => toAction(a, now)),
    canAcknowledge: row.person_id === actor.personId && row.acknowledged_at === null,
  };
}

async function personOrIssue(trx: Executor, id: string, path: string, issues: Issues) {
  const person = await findPersonRef(trx, id);
  if (!person) issues.add(path, 'No such person in your scope.');
  return person;
}

export async function createCoaching(trx: Executor, actor: Actor, input: CoachingInput, now = new Date()): Promise<CoachingDetail> {
  const coachId = input.coachId ?? actor.personId;
  if (!coachId) throw new AppError('VALIDATION_FAILED', 'Name the coach: this account is not linked to a person.', [{ path: '/coachId', message: 'Name the coach.' }]);
  const issues = checkCoaching({ ...input, coachId }, today(now));
  const person = await personOrIssue(trx, input.personId, '/personId', issues);
  await personOrIssue(trx, coachId, '/coachId', issues);
  for (const [i, a] of (input.actions ?? []).entries()) await personOrIssue(trx, a.ownerId, `/actions/${i}/ownerId`, issues);
  const reviewIds = [...new Set(input.reviewIds ?? [])];
  const reviews = await repo.findReviews(trx, reviewIds);
  reviewIds.forEach((id, i) => {
    const review = reviews.find((r) => r.review_id === id);
    if (!review) issues.add(`/reviewIds/${i}`, 'No such review in your scope.');
    else if (review.agent_id !== input.personId) issues.add(`/reviewIds/${i}`, 'This review is about someone else.');
  });
  issues.throwIfAny();
  const p = { id: person!.id, vendorId: person!.vendor_id, siteId: person!.site_id, teamId: person!.team_id };
  const id = await repo.insertCoachingSession(trx, {
    personId: p.id, coachId, vendorId: p.vendorId, siteId: p.siteId, teamId: p.teamId,
    workflowId: input.workflowId ?? reviews[0]?.workflow_id ?? null, heldOn: input.heldOn, topic: input.topic.trim(), notes: (input.notes ?? '').trim(),
    errorTypes: unionKeys(input.errorTypes, reviews.map((r) => r.error_types)), rootCauses: unionKeys(input.rootCauses, reviews.map((r) => r.root_causes)),
    createdByUserId: actor.userId, createdByLabel: actor.label,
  });
  await repo.linkReviews(trx, id, p, reviewIds);
  await repo.insertActions(trx, id, p, (input.actions ?? []).map((a) => ({ ...a, description: a.description.trim() })), 0);
  await audit(trx, actor, {
    action: 'coaching.record', entityType: 'coaching_session', entityId: id, vendorId: p.vendorId,
    details: { personId: p.id, coachId, heldOn: input.heldOn, reviewIds, actions: (input.actions ?? []).length },
  });
  return getCoaching(trx, actor, id, now);
}

export async function addCoachingActions(trx: Executor, actor: Actor, sessionId: string, input: { actions: ActionInput[] }, now = new Date()): Promise<CoachingDetail> {
  const row = await visibleSession(trx, actor, sessionId);
  const issues = new Issues();
  if (input.actions.length === 0) issues.add('/actions', 'Add at least one action.');
  checkActions(input.actions, row.held_on, issues);
  for (const [i, a] of input.actions.entries()) await personOrIssue(trx, a.ownerId, `/actions/${i}/ownerId`, issues);
  issues.throwIfAny();
  const existing = await repo.listActions(trx, sessionId);
  await repo.insertActions(trx, sessionId, { id: row.person_id, vendorId: row.vendor_id, siteId: row.site_id, teamId: row.team_id },
    input.actions.map((a) => ({ ...a, description: a.description.trim() })), existing.length);
  await audit(trx, actor, { action: 'coaching.actions.add', entityType: 'coaching_session', entityId: sessionId, vendorId: row.vendor_id, details: { actions: input.actions.length } });
  return getCoaching(trx, actor, sessionId, now);
}

/** Records the follow-up of an action: done, not done, cancelled, or still open with a new date. */
export async function followUpAction(
  trx: Executor,
  actor: Actor,
  actionId: string,
  input: { status: CoachingActionStatus; note?: string; followUpOn?: string },
  now = new Date(),
): Promise<CoachingAction> {
  const action = await repo.findAction(trx, actionId);
  if (!action) throw notFound('Coaching action');
  const issues = new Issues();
  if (input.followUpOn !== undefined) issues.check(/^\d{4}-\d{2}-\d{2}$/.test(input.followUpOn), '/followUpOn', 'Give the date as YYYY-MM-DD.');
  issues.check(input.status !== 'open' || input.followUpOn !== undefined || (input.note ?? '').trim() !== '', '/followUpOn', 'To keep an action open, give a new follow-up date or a note.');
  issues.check(input.status !== 'not_done' || (input.note ?? '').trim() !== '', '/note', 'Say what happened when an action was not done.');
  issues.throwIfAny();
  if (action.status !== 'open' && input.status !== 'open') throw conflict(`This action is already ${action.status.replace('_', ' ')}.`, '/status');
  await repo.updateAction(trx, actionId, {
    status: input.status,
    follow_up_note: (input.note ?? action.follow_up_note).trim(),
    followed_up_at: now,
    followed_up_by_label: actor.label,
    ...(input.followUpOn !== undefined && { follow_up_on: input.followUpOn }),
  });
  await audit(trx, actor, { action: 'coaching.action.follow_up', entityType: 'coaching_action', entityId: actionId, vendorId: action.vendor_id, details: { status: input.status, followUpOn: input.followUpOn ?? null } });
  return toAction((await repo.findAction(trx, actionId))!, now);
}

export async function acknowledgeCoaching(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<CoachingDetail> {
  const row = await visibleSession(trx, actor, id);
  if (row.person_id !== actor.personId) throw new AppError('FORBIDDEN', 'Only the person coached acknowledges a coaching session.');
  if (row.acknowledged_at === null) {
    await repo.updateCoachingSession(trx, id, { acknowledged_at: now });
    await audit(trx, actor, { action: 'coaching.acknowledge', entityType: 'coaching_session', entityId: id, vendorId: row.vendor_id });
  }
  return getCoaching(trx, actor, id, now);
}

export async function listFollowUps(trx: Executor, filter: { until?: string; ownerId?: string; coachId?: string }, now = new Date()) {
  const rows = await repo.listFollowUps(trx, { until: filter.until ?? today(now), ownerId: filter.ownerId, coachId: filter.coachId });
  return {
    items: rows.map((r) => ({ ...toAction(r, now), personId: r.person_id, personName: r.person_name, coachId: r.coach_id, coachName: r.coach_name, heldOn: r.held_on, topic: r.topic })),
  };
}

/** What a coach can link a session to: the person's recent reviews with errors. */
export async function coachingCandidates(trx: Executor, personId: string) {
  if (!(await findPersonRef(trx, personId))) throw notFound('Person');
  return { items: (await repo.listReviewsWithErrors(trx, personId, 50)).map(toReview) };
}

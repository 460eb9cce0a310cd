import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/calibration.repository.ts';
import { insertExposure } from '../../db/repositories/wellbeing.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';
import type { Answer, ScorecardDefinition } from '../reviews/scorecard.types.ts';
import { labelCategory } from './calibration-results.rules.ts';
import { answerValues, checkRatingAnswers, checkVerdict, itemHarm, labelKeys, type ActionOption, type LabelOption } from './calibration-session.rules.ts';
import { agentDecisionOf, canManage, displaysFor, itemFacts, scorecardFacts, sessionFacts } from './calibration.service.ts';

/**
 * Taking a calibration: a participant scores each item blind and
 * independently. Before the session closes they see their own answers only
 * (row-level security returns no one else's), never the expert answer; the
 * agent's decision on an item (the scorecard's derived questions compare
 * with it) is shown only once their own verdict on it is saved, as in the
 * review workspace's blind mode.
 */

/** The session and the caller's participant row; 404 unless invited. */
async function ownSession(trx: Executor, actor: Actor, sessionId: string) {
  // Not invited (or no person record) reads as "not there", like any id outside one's scope.
  const session = await repo.findSession(trx, sessionId);
  const participant = session && actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (!session || !participant || session.kind !== 'scored') throw notFound('Calibration session');
  // A participant delegated to set the expert answers gives the reference, not a rating (calibration-expert.service.ts).
  if (participant.sets_expert) throw conflict("You set this session's expert answers: they are the reference the ratings are compared with, so you do not rate it.");
  return { session, participant };
}

export async function myCalibrations(trx: Executor, actor: Actor, filter: { status?: 'open' | 'closed' }) {
  if (!actor.personId) return { items: [], total: 0 };
  const rows = await repo.listSessions(trx, { ...filter, participantPersonId: actor.personId, kind: 'scored' }, { limit: 200, offset: 0 });
  const items = [];
  for (const row of rows) {
    const own = await repo.findOwnParticipant(trx, row.id, actor.personId);
    items.push({ ...sessionFacts(row), ratedItems: own?.rated_items ?? 0, submittedAt: own?.submitted_at?.toISOString() ?? null, setsExpert: own?.sets_expert ?? false });
  }
  return { items, total: rows[0]?.total_count ?? 0 };
}

function ownAnswers(stored: unknown): Answer[] {
  return Array.isArray(stored) ? (stored as Answer[]) : [];
}

/** The blind scoring screen: items (content under the viewer's wellbeing protections), the scorecard, own ratings. Audited. */
export async function participantView(trx: Executor, actor: Actor, sessionId: string) {
  const { session, participant } = await ownSession(trx, actor, sessionId);
  const items = await repo.listItems(trx, sessionId);
  const mine = new Map((await repo.listRatings(trx, sessionId, participant.id)).map((r) => [r.item_id, r]));
  const scorecard = await repo.scorecardOf(trx, session.scorecard_version_id!);
  const displays = await displaysFor(trx, actor, items);
  await audit(trx, actor, { action: 'calibration.content_view', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { via: 'participant', items: items.length } });
  return {
    session: sessionFacts(session),
    participant: { id: participant.id, group: participant.participant_group, ratedItems: participant.rated_items, submittedAt: participant.submitted_at?.toISOString() ?? null },
    labelOptions: (session.label_options ?? []) as LabelOption[],
    actionOptions: (session.action_options ?? []) as ActionOption[],
    scorecard: scorecardFacts(scorecard!),
    items: items.map((item) => {
      const rating = mine.get(item.id);
      return {
        ...itemFacts(item),
        wellbeing: displays.get(item.severity ?? '')!,
        hasAgentDecision: item.agent_action !== null,
        // Blind: the agent's decision only once one's own verdict on the item is saved.
        agentDecision: rating ? agentDecisionOf(item) : null,
        myRating: rating ? { labels: rating.labels, action: rating.action, answers: ownAnswers(rating.answers), updatedAt: rating.updated_at.toISOString() } : null,
      };
    }),
  };
}

export interface RatingInput {
  labels: string[];
  action: string;
  answers?: Answer[];
}

/** Saves (or replaces) the caller's rating of one item while the session is open and they have not submitted. */
export async function saveRating(trx: Executor, actor: Actor, sessionId: string, itemId: string, input: RatingInput) {
  const { session, participant } = await ownSession(trx, actor, sessionId);
  if (session.status === 'closed') throw conflict('This session is closed: its results are revealed.');
  if (participant.submitted_at) throw conflict('You have submitted your answers; they can no longer change.');
  const item = await repo.findItem(trx, sessionId, itemId);
  if (!item) throw notFound('Calibration item');
  const scorecard = await repo.scorecardOf(trx, session.scorecard_version_id!);
  const definition = scorecard!.definition as ScorecardDefinition;
  const verdict = { labels: input.labels, action: input.action };
  const labels = (session.label_options ?? []) as LabelOption[];
  const actions = (session.action_options ?? []) as ActionOption[];
  const agent = agentDecisionOf(item);
  const answers = input.answers ?? [];
  const issues = [...checkVerdict({ labels: labelKeys(labels), actions: new Set(actions.map((a) => a.key)) }, verdict), ...checkRatingAnswers(definition, answers, verdict, agent)];
  if (issues.length > 0) throw invalid(issues);
  const values = answerValues(definition, answers, verdict, agent);
  const given = new Set(answers.map((a) => a.questionKey));
  const stored: Answer[] = [...answers, ...Object.entries(values).filter(([k]) => !given.has(k)).map(([questionKey, value]) => ({ questionKey, value }))];
  await repo.upsertRating(trx, sessionId, { itemId, participantId: participant.id, labelCategory: labelCategory(input.labels), labels: [...new Set(input.labels)].sort(), action: input.action, answers: stored });
  const rated = await repo.refreshRatedCount(trx, participant.id);
  return { itemId, ratedItems: rated, agentDecision: agent, answers: stored };
}

/** Submits: every item must be rated; afterwards the answers are final and the lead sees "submitted". */
export async function submit(trx: Executor, actor: Actor, sessionId: string, now = new Date()) {
  // No lock on the session: a participant of another vendor may read an organisation's session but not update
  // it (row-level security), and FOR UPDATE needs both; the participant's own row is what changes.
  const { session, participant } = await ownSession(trx, actor, sessionId);
  if (session.status === 'closed') throw conflict('This session is closed.');
  if (participant.submitted_at) throw conflict('You have already submitted.');
  const items = await repo.listItems(trx, sessionId);
  const rated = new Set((await repo.listRatings(trx, sessionId, participant.id)).map((r) => r.item_id));
  const missing = items.filter((i) => !rated.has(i.id));
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Rate every item before submitting: ${missing.length} left.`, missing.slice(0, 50).map((i) => ({ path: `/items/${i.id}`, message: `Item ${i.position} is not rated yet.` })));
  }
  await repo.markSubmitted(trx, participant.id, now);
  await audit(trx, actor, { action: 'calibration.submit', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { participantId: participant.id, items: items.length } });
  return { submittedAt: now.toISOString(), ratedItems: rated.size };
}

export interface ItemExposureInput {
  event: 'view' | 'reveal';
  seconds: number;
}

/**
 * Exposure to a calibration item's content, recorded as the review workspace records a decision's: the seconds
 * it was on screen, or a reveal of protected content (also audited), so a person's exposure figures count
 * calibration work too. A decided item is recorded under its decision (the same content seen in a review and in
 * a calibration counts once); an uploaded or gold item under its own id. Participants and the session's lead.
 */
export async function recordItemExposure(trx: Executor, actor: Actor, sessionId: string, itemId: string, input: ItemExposureInput) {
  if (!actor.userId) throw new AppError('FORBIDDEN', 'Exposure is recorded for signed-in users.');
  const session = await repo.findSession(trx, sessionId);
  const participant = session && actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (!session || (!participant && !canManage(actor, session))) throw notFound('Calibration session');
  const item = await repo.findItem(trx, sessionId, itemId);
  if (!item) throw notFound('Calibration item');
  // Never from the expert's labels: the harm type comes back in this answer and in /api/exposure/me, and
  // would tell a participant the expert answer before close. An item nobody decided is 'unclassified'.
  const harm = item.agent_labels === null ? { harmType: 'unclassified', severity: item.severity } : itemHarm((session.label_options ?? []) as LabelOption[], item.agent_labels, item.severity);
  const contentId = item.decision_id ?? item.id;
  const id = await insertExposure(trx, {
    user_id: actor.userId,
    person_id: actor.personId,
    decision_id: contentId,
    harm_type: harm.harmType,
    severity: harm.severity,
    event: input.event,
    seconds: Math.round(input.seconds * 10) / 10,
    viewer_vendor_id: actor.scope.vendorId,
  });
  if (input.event === 'reveal') {
    const details = { via: 'calibration', sessionId, itemId, harmType: harm.harmType, severity: harm.severity };
    await audit(
      trx,
      actor,
      item.decision_id
        ? { action: 'decision.content_reveal', entityType: 'decision', entityId: item.decision_id, vendorId: session.vendor_id, details }
        : { action: 'calibration.content_reveal', entityType: 'calibration_item', entityId: item.id, vendorId: session.vendor_id, details },
    );
  }
  return { id, harmType: harm.harmType, severity: harm.severity };
}

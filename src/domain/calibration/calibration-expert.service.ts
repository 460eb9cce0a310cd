import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/calibration.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';
import type { ScorecardDefinition } from '../reviews/scorecard.types.ts';
import { labelKeys, type ActionOption, type LabelOption } from './calibration-session.rules.ts';
import { agentDecisionOf, canManage, displaysFor, expertFor, expertView, itemFacts, managedSession, scorecardFacts, sessionDetail, sessionFacts, type ExpertInput } from './calibration.service.ts';

/**
 * Who gives a calibration its expert answers. Policy SMEs own the "right
 * answer", so the session's lead may delegate setting it, per session, to an
 * invited participant of the SME group. A delegate's answers are the reference:
 * they do not rate, and are left out of the counts and the figures. Row-level
 * security (migration 0018) lets only the session's managers and its delegates
 * update the items, so the service is not the only guard.
 */

const NOT_DELEGATED = 'The session lead sets the expert answers, or a policy SME they delegate it to.';

/** The lead sets or clears a participant's delegation while the session is open; only the SME group qualifies. */
export async function setExpertDelegate(trx: Executor, actor: Actor, sessionId: string, participantId: string, setsExpert: boolean) {
  const session = await managedSession(trx, actor, sessionId, { forUpdate: true });
  await refuseRater(trx, actor, sessionId);
  if (session.kind !== 'scored') throw conflict('An imported rating set has no expert answers to delegate.');
  if (session.status === 'closed') throw conflict('This session is closed: its expert answers are part of the revealed results.');
  const participant = (await repo.listParticipants(trx, sessionId)).find((p) => p.id === participantId);
  if (!participant) throw notFound('Calibration participant');
  if (setsExpert && (participant.participant_group !== 'sme' || participant.person_id === null)) {
    throw invalid([{ path: '/setsExpert', message: 'Only a participant of the policy SME group can set the expert answers.' }]);
  }
  // Setting the flag it already has changes nothing and writes no audit entry: a retried request is harmless.
  if (participant.sets_expert !== setsExpert) {
    await repo.setSetsExpert(trx, sessionId, participantId, setsExpert);
    await audit(trx, actor, {
      action: 'calibration.expert_delegate', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id,
      details: { participantId, personId: participant.person_id, setsExpert, ratedItems: participant.rated_items },
    });
  }
  return sessionDetail(trx, actor, sessionId, { audited: false });
}

/**
 * A lead who also rates the session does not write its reference (nor hand it out): their ratings would be
 * compared with their own answers. Row-level security refuses the same (migration 0018).
 */
async function refuseRater(trx: Executor, actor: Actor, sessionId: string): Promise<void> {
  const own = actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (own && !own.sets_expert) throw new AppError('FORBIDDEN', 'You rate this session: its expert answers are set by a lead who does not rate it, or by the policy SME delegated to.');
}

/** The session and the caller's delegated participant row: 404 when not invited, 403 when invited but not delegated. */
async function delegatedSession(trx: Executor, actor: Actor, sessionId: string) {
  const session = await repo.findSession(trx, sessionId);
  const participant = session && actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (!session || !participant || session.kind !== 'scored') throw notFound('Calibration session');
  if (!participant.sets_expert) throw new AppError('FORBIDDEN', NOT_DELEGATED);
  return { session, participant };
}

/** Sets an item's expert answer before close: the session's manager, or a participant delegated to it. */
export async function setExpertAnswer(trx: Executor, actor: Actor, sessionId: string, itemId: string, expert: ExpertInput) {
  const found = await repo.findSession(trx, sessionId);
  if (!found) throw notFound('Calibration session');
  const manages = canManage(actor, found);
  // A manager locks the session against a concurrent close; a delegate of another vendor may not lock it (row-level
  // security), and the items' update policy refuses a delegate's write once the session is closed.
  if (manages) await refuseRater(trx, actor, sessionId);
  const session = manages ? await managedSession(trx, actor, sessionId, { forUpdate: true }) : (await delegatedSession(trx, actor, sessionId)).session;
  if (session.kind !== 'scored') throw conflict('An imported rating set has no expert answers to edit.');
  if (session.status === 'closed') throw conflict('This session is closed: its expert answers are part of the revealed results.');
  const item = await repo.findItem(trx, sessionId, itemId);
  if (!item) throw notFound('Calibration item');
  const scorecard = await repo.scorecardOf(trx, session.scorecard_version_id!);
  const labels = (session.label_options ?? []) as LabelOption[];
  const actions = (session.action_options ?? []) as ActionOption[];
  const agent = agentDecisionOf(item);
  const { issues, values } = expertFor(scorecard!.definition as ScorecardDefinition, expert, agent, { labels: labelKeys(labels), actions: new Set(actions.map((a) => a.key)) }, '');
  if (issues.length > 0) throw invalid(issues);
  if (!(await repo.updateItemExpert(trx, itemId, values))) throw conflict('This session is closed: its expert answers are part of the revealed results.');
  await audit(trx, actor, {
    action: 'calibration.expert_answer', entityType: 'calibration_item', entityId: itemId, vendorId: session.vendor_id,
    details: { sessionId, labels: values.labels, action: values.action, ...(manages ? {} : { delegated: true }) },
  });
  return expertView({ ...item, expert_labels: values.labels, expert_action: values.action, expert_answers: values.answers, expert_note: values.note });
}

/**
 * The delegated SME's screen: every item under the viewer's wellbeing protections (as the scoring view), the
 * agent's decision and the current expert answer. Never another participant's rating: those stay blind until
 * close (row-level security returns none, and nothing here reads them). Content, so audited.
 */
export async function expertWorkspace(trx: Executor, actor: Actor, sessionId: string) {
  const { session, participant } = await delegatedSession(trx, actor, sessionId);
  const items = await repo.listItems(trx, sessionId);
  const scorecard = await repo.scorecardOf(trx, session.scorecard_version_id!);
  const displays = await displaysFor(trx, actor, items);
  await audit(trx, actor, { action: 'calibration.content_view', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { via: 'expert', items: items.length } });
  return {
    session: sessionFacts(session),
    participant: { id: participant.id, group: participant.participant_group },
    labelOptions: (session.label_options ?? []) as LabelOption[],
    actionOptions: (session.action_options ?? []) as ActionOption[],
    scorecard: scorecardFacts(scorecard!),
    items: items.map((item) => ({
      ...itemFacts(item),
      source: item.source,
      severity: item.severity,
      wellbeing: displays.get(item.severity ?? '')!,
      agentDecision: agentDecisionOf(item),
      expert: expertView(item),
    })),
  };
}


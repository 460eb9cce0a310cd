import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/calibration.repository.ts';
import { findGoldItem, listGoldItems } from '../../db/repositories/gold-items.repository.ts';
import { policiesInForce, publishedScorecard } from '../../db/repositories/reviews.repository.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission, isRole } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, Issues, notFound, type FieldIssue } from '../errors.ts';
import type { Answer, ScorecardDefinition } from '../reviews/scorecard.types.ts';
import { displayFor } from '../wellbeing/wellbeing.service.ts';
import type { EffectiveDisplay } from '../wellbeing/wellbeing.rules.ts';
import { parseItemsCsv } from './calibration-csv.rules.ts';
import {
  answerValues,
  checkRatingAnswers,
  checkVerdict,
  defaultGroup,
  labelKeys,
  MAX_ITEMS,
  MAX_PARTICIPANTS,
  type ActionOption,
  type LabelOption,
} from './calibration-session.rules.ts';
import type { ParticipantGroupKey } from './calibration.types.ts';

/**
 * Calibration sessions as a QA lead runs them: create (the workflow's
 * published scorecard and the labels and actions in force are frozen into the
 * session), pick items (reviewed decisions, gold items, an uploaded CSV) with
 * their expert answers, invite participants, follow who submitted, close.
 * Taking a session is calibration-taking.service.ts; results, trends and
 * exports are calibration-results.service.ts.
 */

export interface ExpertInput {
  labels: string[];
  action: string;
  answers?: Answer[];
  note?: string;
}

export interface ItemInput {
  source: 'decision' | 'gold';
  id: string;
  expert?: ExpertInput;
}

export interface ParticipantInput {
  personId: string;
  group?: ParticipantGroupKey;
}

export interface CreateSessionInput {
  title: string;
  workflowId: string;
  dueAt?: string | null;
  /** Owning vendor (null = the whole organisation); a vendor-scoped lead's sessions are always their vendor's. */
  vendorId?: string | null;
  items?: ItemInput[];
  /** Items as a CSV file (calibration-csv.rules.ts, parseItemsCsv). */
  itemsCsv?: string;
  participants?: ParticipantInput[];
}

/** A vendor-scoped (or narrower) lead manages their vendor's sessions; scope all manages every one. */
export function canManage(actor: Actor, session: { vendor_id: string | null }): boolean {
  return hasPermission(actor.role, 'calibration.run') && (actor.scope.kind === 'all' || (session.vendor_id !== null && session.vendor_id === actor.scope.vendorId));
}

/** The session if the caller manages it; otherwise 404, as if it were not there. */
export async function managedSession(trx: Executor, actor: Actor, id: string, options: { forUpdate?: boolean } = {}): Promise<repo.SessionRow> {
  const session = await repo.findSession(trx, id, options);
  if (!session || !canManage(actor, session)) throw notFound('Calibration session');
  return session;
}

export async function sessionOptions(trx: Executor, workflowId: string, at: Date): Promise<{ labels: LabelOption[]; actions: ActionOption[] }> {
  const policies = await policiesInForce(trx, workflowId, at);
  const names = await repo.actionNames(trx);
  const actionKeys = [...new Set(policies.flatMap((p) => p.actions))];
  const keys = actionKeys.length > 0 ? actionKeys.sort() : [...names.keys()].sort();
  return {
    labels: policies.map((p) => ({ policyKey: p.policy_key, policyName: p.policy_name, labels: p.labels.map((l) => ({ key: l.key, name: l.name, severity: l.severity })) })),
    actions: keys.map((key) => ({ key, name: names.get(key) ?? key })),
  };
}

function ownerVendor(actor: Actor, requested: string | null | undefined, issues: Issues): string | null {
  if (actor.scope.kind === 'all') return requested ?? null;
  if (requested !== undefined && requested !== null && requested !== actor.scope.vendorId) issues.add('/vendorId', 'You can create sessions for your own vendor only.');
  return actor.scope.vendorId;
}

export function expertFor(
  definition: ScorecardDefinition,
  expert: ExpertInput,
  agent: { labels: string[]; action: string } | null,
  options: { labels: Set<string>; actions: Set<string> },
  base: string,
): { issues: FieldIssue[]; values: { labels: string[]; action: string; answers: Record<string, string> | null; note: string } } {
  const verdict = { labels: expert.labels, action: expert.action };
  const issues = checkVerdict(options, verdict, base);
  const answers = expert.answers ?? [];
  if (answers.length > 0) issues.push(...checkRatingAnswers(definition, answers, verdict, agent).map((i) => ({ ...i, path: `${base}${i.path}` })));
  const values = answers.length > 0 || agent ? answerValues(definition, answers, verdict, agent) : null;
  return { issues, values: { labels: expert.labels, action: expert.action, answers: values, note: expert.note ?? '' } };
}

async function candidatesToParticipants(trx: Executor, participants: readonly ParticipantInput[], vendorId: string | null, base: string): Promise<repo.NewParticipant[]> {
  const issues = new Issues();
  const ids = participants.map((p) => p.personId);
  const people = new Map((await repo.peopleByIds(trx, ids)).map((p) => [p.id, p]));
  const roles = await repo.userRolesOf(trx, ids);
  const out: repo.NewParticipant[] = [];
  participants.forEach((p, i) => {
    const person = people.get(p.personId);
    if (!person) return void issues.add(`${base}/${i}/personId`, 'No such person in your scope.');
    if (ids.indexOf(p.personId) !== i) return void issues.add(`${base}/${i}/personId`, 'Invited twice.');
    if (vendorId !== null && person.vendor_id !== vendorId) return void issues.add(`${base}/${i}/personId`, "This session is one vendor's: invite that vendor's people only.");
    const canTake = (roles.get(p.personId) ?? []).some((r) => isRole(r) && hasPermission(r, 'calibration.take'));
    if (!canTake) return void issues.add(`${base}/${i}/personId`, `${person.full_name} has no user allowed to take calibrations (QA, trainer, policy SME or lead).`);
    out.push({ personId: person.id, externalName: null, group: p.group ?? defaultGroup(person), vendorId: person.vendor_id });
  });
  issues.throwIfAny();
  return out;
}

export async function createSession(trx: Executor, actor: Actor, input: CreateSessionInput, now = new Date()) {
  const issues = new Issues();
  const title = input.title.trim();
  issues.check(title.length >= 1 && title.length <= 200, '/title', 'A title of 1 to 200 characters.');
  const dueAt = input.dueAt ? new Date(input.dueAt) : null;
  if (dueAt && Number.isNaN(dueAt.getTime())) issues.add('/dueAt', 'A date and time.');
  else if (dueAt && dueAt <= now) issues.add('/dueAt', 'The due date must be in the future.');
  const vendorId = ownerVendor(actor, input.vendorId, issues);
  const scorecard = await publishedScorecard(trx, input.workflowId);
  if (!scorecard) issues.add('/workflowId', 'This workflow has no published scorecard: publish one before calibrating on it.');
  issues.throwIfAny();
  const definition = scorecard!.definition as ScorecardDefinition;
  const options = await sessionOptions(trx, input.workflowId, now);
  const allowed = { labels: labelKeys(options.labels), actions: new Set(options.actions.map((a) => a.key)) };

  const items: repo.NewItem[] = [];
  const itemIssues: FieldIssue[] = [];
  const picked = input.items ?? [];
  const decisionIds = picked.filter((p) => p.source === 'decision').map((p) => p.id);
  const decisions = new Map((await repo.searchReviewedDecisions(trx, { workflowId: input.workflowId, ids: decisionIds, limit: MAX_ITEMS + 1 })).map((d) => [d.id, d]));
  for (const [i, pick] of picked.entries()) {
    const base = `/items/${i}`;
    if (picked.findIndex((p) => p.source === pick.source && p.id === pick.id) !== i) {
      itemIssues.push({ path: `${base}/id`, message: 'Picked twice.' });
      continue;
    }
    if (pick.source === 'decision') {
      const d = decisions.get(pick.id);
      if (!d) {
        itemIssues.push({ path: `${base}/id`, message: "No reviewed decision of this workflow with this id in your scope." });
        continue;
      }
      const agent = { labels: d.labels, action: d.action };
      const reviewAnswers = (d.review_answers as Answer[] | null) ?? [];
      const expert = expertFor(definition, pick.expert ?? { labels: d.qa_labels, action: d.qa_action, answers: pick.expert ? [] : reviewAnswers }, agent, allowed, `${base}/expert`);
      // The final review's own answers were checked when it was submitted; only an entered expert answer is checked here.
      if (pick.expert) itemIssues.push(...expert.issues);
      items.push({
        position: items.length + 1, source: 'decision', decisionId: d.id, externalRef: d.external_id,
        contentKind: d.content_kind, contentText: d.content_text, contentUrl: d.content_url, contentLanguage: d.content_language, severity: d.severity,
        agentLabels: d.labels, agentAction: d.action,
        expertLabels: expert.values.labels, expertAction: expert.values.action, expertAnswers: expert.values.answers, expertNote: expert.values.note,
      });
    } else {
      const g = await findGoldItem(trx, pick.id);
      if (!g || g.workflow_id !== input.workflowId || g.status !== 'active') {
        itemIssues.push({ path: `${base}/id`, message: 'No active gold item of this workflow with this id in your scope.' });
        continue;
      }
      const expert = expertFor(definition, pick.expert ?? { labels: g.expert_labels, action: g.expert_action, note: g.rationale }, null, allowed, `${base}/expert`);
      itemIssues.push(...expert.issues);
      items.push({
        position: items.length + 1, source: 'gold', goldItemId: g.id, externalRef: `gold-${g.id.slice(0, 8)}`,
        contentKind: g.content_kind, contentText: g.content_text, contentUrl: g.content_url, contentLanguage: g.content_language, severity: g.severity,
        expertLabels: expert.values.labels, expertAction: expert.values.action, expertAnswers: expert.values.answers, expertNote: expert.values.note,
      });
    }
  }
  if (itemIssues.length > 0) throw invalid(itemIssues);
  if (input.itemsCsv && input.itemsCsv.trim().length > 0) {
    for (const u of parseItemsCsv(input.itemsCsv, { ...allowed, maxItems: MAX_ITEMS })) {
      items.push({
        position: items.length + 1, source: 'upload', externalRef: u.ref, contentKind: u.contentKind, contentText: u.contentText, contentUrl: u.contentUrl,
        contentLanguage: u.language, severity: u.severity, expertLabels: u.expertLabels, expertAction: u.expertAction, expertNote: u.expertNote,
      });
    }
  }
  if (items.length === 0) throw invalid([{ path: '/items', message: 'Pick at least one item: reviewed decisions, gold items or a CSV file.' }]);
  if (items.length > MAX_ITEMS) throw invalid([{ path: '/items', message: `At most ${MAX_ITEMS} items in one session.` }]);
  const participants = input.participants ?? [];
  if (participants.length > MAX_PARTICIPANTS) throw invalid([{ path: '/participants', message: `At most ${MAX_PARTICIPANTS} participants.` }]);
  const newParticipants = await candidatesToParticipants(trx, participants, vendorId, '/participants');

  const id = await repo.insertSession(trx, {
    title, kind: 'scored', workflowId: input.workflowId, scorecardVersionId: scorecard!.id, labelOptions: options.labels, actionOptions: options.actions,
    ratingField: null, vendorId, dueAt, createdByUserId: actor.userId, createdByLabel: actor.label,
  });
  await repo.insertItems(trx, id, items);
  await repo.insertParticipants(trx, id, newParticipants);
  await audit(trx, actor, {
    action: 'calibration.create', entityType: 'calibration_session', entityId: id, vendorId,
    details: { title, workflowId: input.workflowId, items: items.length, participants: newParticipants.length, sources: [...new Set(items.map((i) => i.source))] },
  });
  return sessionDetail(trx, actor, id, { audited: false });
}

/** What every view of an item shows: its id, position, reference and content. */
export function itemFacts(item: repo.CalibrationItemRow) {
  return {
    id: item.id,
    position: item.position,
    ref: item.external_ref ?? String(item.position),
    content: { kind: item.content_kind, text: item.content_text, url: item.content_url, language: item.content_language },
  };
}

/** The agent's decision on the item's source, when it has one (uploaded and gold items do not). */
export function agentDecisionOf(item: repo.CalibrationItemRow): { labels: string[]; action: string } | null {
  return item.agent_action === null ? null : { labels: item.agent_labels ?? [], action: item.agent_action };
}

/** The viewer's wellbeing display for each severity among the items (one lookup per distinct severity, '' for none). */
export async function displaysFor(trx: Executor, actor: Actor, items: readonly repo.CalibrationItemRow[]): Promise<Map<string, EffectiveDisplay>> {
  const displays = new Map<string, EffectiveDisplay>();
  for (const severity of new Set(items.map((i) => i.severity ?? ''))) displays.set(severity, await displayFor(trx, actor, severity || null));
  return displays;
}

export function scorecardFacts(scorecard: NonNullable<Awaited<ReturnType<typeof repo.scorecardOf>>>) {
  return { id: scorecard.id, version: scorecard.version, name: scorecard.name, definition: scorecard.definition as ScorecardDefinition };
}

export function expertView(item: repo.CalibrationItemRow) {
  return item.expert_action === null ? null : { labels: item.expert_labels ?? [], action: item.expert_action, answers: (item.expert_answers as Record<string, string> | null) ?? null, note: item.expert_note };
}

export function sessionFacts(s: repo.SessionRow) {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    status: s.status,
    workflowId: s.workflow_id,
    workflowName: s.workflow_name ?? null,
    scorecardVersionId: s.scorecard_version_id,
    ratingField: s.rating_field,
    vendorId: s.vendor_id,
    vendorName: s.vendor_name ?? null,
    dueAt: s.due_at?.toISOString() ?? null,
    overdue: s.status === 'open' && s.due_at !== null && s.due_at < new Date(),
    createdByLabel: s.created_by_label,
    createdAt: s.created_at.toISOString(),
    closedAt: s.closed_at?.toISOString() ?? null,
    items: s.item_count,
    participants: s.participant_count,
    submitted: s.submitted_count,
  };
}

export async function listSessions(trx: Executor, actor: Actor, filter: { status?: 'open' | 'closed'; workflowId?: string; kind?: 'scored' | 'imported' }, page: { limit: number; offset: number }) {
  // Sessions one is only invited to (another vendor's, or the organisation's) are under "My calibrations".
  const ownerVendorId = actor.scope.kind === 'all' ? undefined : (actor.scope.vendorId ?? '00000000-0000-0000-0000-000000000000');
  const rows = await repo.listSessions(trx, { ...filter, ownerVendorId }, page);
  return { items: rows.map(sessionFacts), total: rows[0]?.total_count ?? 0 };
}

export function participantName(p: { person_name: string | null; external_name: string | null }, index: number): string {
  return p.external_name ?? p.person_name ?? `Participant ${index + 1}`;
}

/** The lead's view: facts, the items with their expert answers (content: audited), who was invited and who submitted. */
export async function sessionDetail(trx: Executor, actor: Actor, id: string, options: { audited?: boolean } = {}) {
  const session = await managedSession(trx, actor, id);
  const items = await repo.listItems(trx, id);
  const participants = await repo.listParticipants(trx, id);
  if (options.audited !== false) {
    await audit(trx, actor, { action: 'calibration.content_view', entityType: 'calibration_session', entityId: id, vendorId: session.vendor_id, details: { via: 'session_detail', items: items.length } });
  }
  const scorecard = session.scorecard_version_id ? await repo.scorecardOf(trx, session.scorecard_version_id) : null;
  return {
    session: sessionFacts(session),
    labelOptions: (session.label_options ?? []) as LabelOption[],
    actionOptions: (session.action_options ?? []) as ActionOption[],
    scorecard: scorecard ? scorecardFacts(scorecard) : null,
    // An imported rating set can be thousands of items: the detail lists the first 200 (results cover all).
    items: items.slice(0, MAX_ITEMS).map((item) => ({
      ...itemFacts(item),
      source: item.source,
      decisionId: item.decision_id,
      severity: item.severity,
      agentDecision: agentDecisionOf(item),
      expert: expertView(item),
    })),
    participants: participants.map((p, i) => ({
      id: p.id,
      personId: p.person_id,
      name: participantName(p, i),
      group: p.participant_group,
      vendorId: p.vendor_id,
      vendorName: p.vendor_name ?? null,
      ratedItems: p.person_id === null ? null : p.rated_items,
      submittedAt: p.submitted_at?.toISOString() ?? null,
      setsExpert: p.sets_expert,
    })),
  };
}

export async function inviteParticipants(trx: Executor, actor: Actor, sessionId: string, participants: ParticipantInput[]) {
  const session = await managedSession(trx, actor, sessionId, { forUpdate: true });
  if (session.kind !== 'scored') throw conflict('An imported rating set takes no new participants.');
  if (session.status === 'closed') throw conflict('This session is closed.');
  const existing = new Set((await repo.listParticipants(trx, sessionId)).map((p) => p.person_id));
  const fresh = participants.filter((p) => !existing.has(p.personId));
  if (session.participant_count + fresh.length > MAX_PARTICIPANTS) throw invalid([{ path: '/participants', message: `At most ${MAX_PARTICIPANTS} participants.` }]);
  const rows = await candidatesToParticipants(trx, fresh, session.vendor_id, '/participants');
  await repo.insertParticipants(trx, sessionId, rows);
  await audit(trx, actor, { action: 'calibration.invite', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { personIds: rows.map((r) => r.personId) } });
  return sessionDetail(trx, actor, sessionId, { audited: false });
}

/** Closing reveals: the expert answers and everyone's ratings become visible to the participants and the lead. */
export async function closeSession(trx: Executor, actor: Actor, sessionId: string, now = new Date()) {
  const session = await managedSession(trx, actor, sessionId, { forUpdate: true });
  if (session.status === 'closed') throw conflict('This session is already closed.');
  const items = await repo.listItems(trx, sessionId);
  const missing = items.filter((i) => i.expert_action === null);
  if (missing.length > 0) {
    throw new AppError('CONFLICT', 'Give every item an expert answer before closing: the reveal compares everyone with it.', missing.slice(0, 50).map((i) => ({ path: `/items/${i.id}/expert`, message: `Item ${i.position} has no expert answer.` })));
  }
  await repo.closeSession(trx, sessionId, actor.label, now);
  await audit(trx, actor, { action: 'calibration.close', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { submitted: session.submitted_count, participants: session.participant_count } });
  return sessionFacts((await repo.findSession(trx, sessionId))!);
}

/** People the lead may invite: in their scope, active, with a user allowed to take calibrations. */
export async function candidatePeople(trx: Executor, _actor: Actor, filter: { q?: string; vendorId?: string }) {
  const rows = await repo.candidatePeople(trx, filter);
  return rows
    .filter((r) => r.roles.some((role) => isRole(role) && hasPermission(role, 'calibration.take')))
    .map((r) => ({ personId: r.id, name: r.full_name, jobRole: r.job_role, vendorId: r.vendor_id, vendorName: r.vendor_name, group: defaultGroup(r) }));
}

export async function candidateDecisions(trx: Executor, _actor: Actor, filter: Omit<repo.DecisionSearch, 'limit' | 'ids'> & { limit?: number }) {
  const rows = await repo.searchReviewedDecisions(trx, { ...filter, limit: Math.min(filter.limit ?? 50, 200) });
  return rows.map((d) => ({
    decisionId: d.id,
    externalId: d.external_id,
    decidedAt: new Date(d.decided_at).toISOString(),
    vendorId: d.vendor_id,
    vendorName: d.vendor_name,
    severity: d.severity,
    agentDecision: { labels: d.labels, action: d.action },
    review: { id: d.review_id, labels: d.qa_labels, action: d.qa_action, correct: d.review_correct },
  }));
}

export async function candidateGoldItems(trx: Executor, _actor: Actor, workflowId: string) {
  const rows = await listGoldItems(trx, { workflowId, status: 'active', limit: 200 });
  return rows.map((g) => ({ goldItemId: g.id, severity: g.severity, contentKind: g.content_kind, expert: { labels: g.expert_labels, action: g.expert_action }, rationale: g.rationale, createdAt: g.created_at.toISOString() }));
}

export async function addNote(trx: Executor, actor: Actor, sessionId: string, itemId: string, body: string) {
  const session = await repo.findSession(trx, sessionId);
  if (!session) throw notFound('Calibration session');
  const participant = actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (!canManage(actor, session) && !participant) throw notFound('Calibration session');
  if (session.status !== 'closed') throw conflict('Notes open with the reveal: close the session first.');
  const item = await repo.findItem(trx, sessionId, itemId);
  if (!item) throw notFound('Calibration item');
  const text = body.trim();
  if (text.length < 1 || text.length > 4000) throw invalid([{ path: '/body', message: 'A note of 1 to 4000 characters.' }]);
  const row = await repo.insertNote(trx, { sessionId, itemId, authorUserId: actor.userId, authorLabel: actor.label, body: text });
  await audit(trx, actor, { action: 'calibration.note', entityType: 'calibration_item', entityId: itemId, vendorId: session.vendor_id, details: { sessionId, noteId: row.id } });
  return { id: row.id, itemId, authorLabel: actor.label, body: text, createdAt: row.created_at.toISOString() };
}

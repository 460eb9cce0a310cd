import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/calibration.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { conflict, notFound } from '../errors.ts';
import type { ScorecardDefinition } from '../reviews/scorecard.types.ts';
import { computeResults, share, type ResultsInput, type ResultsParticipant } from './calibration-results.rules.ts';
import { storedValues } from './calibration-session.rules.ts';
import { agentDecisionOf, canManage, itemFacts, participantName, sessionFacts } from './calibration.service.ts';
import type { ParticipantGroupKey, Share } from './calibration.types.ts';

/**
 * What a closed session reveals: its agreement figures, each participant's
 * alignment with the expert, per-question agreement and the most divergent
 * items (overall and per group), every item's answers with the expert answer
 * and the discussion notes; and the trends over sessions. Participants of
 * another vendor than the viewer's appear under a pseudonym (their person
 * record is not visible to the viewer).
 */

/** A closed session the caller manages or took part in; 404 otherwise, 409 while it is still open. */
export async function revealedSession(trx: Executor, actor: Actor, sessionId: string): Promise<repo.SessionRow> {
  const session = await repo.findSession(trx, sessionId);
  if (!session) throw notFound('Calibration session');
  const invited = actor.personId ? await repo.findOwnParticipant(trx, sessionId, actor.personId) : undefined;
  if (!canManage(actor, session) && !invited) throw notFound('Calibration session');
  if (session.status !== 'closed') throw conflict('Results are revealed when the session is closed.');
  return session;
}

function questionsOf(definition: ScorecardDefinition | null): Array<{ key: string; text: string }> {
  return definition ? definition.sections.flatMap((s) => s.questions.map((q) => ({ key: q.key, text: q.text }))) : [];
}

export function resultsInput(
  session: Pick<repo.SessionRow, 'id'>,
  items: readonly repo.CalibrationItemRow[],
  participants: readonly repo.ParticipantRow[],
  ratings: ReadonlyArray<Pick<repo.RatingRow, 'item_id' | 'participant_id' | 'label_category' | 'action' | 'answers'>>,
  definition: ScorecardDefinition | null,
): ResultsInput {
  return {
    sessionId: session.id,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      ref: i.external_ref ?? String(i.position),
      expertLabel: i.expert_action === null ? null : [...new Set(i.expert_labels ?? [])].sort().join('+') || 'none',
      expertAction: i.expert_action,
      expertAnswers: i.expert_answers ? storedValues(i.expert_answers) : null,
    })),
    participants: participants.map((p, index): ResultsParticipant => ({
      id: p.id,
      personId: p.person_name === null && p.external_name === null ? null : p.person_id,
      name: participantName(p, index),
      group: p.participant_group as ParticipantGroupKey,
      vendorId: p.vendor_id,
      vendorName: p.vendor_name ?? null,
    })),
    ratings: ratings.map((r) => ({ itemId: r.item_id, participantId: r.participant_id, label: r.label_category, action: r.action, answers: storedValues(r.answers) })),
    questions: questionsOf(definition),
  };
}

/**
 * The raters and their ratings: a participant delegated to set the expert answers gives the reference, not a
 * rating, so they (and anything they rated before being delegated) stay out of every figure and answer list.
 */
export function ratersOnly<P extends { id: string; sets_expert: boolean }, R extends { participant_id: string }>(participants: readonly P[], ratings: readonly R[]) {
  const raters = participants.filter((p) => !p.sets_expert);
  const ids = new Set(raters.map((p) => p.id));
  return { participants: raters, ratings: ratings.filter((r) => ids.has(r.participant_id)) };
}

async function loadResults(trx: Executor, session: repo.SessionRow) {
  const [items, allParticipants, allRatings] = await Promise.all([repo.listItems(trx, session.id), repo.listParticipants(trx, session.id), repo.listRatings(trx, session.id)]);
  const { participants, ratings } = ratersOnly(allParticipants, allRatings);
  const scorecard = session.scorecard_version_id ? await repo.scorecardOf(trx, session.scorecard_version_id) : undefined;
  const definition = (scorecard?.definition as ScorecardDefinition | undefined) ?? null;
  return { items, participants, ratings, definition, results: computeResults(resultsInput(session, items, participants, ratings, definition)) };
}

export async function sessionResults(trx: Executor, actor: Actor, sessionId: string) {
  const session = await revealedSession(trx, actor, sessionId);
  const { results } = await loadResults(trx, session);
  return { session: sessionFacts(session), canManage: canManage(actor, session), results };
}

/** Every item's answers beside the expert answer, with the notes; content, so audited. */
export async function sessionAnswers(trx: Executor, actor: Actor, sessionId: string, page: { limit: number; offset: number }) {
  const session = await revealedSession(trx, actor, sessionId);
  const items = await repo.listItems(trx, sessionId);
  const { participants, ratings } = ratersOnly(await repo.listParticipants(trx, sessionId), await repo.listRatings(trx, sessionId));
  const notes = await repo.listNotes(trx, sessionId);
  const slice = items.slice(page.offset, page.offset + page.limit);
  const byItem = new Map<string, repo.RatingRow[]>();
  for (const r of ratings) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r]);
  const names = new Map(participants.map((p, i) => [p.id, { name: participantName(p, i), group: p.participant_group }]));
  await audit(trx, actor, { action: 'calibration.content_view', entityType: 'calibration_session', entityId: sessionId, vendorId: session.vendor_id, details: { via: 'results', offset: page.offset, items: slice.length } });
  return {
    total: items.length,
    items: slice.map((item) => ({
      ...itemFacts(item),
      severity: item.severity,
      agentDecision: agentDecisionOf(item),
      expert: item.expert_action === null ? null : { labels: item.expert_labels ?? [], action: item.expert_action, answers: item.expert_answers ? storedValues(item.expert_answers) : null, note: item.expert_note },
      ratings: (byItem.get(item.id) ?? []).map((r) => ({
        participantId: r.participant_id,
        name: names.get(r.participant_id)?.name ?? 'Participant',
        group: names.get(r.participant_id)?.group ?? 'external',
        label: r.label_category,
        labels: r.labels,
        action: r.action,
        answers: storedValues(r.answers),
      })),
      notes: notes.filter((n) => n.item_id === item.id).map((n) => ({ id: n.id, authorLabel: n.author_label, body: n.body, createdAt: n.created_at.toISOString() })),
    })),
  };
}

export interface TrendPoint {
  sessionId: string;
  title: string;
  closedAt: string;
  workflowName: string | null;
  label: Share;
  action: Share | null;
}

export interface TrendSeries {
  key: string;
  name: string;
  kind: 'vendor' | 'person' | 'group';
  points: TrendPoint[];
}

/**
 * Calibration over time, session by session: per vendor and per person, the share of their ratings matching
 * the expert answer (Wilson interval, n ratings); and per session its label alpha and AC1 with intervals.
 * People and vendors outside the viewer's scope are left out.
 */
export async function trends(trx: Executor, actor: Actor, filter: { workflowId?: string; from?: string }) {
  const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined;
  const sessions = (await repo.closedSessionsForTrends(trx, { workflowId: filter.workflowId, from, limit: 60 })).filter((s) => canManage(actor, s)).reverse();
  const ids = sessions.map((s) => s.id);
  const [items, allParticipants, allRatings] = await Promise.all([repo.itemsOfSessions(trx, ids), repo.participantsOfSessions(trx, ids), repo.ratingsOfSessions(trx, ids)]);
  const { participants, ratings } = ratersOnly(allParticipants, allRatings);
  const vendorSeries = new Map<string, TrendSeries>();
  const personSeries = new Map<string, TrendSeries>();
  const groupSeries = new Map<string, TrendSeries>();
  const sessionsOut = [];
  for (const s of sessions) {
    const own = { items: items.filter((i) => i.session_id === s.id), participants: participants.filter((p) => p.session_id === s.id), ratings: ratings.filter((r) => r.session_id === s.id) };
    const input = resultsInput(s, own.items, own.participants, own.ratings, null);
    const results = computeResults({ ...input, divergentLimit: 0 });
    const base = { sessionId: s.id, title: s.title, closedAt: s.closed_at!.toISOString(), workflowName: s.workflow_name ?? null };
    sessionsOut.push({ ...base, participants: results.participants, items: results.items, label: results.label, action: results.action });
    const add = (map: Map<string, TrendSeries>, key: string, name: string, kind: TrendSeries['kind'], x: number, n: number, ax: number, an: number) => {
      const series = map.get(key) ?? { key, name, kind, points: [] };
      series.points.push({ ...base, label: share(x, n), action: an > 0 ? share(ax, an) : null });
      map.set(key, series);
    };
    const byVendor = new Map<string, { name: string; x: number; n: number; ax: number; an: number }>();
    const byGroup = new Map<string, { x: number; n: number; ax: number; an: number }>();
    for (const a of results.alignment) {
      const p = own.participants.find((q) => q.id === a.participantId)!;
      if (a.personId !== null && p.person_name !== null) add(personSeries, a.personId, a.name, 'person', a.label.x, a.label.n, a.action?.x ?? 0, a.action?.n ?? 0);
      if (a.vendorId && a.vendorName) {
        const v = byVendor.get(a.vendorId) ?? { name: a.vendorName, x: 0, n: 0, ax: 0, an: 0 };
        v.x += a.label.x; v.n += a.label.n; v.ax += a.action?.x ?? 0; v.an += a.action?.n ?? 0;
        byVendor.set(a.vendorId, v);
      }
      const g = byGroup.get(a.group) ?? { x: 0, n: 0, ax: 0, an: 0 };
      g.x += a.label.x; g.n += a.label.n; g.ax += a.action?.x ?? 0; g.an += a.action?.n ?? 0;
      byGroup.set(a.group, g);
    }
    for (const [key, v] of byVendor) add(vendorSeries, key, v.name, 'vendor', v.x, v.n, v.ax, v.an);
    for (const [key, g] of byGroup) add(groupSeries, key, key, 'group', g.x, g.n, g.ax, g.an);
  }
  const sorted = (m: Map<string, TrendSeries>) => [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { sessions: sessionsOut, vendors: sorted(vendorSeries), people: sorted(personSeries), groups: sorted(groupSeries) };
}

export { loadResults };

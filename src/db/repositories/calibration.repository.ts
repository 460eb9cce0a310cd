import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type {
  CalibrationItemRow,
  CalibrationItemSource,
  CalibrationKind,
  CalibrationSessionRow,
  ParticipantGroup,
} from '../schema-calibration.ts';

export type { CalibrationItemRow, CalibrationSessionRow } from '../schema-calibration.ts';

/**
 * Calibration sessions, items, participants, ratings and notes (migration
 * 0011). Row-level security keeps sessions to the viewer's vendor or their
 * invitations, and ratings blind until the session is closed: a query here
 * never filters by scope or by author itself.
 */

const CHUNK = 1000;

export interface NewSession {
  title: string;
  kind: CalibrationKind;
  workflowId: string | null;
  scorecardVersionId: string | null;
  labelOptions: unknown;
  actionOptions: unknown;
  ratingField: string | null;
  vendorId: string | null;
  dueAt: Date | null;
  createdByUserId: string | null;
  createdByLabel: string;
}

export async function insertSession(db: Executor, s: NewSession): Promise<string> {
  const row = await db
    .insertInto('calibration_sessions')
    .values({
      title: s.title,
      kind: s.kind,
      workflow_id: s.workflowId,
      scorecard_version_id: s.scorecardVersionId,
      label_options: JSON.stringify(s.labelOptions),
      action_options: JSON.stringify(s.actionOptions),
      rating_field: s.ratingField,
      vendor_id: s.vendorId,
      due_at: s.dueAt,
      created_by_user_id: s.createdByUserId,
      created_by_label: s.createdByLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function sessionsWithCounts(db: Executor) {
  return db
    .selectFrom('calibration_sessions as s')
    .leftJoin('workflows as w', 'w.id', 's.workflow_id')
    .leftJoin('vendors as v', 'v.id', 's.vendor_id')
    .selectAll('s')
    .select([
      'w.name as workflow_name',
      'v.name as vendor_name',
      sql<number>`(SELECT count(*)::int FROM calibration_items i WHERE i.session_id = s.id)`.as('item_count'),
      // Raters only: a participant delegated to set the expert answers does not rate (migration 0018).
      sql<number>`(SELECT count(*)::int FROM calibration_participants p WHERE p.session_id = s.id AND NOT p.sets_expert)`.as('participant_count'),
      sql<number>`(SELECT count(*)::int FROM calibration_participants p WHERE p.session_id = s.id AND NOT p.sets_expert AND (p.submitted_at IS NOT NULL OR p.person_id IS NULL))`.as('submitted_count'),
    ]);
}
export type SessionListRow = Awaited<ReturnType<typeof listSessions>>[number];

export interface SessionFilter {
  status?: 'open' | 'closed';
  workflowId?: string;
  /** Only the sessions this person is invited to. */
  participantPersonId?: string;
  /** Only this vendor's own sessions (what a vendor-scoped lead manages). */
  ownerVendorId?: string;
  kind?: CalibrationKind;
}

export async function listSessions(db: Executor, filter: SessionFilter, page: { limit: number; offset: number }) {
  let q = sessionsWithCounts(db);
  if (filter.status) q = q.where('s.status', '=', filter.status);
  if (filter.workflowId) q = q.where('s.workflow_id', '=', filter.workflowId);
  if (filter.kind) q = q.where('s.kind', '=', filter.kind);
  if (filter.ownerVendorId) q = q.where('s.vendor_id', '=', filter.ownerVendorId);
  if (filter.participantPersonId) {
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM calibration_participants p WHERE p.session_id = s.id AND p.person_id = ${filter.participantPersonId})`);
  }
  return q
    .select(sql<number>`(count(*) over ())::int`.as('total_count'))
    .orderBy(sql`s.status = 'open'`, 'desc')
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function findSession(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  if (options.forUpdate) {
    const locked = await db.selectFrom('calibration_sessions').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) return undefined;
  }
  return sessionsWithCounts(db).where('s.id', '=', id).executeTakeFirst();
}
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export async function closeSession(db: Executor, id: string, byLabel: string, at: Date): Promise<void> {
  await db.updateTable('calibration_sessions').set({ status: 'closed', closed_at: at, closed_by_label: byLabel }).where('id', '=', id).execute();
}

export interface NewItem {
  position: number;
  source: CalibrationItemSource;
  decisionId?: string | null;
  goldItemId?: string | null;
  externalRef?: string | null;
  contentKind?: string;
  contentText?: string | null;
  contentUrl?: string | null;
  contentLanguage?: string | null;
  severity?: string | null;
  agentLabels?: string[] | null;
  agentAction?: string | null;
  expertLabels?: string[] | null;
  expertAction?: string | null;
  expertAnswers?: unknown;
  expertNote?: string;
}

/** Inserts in chunks (an imported rating set may hold thousands of items); returns the ids in input order. */
export async function insertItems(db: Executor, sessionId: string, items: readonly NewItem[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const rows = await db
      .insertInto('calibration_items')
      .values(
        items.slice(i, i + CHUNK).map((it) => ({
          session_id: sessionId,
          position: it.position,
          source: it.source,
          decision_id: it.decisionId ?? null,
          gold_item_id: it.goldItemId ?? null,
          external_ref: it.externalRef ?? null,
          content_kind: it.contentKind ?? 'comment',
          content_text: it.contentText ?? null,
          content_url: it.contentUrl ?? null,
          content_language: it.contentLanguage ?? null,
          severity: it.severity ?? null,
          agent_labels: it.agentLabels ?? null,
          agent_action: it.agentAction ?? null,
          expert_labels: it.expertLabels ?? null,
          expert_action: it.expertAction ?? null,
          expert_answers: it.expertAnswers === undefined || it.expertAnswers === null ? null : JSON.stringify(it.expertAnswers),
          expert_note: it.expertNote ?? '',
        })),
      )
      .returning(['id', 'position'])
      .execute();
    const byPosition = new Map(rows.map((r) => [r.position, r.id]));
    ids.push(...items.slice(i, i + CHUNK).map((it) => byPosition.get(it.position)!));
  }
  return ids;
}

export async function listItems(db: Executor, sessionId: string): Promise<CalibrationItemRow[]> {
  return db.selectFrom('calibration_items').selectAll().where('session_id', '=', sessionId).orderBy('position').execute();
}

export async function findItem(db: Executor, sessionId: string, itemId: string): Promise<CalibrationItemRow | undefined> {
  return db.selectFrom('calibration_items').selectAll().where('session_id', '=', sessionId).where('id', '=', itemId).executeTakeFirst();
}

/** false when row-level security let no row through (only managers and a delegated participant update items). */
export async function updateItemExpert(db: Executor, itemId: string, expert: { labels: string[]; action: string; answers: unknown; note: string }): Promise<boolean> {
  const result = await db
    .updateTable('calibration_items')
    .set({ expert_labels: expert.labels, expert_action: expert.action, expert_answers: JSON.stringify(expert.answers ?? null), expert_note: expert.note })
    .where('id', '=', itemId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface NewParticipant {
  personId: string | null;
  externalName: string | null;
  group: ParticipantGroup;
  vendorId: string | null;
}

export async function insertParticipants(db: Executor, sessionId: string, participants: readonly NewParticipant[]): Promise<Array<{ id: string; person_id: string | null; external_name: string | null }>> {
  if (participants.length === 0) return [];
  const last = await db.selectFrom('calibration_participants').select(sql<number>`coalesce(max(position), 0)::int`.as('n')).where('session_id', '=', sessionId).executeTakeFirstOrThrow();
  return db
    .insertInto('calibration_participants')
    .values(participants.map((p, i) => ({ session_id: sessionId, person_id: p.personId, external_name: p.externalName, participant_group: p.group, vendor_id: p.vendorId, position: last.n + i + 1 })))
    .returning(['id', 'person_id', 'external_name'])
    .execute();
}

/** Participants with their person's name and vendor, when the viewer may see that person (else nulls). */
export async function listParticipants(db: Executor, sessionId: string) {
  return db
    .selectFrom('calibration_participants as cp')
    .leftJoin('people as p', 'p.id', 'cp.person_id')
    .leftJoin('vendors as v', 'v.id', 'cp.vendor_id')
    .selectAll('cp')
    .select(['p.full_name as person_name', 'v.name as vendor_name'])
    .where('cp.session_id', '=', sessionId)
    .orderBy('cp.position')
    .orderBy('cp.id')
    .execute();
}
export type ParticipantRow = Awaited<ReturnType<typeof listParticipants>>[number];

export async function findOwnParticipant(db: Executor, sessionId: string, personId: string) {
  return db.selectFrom('calibration_participants').selectAll().where('session_id', '=', sessionId).where('person_id', '=', personId).executeTakeFirst();
}

export async function setSetsExpert(db: Executor, sessionId: string, participantId: string, setsExpert: boolean): Promise<void> {
  await db.updateTable('calibration_participants').set({ sets_expert: setsExpert }).where('session_id', '=', sessionId).where('id', '=', participantId).execute();
}

export async function removeParticipant(db: Executor, sessionId: string, participantId: string): Promise<boolean> {
  const result = await db.deleteFrom('calibration_participants').where('session_id', '=', sessionId).where('id', '=', participantId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface NewRating {
  itemId: string;
  participantId: string;
  labelCategory: string;
  labels: string[];
  action: string | null;
  answers: unknown;
}

export async function upsertRating(db: Executor, sessionId: string, r: NewRating): Promise<void> {
  await db
    .insertInto('calibration_ratings')
    .values({ session_id: sessionId, item_id: r.itemId, participant_id: r.participantId, label_category: r.labelCategory, labels: r.labels, action: r.action, answers: JSON.stringify(r.answers ?? []) })
    .onConflict((c) =>
      c.columns(['item_id', 'participant_id']).doUpdateSet({
        label_category: r.labelCategory,
        labels: r.labels,
        action: r.action,
        answers: JSON.stringify(r.answers ?? []),
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function insertRatings(db: Executor, sessionId: string, ratings: readonly NewRating[]): Promise<void> {
  for (let i = 0; i < ratings.length; i += CHUNK) {
    await db
      .insertInto('calibration_ratings')
      .values(ratings.slice(i, i + CHUNK).map((r) => ({ session_id: sessionId, item_id: r.itemId, participant_id: r.participantId, label_category: r.labelCategory, labels: r.labels, action: r.action, answers: JSON.stringify(r.answers ?? []) })))
      .execute();
  }
}

/** Ratings the viewer may see: their own while the session is open, everyone's once closed (row-level security). */
export async function listRatings(db: Executor, sessionId: string, participantId?: string) {
  let q = db.selectFrom('calibration_ratings').select(['item_id', 'participant_id', 'label_category', 'labels', 'action', 'answers', 'updated_at']).where('session_id', '=', sessionId);
  if (participantId) q = q.where('participant_id', '=', participantId);
  return q.execute();
}
export type RatingRow = Awaited<ReturnType<typeof listRatings>>[number];

export async function refreshRatedCount(db: Executor, participantId: string): Promise<number> {
  const row = await db
    .updateTable('calibration_participants')
    .set({ rated_items: sql<number>`(SELECT count(*)::int FROM calibration_ratings r WHERE r.participant_id = ${participantId})` })
    .where('id', '=', participantId)
    .returning('rated_items')
    .executeTakeFirstOrThrow();
  return row.rated_items;
}

export async function markSubmitted(db: Executor, participantId: string, at: Date): Promise<void> {
  await db.updateTable('calibration_participants').set({ submitted_at: at }).where('id', '=', participantId).execute();
}

export async function insertNote(db: Executor, note: { sessionId: string; itemId: string; authorUserId: string | null; authorLabel: string; body: string }) {
  return db
    .insertInto('calibration_notes')
    .values({ session_id: note.sessionId, item_id: note.itemId, author_user_id: note.authorUserId, author_label: note.authorLabel, body: note.body })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function listNotes(db: Executor, sessionId: string) {
  return db.selectFrom('calibration_notes').selectAll().where('session_id', '=', sessionId).orderBy('created_at').orderBy('id').execute();
}

/** People the viewer sees who could take part: QA, trainers, SMEs and leads, active, with an active user and its role. */
export async function candidatePeople(db: Executor, filter: { q?: string; vendorId?: string }) {
  let q = db
    .selectFrom('people as p')
    .innerJoin('vendors as v', 'v.id', 'p.vendor_id')
    .select(['p.id', 'p.full_name', 'p.job_role', 'p.vendor_id', 'v.name as vendor_name', 'v.is_in_house'])
    .where('p.status', '=', 'active')
    .where('p.job_role', 'in', ['qa_specialist', 'qa_lead', 'trainer', 'policy_sme', 'manager']);
  if (filter.vendorId) q = q.where('p.vendor_id', '=', filter.vendorId);
  if (filter.q) q = q.where('p.full_name', 'ilike', `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`);
  const people = await q.orderBy('p.full_name').limit(500).execute();
  if (people.length === 0) return [];
  const roles = await userRolesOf(db, people.map((p) => p.id));
  return people.map((p) => ({ ...p, roles: roles.get(p.id) ?? [] }));
}

/** person id -> the roles of their active users (through a definer function: users are visible to scope all only). */
export async function userRolesOf(db: Executor, personIds: readonly string[]): Promise<Map<string, string[]>> {
  const roles = new Map<string, string[]>();
  if (personIds.length === 0) return roles;
  const { rows } = await sql<{ person_id: string; user_id: string; role: string }>`SELECT * FROM assay_calibration_user_roles(${[...personIds]}::uuid[])`.execute(db);
  for (const r of rows) roles.set(r.person_id, [...(roles.get(r.person_id) ?? []), r.role]);
  return roles;
}

export async function scorecardOf(db: Executor, id: string) {
  return db.selectFrom('scorecard_versions').select(['id', 'version', 'name', 'definition']).where('id', '=', id).executeTakeFirst();
}

export async function peopleByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('people as p')
    .innerJoin('vendors as v', 'v.id', 'p.vendor_id')
    .select(['p.id', 'p.full_name', 'p.job_role', 'p.vendor_id', 'v.is_in_house'])
    .where('p.id', 'in', ids)
    .execute();
}

export interface DecisionSearch {
  workflowId: string;
  ids?: readonly string[];
  vendorId?: string;
  policyKey?: string;
  label?: string;
  severity?: string;
  from?: string;
  to?: string;
  limit: number;
}

/** Reviewed decisions of a workflow in the viewer's scope, with the review's verdict and answers (the default expert answer). */
export async function searchReviewedDecisions(db: Executor, f: DecisionSearch) {
  let q = db
    .selectFrom('decisions as d')
    .innerJoin('reviews as r', 'r.decision_id', 'd.id')
    .innerJoin('vendors as v', 'v.id', 'd.vendor_id')
    .select([
      'd.id', 'd.external_id', 'd.decided_at', 'd.labels', 'd.action', 'd.severity', 'd.vendor_id', 'v.name as vendor_name',
      'd.content_kind', 'd.content_text', 'd.content_url', 'd.content_language',
      'r.id as review_id', 'r.qa_labels', 'r.qa_action', 'r.answers as review_answers', 'r.correct as review_correct',
    ])
    .where('d.workflow_id', '=', f.workflowId);
  if (f.ids) q = q.where('d.id', 'in', f.ids.length > 0 ? [...f.ids] : ['00000000-0000-0000-0000-000000000000']);
  if (f.vendorId) q = q.where('d.vendor_id', '=', f.vendorId);
  if (f.label) q = q.where(sql<boolean>`(d.labels @> ARRAY[${f.label}]::text[] OR r.qa_labels @> ARRAY[${f.label}]::text[])`);
  if (f.policyKey) {
    const prefix = `${f.policyKey.replace(/[%_\\]/g, '\\$&')}.%`;
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(d.labels || r.qa_labels) l WHERE l LIKE ${prefix})`);
  }
  if (f.severity === 'none') q = q.where('d.severity', 'is', null);
  else if (f.severity) q = q.where('d.severity', '=', f.severity as 'high');
  if (f.from) q = q.where('d.decided_at', '>=', sql<Date>`${f.from}::date::timestamp AT TIME ZONE 'UTC'`);
  if (f.to) q = q.where('d.decided_at', '<', sql<Date>`(${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  return q.orderBy('d.decided_at', 'desc').orderBy('d.id').limit(f.limit).execute();
}
export type ReviewedDecisionRow = Awaited<ReturnType<typeof searchReviewedDecisions>>[number];

/** Closed scored sessions with everything their results need, oldest first, for trends (row-level security applies). */
export async function closedSessionsForTrends(db: Executor, filter: { workflowId?: string; from?: Date; limit: number }) {
  let q = db
    .selectFrom('calibration_sessions as s')
    .leftJoin('workflows as w', 'w.id', 's.workflow_id')
    .selectAll('s')
    .select('w.name as workflow_name')
    .where('s.status', '=', 'closed')
    .where('s.kind', '=', 'scored');
  if (filter.workflowId) q = q.where('s.workflow_id', '=', filter.workflowId);
  if (filter.from) q = q.where('s.closed_at', '>=', filter.from);
  return q.orderBy('s.closed_at', 'desc').limit(filter.limit).execute();
}

export async function itemsOfSessions(db: Executor, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return [];
  return db.selectFrom('calibration_items').selectAll().where('session_id', 'in', sessionIds).orderBy('position').execute();
}

export async function participantsOfSessions(db: Executor, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return [];
  return db
    .selectFrom('calibration_participants as cp')
    .leftJoin('people as p', 'p.id', 'cp.person_id')
    .leftJoin('vendors as v', 'v.id', 'cp.vendor_id')
    .selectAll('cp')
    .select(['p.full_name as person_name', 'v.name as vendor_name'])
    .where('cp.session_id', 'in', sessionIds)
    .orderBy('cp.position')
    .execute();
}

export async function ratingsOfSessions(db: Executor, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return [];
  return db
    .selectFrom('calibration_ratings')
    .select(['session_id', 'item_id', 'participant_id', 'label_category', 'labels', 'action', 'answers', 'updated_at'])
    .where('session_id', 'in', sessionIds)
    .execute();
}

export type SessionRowBase = CalibrationSessionRow;

export async function actionNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('enforcement_actions').select(['key', 'name']).execute();
  return new Map(rows.map((r) => [r.key, r.name]));
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { CoachingActionStatus } from '../schema-training-operations.ts';

/**
 * One-to-one coaching (migration 0014): sessions about a person, the reviews
 * they discussed, and the actions agreed. Scoped through the coachee.
 */

export interface CoachingSessionRow {
  id: string;
  person_id: string;
  person_name: string | null;
  coach_id: string;
  coach_name: string | null;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  workflow_id: string | null;
  held_on: string;
  topic: string;
  notes: string;
  error_types: string[];
  root_causes: string[];
  acknowledged_at: Date | null;
  created_by_label: string;
  created_at: Date;
  actions_open: number;
  actions_overdue: number;
  review_count: number;
}

export interface CoachingFilter {
  personId?: string;
  coachId?: string;
  vendorId?: string;
  openActions?: boolean;
  from?: string;
  to?: string;
}

const sessionSelect = sql`
  SELECT s.id, s.person_id, pp.full_name AS person_name, s.coach_id, cp.full_name AS coach_name, s.vendor_id, s.site_id, s.team_id,
         s.workflow_id, s.held_on::text AS held_on, s.topic, s.notes, s.error_types, s.root_causes, s.acknowledged_at, s.created_by_label, s.created_at,
         (SELECT count(*)::int FROM coaching_actions a WHERE a.session_id = s.id AND a.status = 'open') AS actions_open,
         (SELECT count(*)::int FROM coaching_actions a WHERE a.session_id = s.id AND a.status = 'open' AND a.follow_up_on < current_date) AS actions_overdue,
         (SELECT count(*)::int FROM coaching_session_reviews r WHERE r.session_id = s.id) AS review_count
  FROM coaching_sessions s
  LEFT JOIN people pp ON pp.id = s.person_id
  LEFT JOIN people cp ON cp.id = s.coach_id`;

export async function listCoachingSessions(db: Executor, f: CoachingFilter, page: { limit: number; offset: number }): Promise<{ rows: CoachingSessionRow[]; total: number }> {
  const where = sql`
    WHERE (${f.personId ?? null}::uuid IS NULL OR s.person_id = ${f.personId ?? null})
      AND (${f.coachId ?? null}::uuid IS NULL OR s.coach_id = ${f.coachId ?? null})
      AND (${f.vendorId ?? null}::uuid IS NULL OR s.vendor_id = ${f.vendorId ?? null})
      AND (${f.from ?? null}::date IS NULL OR s.held_on >= ${f.from ?? null}::date)
      AND (${f.to ?? null}::date IS NULL OR s.held_on <= ${f.to ?? null}::date)
      AND (NOT ${f.openActions ?? false} OR EXISTS (SELECT 1 FROM coaching_actions a WHERE a.session_id = s.id AND a.status = 'open'))`;
  const { rows } = await sql<CoachingSessionRow & { total: number }>`
    SELECT x.*, count(*) OVER ()::int AS total FROM (${sessionSelect} ${where}) x
    ORDER BY x.held_on DESC, x.created_at DESC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findCoachingSession(db: Executor, id: string): Promise<CoachingSessionRow | undefined> {
  const { rows } = await sql<CoachingSessionRow>`${sessionSelect} WHERE s.id = ${id}`.execute(db);
  return rows[0];
}

export interface NewCoachingSession {
  personId: string;
  coachId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  workflowId: string | null;
  heldOn: string;
  topic: string;
  notes: string;
  errorTypes: string[];
  rootCauses: string[];
  createdByUserId: string | null;
  createdByLabel: string;
}

export async function insertCoachingSession(db: Executor, s: NewCoachingSession): Promise<string> {
  const row = await db.insertInto('coaching_sessions').values({
    person_id: s.personId, coach_id: s.coachId, vendor_id: s.vendorId, site_id: s.siteId, team_id: s.teamId, workflow_id: s.workflowId,
    held_on: s.heldOn, topic: s.topic, notes: s.notes, error_types: s.errorTypes, root_causes: s.rootCauses,
    created_by_user_id: s.createdByUserId, created_by_label: s.createdByLabel,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCoachingSession(db: Executor, id: string, values: Partial<{ held_on: string; topic: string; notes: string; error_types: string[]; root_causes: string[]; acknowledged_at: Date }>): Promise<void> {
  await db.updateTable('coaching_sessions').set(values).where('id', '=', id).execute();
}

export interface LinkedReviewRow {
  review_id: string;
  submitted_at: Date;
  score: string;
  correct: boolean;
  critical_failed: boolean;
  error_types: string[];
  root_causes: string[];
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  qa_labels: string[];
  qa_action: string;
}

const reviewSelect = ['r.id as review_id', 'r.submitted_at', 'r.score', 'r.correct', 'r.critical_failed', 'r.error_types', 'r.root_causes', 'r.workflow_id', 'r.agent_id', 'r.vendor_id', 'r.site_id', 'r.team_id', 'r.qa_labels', 'r.qa_action'] as const;

export async function findReviews(db: Executor, ids: readonly string[]): Promise<LinkedReviewRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('reviews as r').select([...reviewSelect]).where('r.id', 'in', ids).execute();
}

export async function listSessionReviews(db: Executor, sessionId: string): Promise<LinkedReviewRow[]> {
  return db.selectFrom('coaching_session_reviews as l').innerJoin('reviews as r', 'r.id', 'l.review_id')
    .select([...reviewSelect]).where('l.session_id', '=', sessionId).orderBy('r.submitted_at', 'desc').execute();
}

/** A person's recent reviews with errors: what a coach picks from. */
export async function listReviewsWithErrors(db: Executor, personId: string, limit: number): Promise<LinkedReviewRow[]> {
  return db.selectFrom('reviews as r').select([...reviewSelect])
    .where('r.agent_id', '=', personId)
    .where((eb) => eb.or([eb('r.correct', '=', false), eb('r.critical_failed', '=', true), eb(sql`cardinality(r.error_types)`, '>', 0)]))
    .orderBy('r.submitted_at', 'desc').limit(limit).execute();
}

export async function linkReviews(db: Executor, sessionId: string, person: { id: string; vendorId: string; siteId: string; teamId: string | null }, reviewIds: readonly string[]): Promise<void> {
  if (reviewIds.length === 0) return;
  await db.insertInto('coaching_session_reviews')
    .values(reviewIds.map((reviewId) => ({ session_id: sessionId, review_id: reviewId, person_id: person.id, vendor_id: person.vendorId, site_id: person.siteId, team_id: person.teamId })))
    .onConflict((oc) => oc.doNothing()).execute();
}

export interface CoachingActionRow {
  id: string;
  session_id: string;
  description: string;
  owner_id: string;
  owner_name: string | null;
  follow_up_on: string;
  status: CoachingActionStatus;
  follow_up_note: string;
  followed_up_at: Date | null;
  followed_up_by_label: string | null;
  person_id: string;
  person_name: string | null;
  vendor_id: string;
  position: number;
}

const actionSelect = sql`
  SELECT a.id, a.session_id, a.description, a.owner_id, op.full_name AS owner_name, a.follow_up_on::text AS follow_up_on, a.status, a.follow_up_note,
         a.followed_up_at, a.followed_up_by_label, a.person_id, pp.full_name AS person_name, a.vendor_id, a.position
  FROM coaching_actions a LEFT JOIN people op ON op.id = a.owner_id LEFT JOIN people pp ON pp.id = a.person_id`;

export async function listActions(db: Executor, sessionId: string): Promise<CoachingActionRow[]> {
  const { rows } = await sql<CoachingActionRow>`${actionSelect} WHERE a.session_id = ${sessionId} ORDER BY a.position, a.created_at`.execute(db);
  return rows;
}

export async function findAction(db: Executor, id: string): Promise<CoachingActionRow | undefined> {
  const { rows } = await sql<CoachingActionRow>`${actionSelect} WHERE a.id = ${id}`.execute(db);
  return rows[0];
}

/** Open actions whose follow-up falls on or before `until`: the coach's follow-up list. */
export async function listFollowUps(db: Executor, filter: { until: string; ownerId?: string; coachId?: string }): Promise<Array<CoachingActionRow & { coach_id: string; coach_name: string | null; held_on: string; topic: string }>> {
  const { rows } = await sql<CoachingActionRow & { coach_id: string; coach_name: string | null; held_on: string; topic: string }>`
    SELECT x.*, s.coach_id, cp.full_name AS coach_name, s.held_on::text AS held_on, s.topic
    FROM (${actionSelect} WHERE a.status = 'open' AND a.follow_up_on <= ${filter.until}::date) x
    JOIN coaching_sessions s ON s.id = x.session_id LEFT JOIN people cp ON cp.id = s.coach_id
    WHERE (${filter.ownerId ?? null}::uuid IS NULL OR x.owner_id = ${filter.ownerId ?? null})
      AND (${filter.coachId ?? null}::uuid IS NULL OR s.coach_id = ${filter.coachId ?? null})
    ORDER BY x.follow_up_on, x.position LIMIT 500`.execute(db);
  return rows;
}

export async function insertActions(
  db: Executor,
  sessionId: string,
  person: { id: string; vendorId: string; siteId: string; teamId: string | null },
  actions: ReadonlyArray<{ description: string; ownerId: string; followUpOn: string }>,
  firstPosition: number,
): Promise<void> {
  if (actions.length === 0) return;
  await db.insertInto('coaching_actions').values(actions.map((a, i) => ({
    session_id: sessionId, description: a.description, owner_id: a.ownerId, follow_up_on: a.followUpOn,
    person_id: person.id, vendor_id: person.vendorId, site_id: person.siteId, team_id: person.teamId, position: firstPosition + i,
  }))).execute();
}

export async function updateAction(db: Executor, id: string, values: Partial<{ status: CoachingActionStatus; follow_up_note: string; followed_up_at: Date | null; followed_up_by_label: string | null; follow_up_on: string }>): Promise<void> {
  await db.updateTable('coaching_actions').set(values).where('id', '=', id).execute();
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * Reaction surveys (migration 0014): definitions (shared), invitations (who
 * was asked, scoped by person) and anonymous responses (scoped by site).
 */

export interface SurveyDefinitionRow {
  id: string;
  name: string;
  description: string;
  items: unknown;
  min_group_size: number;
  status: 'active' | 'retired';
  created_at: Date;
  course_id: string | null;
  /** Null when the course is not visible to the caller (another vendor's course). */
  course_title: string | null;
}

function definitions(db: Executor) {
  return db.selectFrom('survey_definitions as d')
    .leftJoin('courses as c', 'c.id', 'd.course_id')
    .selectAll('d')
    .select('c.title as course_title');
}

export async function listSurveyDefinitions(db: Executor): Promise<SurveyDefinitionRow[]> {
  return definitions(db).orderBy('d.created_at', 'desc').execute();
}

export async function findSurveyDefinition(db: Executor, id: string): Promise<SurveyDefinitionRow | undefined> {
  return definitions(db).where('d.id', '=', id).executeTakeFirst();
}

/**
 * The survey sent after training: the newest active definition that follows
 * the course trained, else the newest active general one (no course).
 */
export async function findCurrentSurvey(db: Executor, courseId: string | null = null): Promise<SurveyDefinitionRow | undefined> {
  return definitions(db)
    .where('d.status', '=', 'active')
    .where((eb) => (courseId ? eb.or([eb('d.course_id', '=', courseId), eb('d.course_id', 'is', null)]) : eb('d.course_id', 'is', null)))
    .orderBy(sql`d.course_id IS NULL`)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id')
    .limit(1)
    .executeTakeFirst();
}

/** A course the caller can see (row-level security), for a survey to follow. */
export async function findCourseRef(db: Executor, id: string): Promise<{ id: string; title: string } | undefined> {
  return db.selectFrom('courses').select(['id', 'title']).where('id', '=', id).executeTakeFirst();
}

export async function insertSurveyDefinition(db: Executor, d: { name: string; description: string; items: unknown; minGroupSize: number; courseId: string | null }): Promise<string> {
  const row = await db.insertInto('survey_definitions')
    .values({ name: d.name, description: d.description, items: JSON.stringify(d.items), min_group_size: d.minGroupSize, course_id: d.courseId })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setSurveyStatus(db: Executor, id: string, status: 'active' | 'retired'): Promise<void> {
  await db.updateTable('survey_definitions').set({ status }).where('id', '=', id).execute();
}

export interface NewInvitation {
  surveyId: string;
  personId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  contextKey: string;
  contextLabel: string;
  courseId: string | null;
  cohortId: string | null;
  cohortSessionId: string | null;
  trainerId: string | null;
  /** When it went out; now by default. */
  sentAt?: Date;
}

/** Invitations not yet sent (one per survey, person and context); returns how many were new. */
export async function insertInvitations(db: Executor, rows: readonly NewInvitation[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db.insertInto('survey_invitations')
    .values(rows.map((r) => ({
      survey_id: r.surveyId, person_id: r.personId, vendor_id: r.vendorId, site_id: r.siteId, team_id: r.teamId,
      context_key: r.contextKey, context_label: r.contextLabel, course_id: r.courseId, cohort_id: r.cohortId,
      cohort_session_id: r.cohortSessionId, trainer_id: r.trainerId, ...(r.sentAt ? { sent_at: r.sentAt } : {}),
    })))
    .onConflict((oc) => oc.columns(['survey_id', 'person_id', 'context_key']).doNothing())
    .returning('id').execute();
  return inserted.length;
}

export interface AttendeeRow {
  person_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  cohort_id: string;
  cohort_name: string;
  topic: string;
  course_id: string | null;
  trainer_id: string | null;
}

/** Members who attended a session (present or late), with the session's course and trainer (else the cohort's lead). */
export async function sessionAttendees(db: Executor, sessionId: string): Promise<AttendeeRow[]> {
  const { rows } = await sql<AttendeeRow>`
    SELECT a.person_id, a.vendor_id, a.site_id, a.team_id, c.id AS cohort_id, c.name AS cohort_name, cs.topic, cs.course_id,
           coalesce(cs.trainer_id, (SELECT t.person_id FROM cohort_trainers t WHERE t.cohort_id = c.id ORDER BY t.role DESC, t.added_at LIMIT 1)) AS trainer_id
    FROM cohort_attendance a
    JOIN cohort_sessions cs ON cs.id = a.session_id
    JOIN cohorts c ON c.id = cs.cohort_id
    WHERE a.session_id = ${sessionId} AND a.status IN ('present', 'late')`.execute(db);
  return rows;
}

export interface CompleterRow {
  enrolment_id: string;
  person_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  course_id: string;
  course_title: string;
  cohort_id: string | null;
  trainer_id: string | null;
}

/** Enrolments completed since `since` (the survey after a course), with the cohort's lead trainer when enrolled through a cohort. */
export async function recentCompleters(db: Executor, since: Date): Promise<CompleterRow[]> {
  const { rows } = await sql<CompleterRow>`
    SELECT e.id AS enrolment_id, e.person_id, p.vendor_id, p.site_id, p.team_id, e.course_id, cv.title AS course_title, e.cohort_id,
           (SELECT t.person_id FROM cohort_trainers t WHERE t.cohort_id = e.cohort_id ORDER BY t.role DESC, t.added_at LIMIT 1) AS trainer_id
    FROM enrolments e
    JOIN people p ON p.id = e.person_id
    JOIN course_versions cv ON cv.id = e.course_version_id
    WHERE e.status = 'completed' AND e.completed_at >= ${since}`.execute(db);
  return rows;
}

export interface InvitationRow {
  id: string;
  survey_id: string;
  survey_name: string;
  items: unknown;
  person_id: string;
  vendor_id: string;
  site_id: string;
  context_label: string;
  course_id: string | null;
  cohort_id: string | null;
  cohort_session_id: string | null;
  trainer_id: string | null;
  sent_at: Date;
  responded_on: string | null;
}

const invitationSelect = sql`
  SELECT i.id, i.survey_id, d.name AS survey_name, d.items, i.person_id, i.vendor_id, i.site_id, i.context_label, i.course_id, i.cohort_id,
         i.cohort_session_id, i.trainer_id, i.sent_at, i.responded_on::text AS responded_on
  FROM survey_invitations i JOIN survey_definitions d ON d.id = i.survey_id`;

export async function listInvitationsFor(db: Executor, personId: string): Promise<InvitationRow[]> {
  const { rows } = await sql<InvitationRow>`${invitationSelect} WHERE i.person_id = ${personId} ORDER BY (i.responded_on IS NULL) DESC, i.sent_at DESC LIMIT 200`.execute(db);
  return rows;
}

export async function findInvitation(db: Executor, id: string): Promise<InvitationRow | undefined> {
  const { rows } = await sql<InvitationRow>`${invitationSelect} WHERE i.id = ${id}`.execute(db);
  return rows[0];
}

/** Marks an invitation answered; false when it already was (a second response is refused). */
export async function markResponded(db: Executor, id: string, day: string): Promise<boolean> {
  const row = await db.updateTable('survey_invitations').set({ responded_on: day }).where('id', '=', id).where('responded_on', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function insertResponse(
  db: Executor,
  r: { surveyId: string; vendorId: string; siteId: string; courseId: string | null; cohortId: string | null; cohortSessionId: string | null; trainerId: string | null; ratings: Record<string, number>; comments: Record<string, string>; day: string },
): Promise<void> {
  await db.insertInto('survey_responses').values({
    survey_id: r.surveyId, vendor_id: r.vendorId, site_id: r.siteId, course_id: r.courseId, cohort_id: r.cohortId,
    cohort_session_id: r.cohortSessionId, trainer_id: r.trainerId, ratings: JSON.stringify(r.ratings), comments: JSON.stringify(r.comments), submitted_on: r.day,
  }).execute();
}

export type ResultsBy = 'course' | 'trainer' | 'site' | 'cohort';

export interface ResponseRow {
  group_id: string | null;
  group_name: string | null;
  ratings: Record<string, number>;
  comments: Record<string, string>;
}

export async function listResponses(db: Executor, surveyId: string, by: ResultsBy, from: string, to: string): Promise<ResponseRow[]> {
  const group = {
    course: sql`r.course_id::text AS group_id, (SELECT c.title FROM courses c WHERE c.id = r.course_id) AS group_name`,
    trainer: sql`r.trainer_id::text AS group_id, (SELECT p.full_name FROM people p WHERE p.id = r.trainer_id) AS group_name`,
    site: sql`r.site_id::text AS group_id, (SELECT s.name FROM sites s WHERE s.id = r.site_id) AS group_name`,
    cohort: sql`r.cohort_id::text AS group_id, (SELECT c.name FROM cohorts c WHERE c.id = r.cohort_id) AS group_name`,
  }[by];
  const { rows } = await sql<ResponseRow>`
    SELECT ${group}, r.ratings, r.comments
    FROM survey_responses r
    WHERE r.survey_id = ${surveyId} AND r.submitted_on BETWEEN ${from} AND ${to}`.execute(db);
  return rows;
}

export async function countInvitations(db: Executor, surveyId: string, from: string, to: string): Promise<{ invited: number; responded: number }> {
  const { rows } = await sql<{ invited: number; responded: number }>`
    SELECT count(*)::int AS invited, count(*) FILTER (WHERE responded_on IS NOT NULL)::int AS responded
    FROM survey_invitations WHERE survey_id = ${surveyId} AND sent_at::date BETWEEN ${from} AND ${to}`.execute(db);
  return rows[0] ?? { invited: 0, responded: 0 };
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { AttendanceStatus, CohortSessionStatus, GraduationOutcome } from '../schema-training-operations.ts';

/**
 * Cohort operations: trainers, the session schedule, attendance, nesting
 * targets and graduations (migration 0014), on the cohorts and members of the
 * training core (migration 0012, read with plain SQL). Row-level security
 * scopes every read: a cohort outside the viewer's scope is not there.
 */

export interface CohortRow {
  id: string;
  name: string;
  vendor_id: string;
  vendor_name: string | null;
  site_id: string;
  site_name: string | null;
  workflow_id: string;
  workflow_name: string;
  program_id: string | null;
  start_date: string;
  status: string;
}

const cohortSelect = sql`
  SELECT c.id, c.name, c.vendor_id, v.name AS vendor_name, c.site_id, s.name AS site_name, c.workflow_id, w.name AS workflow_name,
         c.program_id, c.start_date::text AS start_date, c.status
  FROM cohorts c
  LEFT JOIN vendors v ON v.id = c.vendor_id
  LEFT JOIN sites s ON s.id = c.site_id
  JOIN workflows w ON w.id = c.workflow_id`;

export async function findCohort(db: Executor, id: string): Promise<CohortRow | undefined> {
  const { rows } = await sql<CohortRow>`${cohortSelect} WHERE c.id = ${id}`.execute(db);
  return rows[0];
}

export interface CohortListRow extends CohortRow {
  members: number;
  sessions: number;
  sessions_completed: number;
  next_session_at: Date | null;
  trainer_names: string[];
  has_nesting: boolean;
}

export async function listCohorts(db: Executor, filter: { status?: string; trainerId?: string }): Promise<CohortListRow[]> {
  const { rows } = await sql<CohortListRow>`
    SELECT x.*,
      (SELECT count(*)::int FROM cohort_members m WHERE m.cohort_id = x.id AND m.status <> 'withdrawn') AS members,
      (SELECT count(*)::int FROM cohort_sessions cs WHERE cs.cohort_id = x.id AND cs.status <> 'cancelled') AS sessions,
      (SELECT count(*)::int FROM cohort_sessions cs WHERE cs.cohort_id = x.id AND cs.status = 'completed') AS sessions_completed,
      (SELECT min(cs.starts_at) FROM cohort_sessions cs WHERE cs.cohort_id = x.id AND cs.status = 'scheduled' AND cs.starts_at >= now()) AS next_session_at,
      coalesce((SELECT array_agg(p.full_name ORDER BY t.role DESC, p.full_name) FROM cohort_trainers t JOIN people p ON p.id = t.person_id WHERE t.cohort_id = x.id), '{}') AS trainer_names,
      EXISTS (SELECT 1 FROM cohort_nesting n WHERE n.cohort_id = x.id) AS has_nesting
    FROM (${cohortSelect}) x
    WHERE (${filter.status ?? null}::text IS NULL OR x.status = ${filter.status ?? null})
      AND (${filter.trainerId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM cohort_trainers t WHERE t.cohort_id = x.id AND t.person_id = ${filter.trainerId ?? null}))
    ORDER BY x.start_date DESC, x.name`.execute(db);
  return rows;
}

export interface MemberRow {
  person_id: string;
  full_name: string | null;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  member_status: string;
  hire_date: string;
}

/** Members whose person the viewer can see (a person outside scope is left out, never named). */
export async function listMembers(db: Executor, cohortId: string): Promise<MemberRow[]> {
  const { rows } = await sql<MemberRow>`
    SELECT m.person_id, p.full_name, p.vendor_id, p.site_id, p.team_id, m.status AS member_status, p.hire_date::text AS hire_date
    FROM cohort_members m JOIN people p ON p.id = m.person_id
    WHERE m.cohort_id = ${cohortId}
    ORDER BY p.full_name`.execute(db);
  return rows;
}

export interface TrainerRow { person_id: string; full_name: string | null; role: 'lead' | 'co' }

export async function listCohortTrainers(db: Executor, cohortId: string): Promise<TrainerRow[]> {
  const { rows } = await sql<TrainerRow>`
    SELECT t.person_id, p.full_name, t.role
    FROM cohort_trainers t LEFT JOIN people p ON p.id = t.person_id
    WHERE t.cohort_id = ${cohortId}
    ORDER BY t.role DESC, p.full_name`.execute(db);
  return rows;
}

export async function replaceCohortTrainers(db: Executor, cohortId: string, trainers: ReadonlyArray<{ personId: string; role: 'lead' | 'co' }>): Promise<void> {
  await db.deleteFrom('cohort_trainers').where('cohort_id', '=', cohortId).execute();
  if (trainers.length > 0) {
    await db.insertInto('cohort_trainers').values(trainers.map((t) => ({ cohort_id: cohortId, person_id: t.personId, role: t.role }))).execute();
  }
}

export interface SessionRow {
  id: string;
  cohort_id: string;
  starts_at: Date;
  ends_at: Date;
  topic: string;
  location: string;
  trainer_id: string | null;
  trainer_name: string | null;
  course_id: string | null;
  course_title: string | null;
  status: CohortSessionStatus;
  completed_at: Date | null;
  present: number;
  late: number;
  absent: number;
  excused: number;
}

const sessionSelect = sql`
  SELECT cs.id, cs.cohort_id, cs.starts_at, cs.ends_at, cs.topic, cs.location, cs.trainer_id, tp.full_name AS trainer_name,
         cs.course_id, co.title AS course_title, cs.status, cs.completed_at,
         count(a.person_id) FILTER (WHERE a.status = 'present')::int AS present,
         count(a.person_id) FILTER (WHERE a.status = 'late')::int AS late,
         count(a.person_id) FILTER (WHERE a.status = 'absent')::int AS absent,
         count(a.person_id) FILTER (WHERE a.status = 'excused')::int AS excused
  FROM cohort_sessions cs
  LEFT JOIN people tp ON tp.id = cs.trainer_id
  LEFT JOIN courses co ON co.id = cs.course_id
  LEFT JOIN cohort_attendance a ON a.session_id = cs.id`;

export async function listSessions(db: Executor, cohortId: string): Promise<SessionRow[]> {
  const { rows } = await sql<SessionRow>`${sessionSelect} WHERE cs.cohort_id = ${cohortId} GROUP BY cs.id, tp.full_name, co.title ORDER BY cs.starts_at`.execute(db);
  return rows;
}

export async function findSession(db: Executor, id: string): Promise<SessionRow | undefined> {
  const { rows } = await sql<SessionRow>`${sessionSelect} WHERE cs.id = ${id} GROUP BY cs.id, tp.full_name, co.title`.execute(db);
  return rows[0];
}

export interface NewSession {
  cohortId: string;
  startsAt: Date;
  endsAt: Date;
  topic: string;
  location: string;
  trainerId: string | null;
  courseId: string | null;
}

export async function insertSession(db: Executor, s: NewSession): Promise<string> {
  const row = await db
    .insertInto('cohort_sessions')
    .values({ cohort_id: s.cohortId, starts_at: s.startsAt, ends_at: s.endsAt, topic: s.topic, location: s.location, trainer_id: s.trainerId, course_id: s.courseId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSession(
  db: Executor,
  id: string,
  values: Partial<{ starts_at: Date; ends_at: Date; topic: string; location: string; trainer_id: string | null; status: CohortSessionStatus; completed_at: Date | null }>,
): Promise<void> {
  await db.updateTable('cohort_sessions').set(values).where('id', '=', id).execute();
}

export interface AttendanceRow {
  session_id: string;
  person_id: string;
  status: AttendanceStatus;
  note: string;
  recorded_by_label: string;
  recorded_at: Date;
}

export async function listAttendance(db: Executor, filter: { sessionId?: string; cohortId?: string }): Promise<AttendanceRow[]> {
  let query = db.selectFrom('cohort_attendance as a').innerJoin('cohort_sessions as cs', 'cs.id', 'a.session_id')
    .select(['a.session_id', 'a.person_id', 'a.status', 'a.note', 'a.recorded_by_label', 'a.recorded_at']);
  if (filter.sessionId) query = query.where('a.session_id', '=', filter.sessionId);
  if (filter.cohortId) query = query.where('cs.cohort_id', '=', filter.cohortId);
  return query.execute();
}

export interface AttendanceUpsert {
  sessionId: string;
  personId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  status: AttendanceStatus;
  note: string;
  recordedByLabel: string;
}

export async function upsertAttendance(db: Executor, rows: readonly AttendanceUpsert[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('cohort_attendance')
    .values(rows.map((r) => ({
      session_id: r.sessionId, person_id: r.personId, vendor_id: r.vendorId, site_id: r.siteId, team_id: r.teamId,
      status: r.status, note: r.note, recorded_by_label: r.recordedByLabel, recorded_at: new Date(),
    })))
    .onConflict((oc) => oc.columns(['session_id', 'person_id']).doUpdateSet((eb) => ({
      status: eb.ref('excluded.status'), note: eb.ref('excluded.note'),
      recorded_by_label: eb.ref('excluded.recorded_by_label'), recorded_at: eb.ref('excluded.recorded_at'),
    })))
    .execute();
}

export interface NestingRow {
  cohort_id: string;
  starts_on: string;
  ends_on: string;
  min_reviews: number;
  accuracy_target: string;
  critical_error_max: string;
  evidence: 'estimate' | 'interval';
  updated_by_label: string;
  updated_at: Date;
}

export async function findNesting(db: Executor, cohortId: string): Promise<NestingRow | undefined> {
  return db.selectFrom('cohort_nesting').selectAll().where('cohort_id', '=', cohortId).executeTakeFirst();
}

export async function upsertNesting(db: Executor, row: Omit<NestingRow, 'updated_at'>): Promise<void> {
  await db
    .insertInto('cohort_nesting')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) => oc.column('cohort_id').doUpdateSet((eb) => ({
      starts_on: eb.ref('excluded.starts_on'), ends_on: eb.ref('excluded.ends_on'), min_reviews: eb.ref('excluded.min_reviews'),
      accuracy_target: eb.ref('excluded.accuracy_target'), critical_error_max: eb.ref('excluded.critical_error_max'),
      evidence: eb.ref('excluded.evidence'), updated_by_label: eb.ref('excluded.updated_by_label'), updated_at: eb.ref('excluded.updated_at'),
    })))
    .execute();
}

export interface GraduationRow {
  id: string;
  cohort_id: string;
  person_id: string;
  outcome: GraduationOutcome;
  decided_on: string;
  note: string;
  evidence: unknown;
  decided_by_label: string;
  created_at: Date;
}

export async function listGraduations(db: Executor, cohortId: string): Promise<GraduationRow[]> {
  return db.selectFrom('cohort_graduations')
    .select(['id', 'cohort_id', 'person_id', 'outcome', 'decided_on', 'note', 'evidence', 'decided_by_label', 'created_at'])
    .where('cohort_id', '=', cohortId).orderBy('created_at', 'desc').execute();
}

export async function insertGraduation(
  db: Executor,
  g: { cohortId: string; personId: string; vendorId: string; siteId: string; teamId: string | null; outcome: GraduationOutcome; decidedOn: string; note: string; evidence: unknown; decidedByLabel: string },
): Promise<string> {
  const row = await db.insertInto('cohort_graduations').values({
    cohort_id: g.cohortId, person_id: g.personId, vendor_id: g.vendorId, site_id: g.siteId, team_id: g.teamId,
    outcome: g.outcome, decided_on: g.decidedOn, note: g.note, evidence: JSON.stringify(g.evidence), decided_by_label: g.decidedByLabel,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The training core's member status follows a graduation or an exit. */
export async function setMemberStatus(db: Executor, cohortId: string, personId: string, status: 'active' | 'graduated' | 'withdrawn', at: Date): Promise<void> {
  await sql`UPDATE cohort_members SET status = ${status}, left_at = CASE WHEN ${status} = 'active' THEN NULL ELSE ${at}::timestamptz END
            WHERE cohort_id = ${cohortId} AND person_id = ${personId}`.execute(db);
}

export async function findPersonRef(db: Executor, id: string): Promise<{ id: string; full_name: string; vendor_id: string; site_id: string; team_id: string | null; job_role: string } | undefined> {
  return db.selectFrom('people').select(['id', 'full_name', 'vendor_id', 'site_id', 'team_id', 'job_role']).where('id', '=', id).executeTakeFirst();
}

export async function findCourseTitle(db: Executor, id: string): Promise<string | undefined> {
  const { rows } = await sql<{ title: string }>`SELECT title FROM courses WHERE id = ${id}`.execute(db);
  return rows[0]?.title;
}

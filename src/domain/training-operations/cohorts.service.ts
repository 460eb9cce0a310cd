import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-operations-cohorts.repository.ts';
import type { AttendanceStatus, CohortSessionStatus } from '../../db/schema-training-operations.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { conflict, invalid, Issues, notFound } from '../errors.ts';
import type { ProportionInterval } from '../stats/proportions.ts';
import { attendanceRate, checkSession } from './cohort-operations.rules.ts';
import { inviteSessionAttendees } from './surveys.service.ts';
import type { CohortSession, CohortSummary, SessionRoster } from './training-operations.types.ts';
export type { CohortSession, CohortSummary, SessionRoster };

/**
 * Running a cohort (issue 7, item 5): its trainers, the schedule of sessions,
 * attendance taken per session. Nesting targets and graduation are in
 * nesting.service.ts. Cohorts themselves (members, program) are the training
 * core's; a cohort outside the viewer's scope answers 404.
 */

export async function loadCohort(trx: Executor, cohortId: string): Promise<repo.CohortRow> {
  const cohort = await repo.findCohort(trx, cohortId);
  if (!cohort) throw notFound('Cohort');
  return cohort;
}

export async function listCohortOperations(trx: Executor, filter: { status?: string; trainerId?: string }): Promise<{ items: CohortSummary[] }> {
  const rows = await repo.listCohorts(trx, filter);
  return {
    items: rows.map((r) => ({
      id: r.id, name: r.name, vendorId: r.vendor_id, vendorName: r.vendor_name, siteId: r.site_id, siteName: r.site_name,
      workflowId: r.workflow_id, workflowName: r.workflow_name, startDate: r.start_date, status: r.status,
      members: r.members, sessions: r.sessions, sessionsCompleted: r.sessions_completed,
      nextSessionAt: r.next_session_at?.toISOString() ?? null, trainerNames: r.trainer_names, hasNesting: r.has_nesting,
    })),
  };
}

function toSession(r: repo.SessionRow): CohortSession {
  return {
    id: r.id, cohortId: r.cohort_id, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(), topic: r.topic, location: r.location,
    trainerId: r.trainer_id, trainerName: r.trainer_name, courseId: r.course_id, courseTitle: r.course_title, status: r.status,
    completedAt: r.completed_at?.toISOString() ?? null, counts: { present: r.present, late: r.late, absent: r.absent, excused: r.excused },
  };
}

export interface CohortMemberAttendance {
  personId: string;
  fullName: string | null;
  memberStatus: string;
  hireDate: string;
  attendance: ProportionInterval & { excused: number; late: number };
}

export interface CohortOperations {
  cohort: Omit<CohortSummary, 'members' | 'sessions' | 'sessionsCompleted' | 'nextSessionAt' | 'trainerNames' | 'hasNesting'>;
  trainers: Array<{ personId: string; fullName: string | null; role: 'lead' | 'co' }>;
  sessions: CohortSession[];
  members: CohortMemberAttendance[];
  /** Attendance over the whole cohort: (present + late) / expected, excused left out. */
  attendance: ProportionInterval;
}

export async function getCohortOperations(trx: Executor, cohortId: string): Promise<CohortOperations> {
  const c = await loadCohort(trx, cohortId);
  const [trainers, sessions, members, attendance] = await Promise.all([
    repo.listCohortTrainers(trx, cohortId),
    repo.listSessions(trx, cohortId),
    repo.listMembers(trx, cohortId),
    repo.listAttendance(trx, { cohortId }),
  ]);
  const completed = new Set(sessions.filter((s) => s.status === 'completed').map((s) => s.id));
  const byPerson = new Map<string, AttendanceStatus[]>();
  for (const a of attendance) {
    if (!completed.has(a.session_id)) continue;
    const list = byPerson.get(a.person_id) ?? [];
    list.push(a.status);
    byPerson.set(a.person_id, list);
  }
  const all = [...byPerson.values()].flat();
  return {
    cohort: {
      id: c.id, name: c.name, vendorId: c.vendor_id, vendorName: c.vendor_name, siteId: c.site_id, siteName: c.site_name,
      workflowId: c.workflow_id, workflowName: c.workflow_name, startDate: c.start_date, status: c.status,
    },
    trainers: trainers.map((t) => ({ personId: t.person_id, fullName: t.full_name, role: t.role })),
    sessions: sessions.map(toSession),
    members: members.map((m) => ({
      personId: m.person_id, fullName: m.full_name, memberStatus: m.member_status, hireDate: m.hire_date,
      attendance: attendanceRate(byPerson.get(m.person_id) ?? []),
    })),
    attendance: attendanceRate(all),
  };
}

export async function setCohortTrainers(
  trx: Executor,
  actor: Actor,
  cohortId: string,
  input: { trainers: Array<{ personId: string; role: 'lead' | 'co' }> },
): Promise<CohortOperations> {
  const cohort = await loadCohort(trx, cohortId);
  const issues = new Issues();
  const seen = new Set<string>();
  for (const [i, t] of input.trainers.entries()) {
    if (seen.has(t.personId)) issues.add(`/trainers/${i}/personId`, 'This person is named twice.');
    seen.add(t.personId);
    if (!(await repo.findPersonRef(trx, t.personId))) issues.add(`/trainers/${i}/personId`, 'No such person in your scope.');
  }
  issues.check(input.trainers.filter((t) => t.role === 'lead').length <= 1, '/trainers', 'A cohort has at most one lead trainer.');
  issues.throwIfAny();
  await repo.replaceCohortTrainers(trx, cohortId, input.trainers);
  await audit(trx, actor, { action: 'cohort.trainers.set', entityType: 'cohort', entityId: cohortId, vendorId: cohort.vendor_id, details: { trainers: input.trainers } });
  return getCohortOperations(trx, cohortId);
}

export interface SessionWrite {
  startsAt: string;
  endsAt: string;
  topic: string;
  location?: string;
  trainerId?: string | null;
  courseId?: string | null;
}

async function checkRefs(trx: Executor, input: { trainerId?: string | null; courseId?: string | null }, issues: Issues): Promise<void> {
  if (input.trainerId && !(await repo.findPersonRef(trx, input.trainerId))) issues.add('/trainerId', 'No such person in your scope.');
  if (input.courseId && (await repo.findCourseTitle(trx, input.courseId)) === undefined) issues.add('/courseId', 'No such course.');
}

export async function scheduleSession(trx: Executor, actor: Actor, cohortId: string, input: SessionWrite): Promise<CohortSession> {
  const cohort = await loadCohort(trx, cohortId);
  const issues = checkSession(input);
  await checkRefs(trx, input, issues);
  issues.throwIfAny();
  const id = await repo.insertSession(trx, {
    cohortId, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), topic: input.topic.trim(), location: (input.location ?? '').trim(),
    trainerId: input.trainerId ?? null, courseId: input.courseId ?? null,
  });
  await audit(trx, actor, { action: 'cohort.session.schedule', entityType: 'cohort_session', entityId: id, vendorId: cohort.vendor_id, details: { cohortId, ...input } });
  return toSession((await repo.findSession(trx, id))!);
}

async function loadSession(trx: Executor, sessionId: string): Promise<{ session: repo.SessionRow; cohort: repo.CohortRow }> {
  const session = await repo.findSession(trx, sessionId);
  if (!session) throw notFound('Session');
  return { session, cohort: await loadCohort(trx, session.cohort_id) };
}

export interface SessionPatch extends Partial<SessionWrite> {
  status?: CohortSessionStatus;
}

/** Reschedules, completes or cancels a session; completing it invites its attendees to the reaction survey. */
export async function updateSession(trx: Executor, actor: Actor, sessionId: string, patch: SessionPatch): Promise<CohortSession & { surveyInvitations: number }> {
  const { session, cohort } = await loadSession(trx, sessionId);
  if (session.status !== 'scheduled' && patch.status !== undefined && patch.status !== session.status) {
    throw conflict(`This session is ${session.status}; it cannot become ${patch.status}.`, '/status');
  }
  const merged = {
    startsAt: patch.startsAt ?? session.starts_at.toISOString(),
    endsAt: patch.endsAt ?? session.ends_at.toISOString(),
    topic: patch.topic ?? session.topic,
  };
  const issues = checkSession(merged);
  await checkRefs(trx, patch, issues);
  issues.throwIfAny();
  const completing = patch.status === 'completed' && session.status !== 'completed';
  await repo.updateSession(trx, sessionId, {
    starts_at: new Date(merged.startsAt), ends_at: new Date(merged.endsAt), topic: merged.topic.trim(),
    ...(patch.location !== undefined && { location: patch.location.trim() }),
    ...(patch.trainerId !== undefined && { trainer_id: patch.trainerId }),
    ...(patch.status !== undefined && { status: patch.status, completed_at: patch.status === 'completed' ? new Date() : null }),
  });
  const invitations = completing ? await inviteSessionAttendees(trx, actor, sessionId) : 0;
  await audit(trx, actor, { action: 'cohort.session.update', entityType: 'cohort_session', entityId: sessionId, vendorId: cohort.vendor_id, details: { ...patch, surveyInvitations: invitations } });
  return { ...toSession((await repo.findSession(trx, sessionId))!), surveyInvitations: invitations };
}

export async function getSessionRoster(trx: Executor, sessionId: string): Promise<SessionRoster> {
  const { session, cohort } = await loadSession(trx, sessionId);
  const [members, attendance] = await Promise.all([repo.listMembers(trx, cohort.id), repo.listAttendance(trx, { sessionId })]);
  const byPerson = new Map(attendance.map((a) => [a.person_id, a]));
  return {
    session: toSession(session),
    cohort: { id: cohort.id, name: cohort.name, vendorName: cohort.vendor_name, siteName: cohort.site_name },
    roster: members.map((m) => {
      const a = byPerson.get(m.person_id);
      return {
        personId: m.person_id, fullName: m.full_name, memberStatus: m.member_status, status: a?.status ?? null, note: a?.note ?? '',
        recordedBy: a?.recorded_by_label ?? null, recordedAt: a?.recorded_at.toISOString() ?? null,
      };
    }),
  };
}

/** Takes (or corrects) attendance for some or all members; each record replaces that member's earlier one. */
export async function recordAttendance(
  trx: Executor,
  actor: Actor,
  sessionId: string,
  input: { records: Array<{ personId: string; status: AttendanceStatus; note?: string }> },
): Promise<SessionRoster> {
  const { session, cohort } = await loadSession(trx, sessionId);
  if (session.status === 'cancelled') throw conflict('This session was cancelled; there is no attendance to take.');
  const members = new Map((await repo.listMembers(trx, cohort.id)).map((m) => [m.person_id, m]));
  const issues = new Issues();
  const seen = new Set<string>();
  input.records.forEach((r, i) => {
    if (!members.has(r.personId)) issues.add(`/records/${i}/personId`, 'Not a member of this cohort.');
    if (seen.has(r.personId)) issues.add(`/records/${i}/personId`, 'This member is named twice.');
    seen.add(r.personId);
  });
  if (input.records.length === 0) throw invalid([{ path: '/records', message: 'Record at least one member.' }]);
  issues.throwIfAny();
  await repo.upsertAttendance(trx, input.records.map((r) => {
    const m = members.get(r.personId)!;
    return { sessionId, personId: r.personId, vendorId: m.vendor_id, siteId: m.site_id, teamId: m.team_id, status: r.status, note: (r.note ?? '').trim(), recordedByLabel: actor.label };
  }));
  await audit(trx, actor, {
    action: 'cohort.attendance.record', entityType: 'cohort_session', entityId: sessionId, vendorId: cohort.vendor_id,
    details: { records: input.records.map((r) => ({ personId: r.personId, status: r.status })) },
  });
  return getSessionRoster(trx, sessionId);
}

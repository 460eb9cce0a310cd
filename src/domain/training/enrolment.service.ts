import { emitTrainingEvents } from '../xapi/xapi-training-events.service.ts';
import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/training-enrolments.repository.ts';
import * as content from '../../db/repositories/training-content.repository.ts';
import type { EnrolmentSource, EnrolmentStatus } from '../../db/schema-training.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { completionFigures, isOverdue, type CompletionFigures } from './completion.rules.ts';
import type { Cohort } from './training.types.ts';
export type { Cohort };

/**
 * Enrolment: assigning a course's published version to people, a team, a
 * cohort or by rule (new hires of a workflow), due dates, and the completion
 * figures managers read. One open enrolment per person and course, so
 * assigning again (or a rule running twice) changes nothing.
 */

const DAY_MS = 86_400_000;

export interface Enrolment {
  id: string;
  personId: string;
  personName: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  courseId: string;
  courseTitle: string;
  workflowId: string;
  courseVersionId: string;
  courseVersion: number;
  source: EnrolmentSource;
  cohortId: string | null;
  cohortName: string | null;
  dueAt: string | null;
  status: EnrolmentStatus;
  overdue: boolean;
  startedAt: string | null;
  completedAt: string | null;
  score: number | null;
  createdAt: string;
}

export function presentEnrolment(r: repo.EnrolmentRecord, now = new Date()): Enrolment {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    siteId: r.site_id,
    siteName: r.site_name,
    courseId: r.course_id,
    courseTitle: r.course_title,
    workflowId: r.workflow_id,
    courseVersionId: r.course_version_id,
    courseVersion: r.course_version,
    source: r.source,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    dueAt: r.due_at?.toISOString() ?? null,
    status: r.status,
    overdue: isOverdue(r.status, r.due_at, now),
    startedAt: r.started_at?.toISOString() ?? null,
    completedAt: r.completed_at?.toISOString() ?? null,
    score: r.score === null ? null : Number(r.score),
    createdAt: r.created_at.toISOString(),
  };
}

export interface AssignInput {
  courseId: string;
  personIds?: string[];
  teamId?: string;
  cohortId?: string;
  dueAt?: string | null;
}

function dueDate(issues: Issues, dueAt: string | null | undefined, now: Date): Date | null {
  if (dueAt === undefined || dueAt === null) return null;
  const d = new Date(dueAt.length === 10 ? `${dueAt}T23:59:59Z` : dueAt);
  issues.check(!Number.isNaN(d.getTime()), '/dueAt', 'Give a date.');
  issues.check(Number.isNaN(d.getTime()) || d.getTime() > now.getTime(), '/dueAt', 'The due date is in the past.');
  return d;
}

/** The published version of a visible, active course, or a validation failure. */
async function publishedVersionOf(trx: Executor, issues: Issues, courseId: string) {
  const course = await content.findCourse(trx, courseId);
  if (!course) {
    issues.add('/courseId', 'No such course.');
    return null;
  }
  if (course.status !== 'active') issues.add('/courseId', 'The course is retired.');
  if (!course.published_version_id) issues.add('/courseId', 'The course has no published version yet; publish it first.');
  return course;
}

export async function assign(trx: Executor, actor: Actor, input: AssignInput, now = new Date()): Promise<{ created: number; alreadyEnrolled: number; enrolmentIds: string[] }> {
  const issues = new Issues();
  const targets = [input.personIds && input.personIds.length > 0, input.teamId, input.cohortId].filter(Boolean).length;
  issues.check(targets === 1, '/personIds', 'Assign to people, a team or a cohort (exactly one).');
  const dueAt = dueDate(issues, input.dueAt, now);
  const course = await publishedVersionOf(trx, issues, input.courseId);
  issues.throwIfAny();
  let source: EnrolmentSource = 'person';
  let sourceRefId: string | null = null;
  let people: Array<{ id: string; vendor_id: string; site_id: string; status: string }> = [];
  let cohortId: string | null = null;
  if (input.personIds && input.personIds.length > 0) {
    const ids = [...new Set(input.personIds)];
    people = await repo.peopleRefs(trx, ids);
    // Out-of-scope people are not there for the caller: say "not found", never "not yours".
    if (people.length !== ids.length) throw new AppError('NOT_FOUND', 'Person not found.');
  } else if (input.teamId) {
    source = 'team';
    sourceRefId = input.teamId;
    const team = await trx.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst();
    if (!team) throw notFound('Team');
    people = await repo.teamMembers(trx, input.teamId);
  } else if (input.cohortId) {
    source = 'cohort';
    sourceRefId = input.cohortId;
    cohortId = input.cohortId;
    const cohort = await repo.findCohort(trx, input.cohortId);
    if (!cohort) throw notFound('Cohort');
    const members = await repo.cohortMembers(trx, input.cohortId);
    people = members.filter((m) => m.status === 'active').map((m) => ({ id: m.person_id, vendor_id: m.vendor_id, site_id: m.site_id, status: 'active' }));
  }
  if (course!.vendor_id !== null && people.some((p) => p.vendor_id !== course!.vendor_id)) {
    throw new AppError('VALIDATION_FAILED', "This course belongs to one vendor; it can be assigned to that vendor's people only.", [{ path: '/courseId', message: "The course is another vendor's." }]);
  }
  const rows = people
    .filter((p) => p.status !== 'inactive')
    .map((p) => ({
      personId: p.id,
      vendorId: p.vendor_id,
      siteId: p.site_id,
      courseId: course!.id,
      courseVersionId: course!.published_version_id!,
      source,
      sourceRefId,
      cohortId,
      dueAt,
      assignedBy: actor.userId,
    }));
  const created = await repo.insertEnrolments(trx, rows);
  await emitTrainingEvents(trx, created.map((c) => ({ kind: 'registered', key: c.id, at: now, personId: c.person_id, courseId: course!.id, enrolmentId: c.id })));
  await audit(trx, actor, {
    action: 'training.enrolment.assign',
    entityType: 'course',
    entityId: course!.id,
    details: { source, sourceRefId, versionId: course!.published_version_id, created: created.length, alreadyEnrolled: rows.length - created.length, dueAt: dueAt?.toISOString() ?? null },
  });
  return { created: created.length, alreadyEnrolled: rows.length - created.length, enrolmentIds: created.map((c) => c.id) };
}

export async function listEnrolments(trx: Executor, filter: repo.EnrolmentFilter & { overdue?: boolean }, page: Page, now = new Date()) {
  const { rows, total } = await repo.listEnrolments(trx, { ...filter, overdueAt: filter.overdue ? now : undefined }, page);
  return { items: rows.map((r) => presentEnrolment(r, now)), total };
}

export async function getEnrolment(trx: Executor, id: string): Promise<Enrolment> {
  const row = await repo.findEnrolment(trx, id);
  if (!row) throw notFound('Enrolment');
  return presentEnrolment(row);
}

export async function updateEnrolment(trx: Executor, actor: Actor, id: string, patch: { dueAt?: string | null; status?: 'withdrawn' }): Promise<Enrolment> {
  const before = await getEnrolment(trx, id);
  const issues = new Issues();
  const dueAt = patch.dueAt === undefined ? undefined : dueDate(issues, patch.dueAt, new Date());
  issues.throwIfAny();
  if (before.status === 'completed' || before.status === 'withdrawn') throw new AppError('CONFLICT', `This enrolment is ${before.status}.`);
  await repo.updateEnrolment(trx, id, { ...(dueAt !== undefined && { due_at: dueAt }), ...(patch.status && { status: patch.status }) });
  await audit(trx, actor, { action: 'training.enrolment.update', entityType: 'enrolment', entityId: id, vendorId: before.vendorId, details: { dueAt: patch.dueAt, status: patch.status } });
  return getEnrolment(trx, id);
}

/**
 * Open enrolments due before `dueBefore` in the caller's scope (the
 * executor's row-level security applies), for reminders and overdue views.
 * `status` narrows to assigned or in-progress ones; default both.
 */
export async function listEnrolmentsDue(
  trx: Executor,
  options: { dueBefore: Date; status?: 'assigned' | 'in_progress' | Array<'assigned' | 'in_progress'> },
): Promise<Array<Enrolment & { personEmail: string | null }>> {
  const statuses = options.status === undefined ? ['assigned' as const, 'in_progress' as const] : Array.isArray(options.status) ? options.status : [options.status];
  const rows = await repo.enrolmentsDue(trx, options.dueBefore, statuses);
  return rows.map((r) => ({ ...presentEnrolment(r), personEmail: r.person_email }));
}

export interface CompletionRow extends CompletionFigures {
  groupId: string;
  groupName: string | null;
  courseId: string;
  courseTitle: string;
}

export async function completionReport(trx: Executor, groupBy: repo.CompletionGrouping, filter: { courseId?: string }, now = new Date()): Promise<CompletionRow[]> {
  const rows = await repo.completionCounts(trx, groupBy, { courseId: filter.courseId, at: now });
  return rows.map((r) => ({ groupId: r.group_id, groupName: r.group_name, courseId: r.course_id, courseTitle: r.course_title, ...completionFigures(r) }));
}

// Cohorts -------------------------------------------------------------------

function presentCohort(r: repo.CohortRecord): Cohort {
  return {
    id: r.id,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    siteId: r.site_id,
    siteName: r.site_name,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    programId: r.program_id,
    programName: r.program_name,
    name: r.name,
    startDate: r.start_date,
    status: r.status,
    memberCount: r.member_count ?? 0,
  };
}

export async function listCohorts(trx: Executor, filter: { vendorId?: string; siteId?: string; workflowId?: string }): Promise<Cohort[]> {
  return (await repo.listCohorts(trx, filter)).map(presentCohort);
}

export async function getCohort(trx: Executor, id: string) {
  const row = await repo.findCohort(trx, id);
  if (!row) throw notFound('Cohort');
  const members = await repo.cohortMembers(trx, id);
  return { ...presentCohort(row), members: members.map((m) => ({ personId: m.person_id, fullName: m.full_name, status: m.status, joinedAt: m.joined_at.toISOString() })) };
}

export async function createCohort(
  trx: Executor,
  actor: Actor,
  input: { siteId: string; workflowId: string; programId?: string | null; name: string; startDate: string; memberIds?: string[] },
) {
  const issues = new Issues();
  const name = input.name.trim().replace(/\s+/g, ' ');
  issues.check(name.length > 0 && name.length <= 120, '/name', 'Enter a name of at most 120 characters.');
  issues.check(/^\d{4}-\d{2}-\d{2}$/.test(input.startDate) && !Number.isNaN(Date.parse(input.startDate)), '/startDate', 'Give a date (YYYY-MM-DD).');
  const site = await trx.selectFrom('sites').select(['id', 'vendor_id', 'status']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) issues.add('/siteId', 'No such site.');
  const workflow = await content.workflowRef(trx, input.workflowId);
  if (!workflow) issues.add('/workflowId', 'No such workflow.');
  if (input.programId && !(await content.findProgram(trx, input.programId))) issues.add('/programId', 'No such program.');
  issues.throwIfAny();
  if (actor.scope.kind === 'team' || actor.scope.kind === 'self') throw new AppError('FORBIDDEN', 'Only people with site-wide or wider scope can add cohorts.');
  const { id } = await repo.insertCohort(trx, { vendorId: site!.vendor_id, siteId: site!.id, workflowId: input.workflowId, programId: input.programId ?? null, name, startDate: input.startDate, createdBy: actor.userId });
  await audit(trx, actor, { action: 'training.cohort.create', entityType: 'cohort', entityId: id, vendorId: site!.vendor_id, details: { name, siteId: site!.id, startDate: input.startDate } });
  if (input.memberIds && input.memberIds.length > 0) await addCohortMembers(trx, actor, id, input.memberIds);
  return getCohort(trx, id);
}

export async function addCohortMembers(trx: Executor, actor: Actor, cohortId: string, personIds: string[]) {
  const cohort = await repo.findCohort(trx, cohortId);
  if (!cohort) throw notFound('Cohort');
  const ids = [...new Set(personIds)];
  const people = await repo.peopleRefs(trx, ids);
  if (people.length !== ids.length) throw new AppError('NOT_FOUND', 'Person not found.');
  if (people.some((p) => p.vendor_id !== cohort.vendor_id)) {
    throw new AppError('VALIDATION_FAILED', "A cohort's members work for its vendor.", [{ path: '/personIds', message: "Someone listed works for another vendor." }]);
  }
  await repo.addCohortMembers(trx, cohortId, ids);
  await audit(trx, actor, { action: 'training.cohort.members_add', entityType: 'cohort', entityId: cohortId, vendorId: cohort.vendor_id, details: { personIds: ids } });
  return getCohort(trx, cohortId);
}

// Rules ---------------------------------------------------------------------

export interface EnrolmentRule {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  siteId: string | null;
  siteName: string | null;
  workflowId: string;
  workflowName: string;
  courseId: string;
  courseTitle: string;
  kind: 'new_hire';
  hiredOnOrAfter: string;
  dueDays: number;
  status: 'active' | 'inactive';
}

export async function listRules(trx: Executor): Promise<EnrolmentRule[]> {
  const rows = await repo.listRules(trx);
  return rows.map((r) => ({
    id: r.id,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    siteId: r.site_id,
    siteName: r.site_name,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    courseId: r.course_id,
    courseTitle: r.course_title,
    kind: r.kind,
    hiredOnOrAfter: r.hired_on_or_after,
    dueDays: r.due_days,
    status: r.status,
  }));
}

export async function createRule(
  trx: Executor,
  actor: Actor,
  input: { vendorId?: string | null; siteId?: string | null; workflowId: string; courseId: string; hiredOnOrAfter: string; dueDays?: number },
  now = new Date(),
) {
  const issues = new Issues();
  issues.check(/^\d{4}-\d{2}-\d{2}$/.test(input.hiredOnOrAfter), '/hiredOnOrAfter', 'Give a date (YYYY-MM-DD).');
  const dueDays = input.dueDays ?? 14;
  issues.check(Number.isInteger(dueDays) && dueDays >= 1 && dueDays <= 365, '/dueDays', 'Between 1 and 365 days.');
  await publishedVersionOf(trx, issues, input.courseId);
  if (!(await content.workflowRef(trx, input.workflowId))) issues.add('/workflowId', 'No such workflow.');
  let vendorId = actor.scope.kind === 'all' ? (input.vendorId ?? null) : actor.scope.vendorId;
  let siteId = input.siteId ?? (actor.scope.kind === 'site' ? actor.scope.siteId : null);
  if (siteId) {
    const site = await trx.selectFrom('sites').select(['id', 'vendor_id']).where('id', '=', siteId).executeTakeFirst();
    if (!site) issues.add('/siteId', 'No such site.');
    else vendorId = site.vendor_id;
  }
  if (actor.scope.kind === 'team' || actor.scope.kind === 'self') issues.add('/siteId', 'Rules are set by people with site-wide or wider scope.');
  issues.throwIfAny();
  if (actor.scope.kind === 'site') siteId = actor.scope.siteId;
  const { id } = await repo.insertRule(trx, { vendorId, siteId, workflowId: input.workflowId, courseId: input.courseId, hiredOnOrAfter: input.hiredOnOrAfter, dueDays, createdBy: actor.userId });
  await audit(trx, actor, { action: 'training.enrolment_rule.create', entityType: 'enrolment_rule', entityId: id, vendorId, details: { ...input, dueDays } });
  const applied = await applyEnrolmentRules(trx, actor, { ruleId: id }, now);
  return { rule: (await listRules(trx)).find((r) => r.id === id)!, enrolled: applied.enrolled };
}

export async function setRuleStatus(trx: Executor, actor: Actor, id: string, status: 'active' | 'inactive') {
  const rule = await repo.findRule(trx, id);
  if (!rule) throw notFound('Enrolment rule');
  await repo.setRuleStatus(trx, id, status);
  await audit(trx, actor, { action: 'training.enrolment_rule.update', entityType: 'enrolment_rule', entityId: id, vendorId: rule.vendor_id, details: { status } });
  return (await listRules(trx)).find((r) => r.id === id)!;
}

/**
 * Enrols every person an active rule matches who was never enrolled on its
 * course. Idempotent: run it as often as you like. People who gain a
 * workflow skill later are enrolled by the database trigger of migration
 * 0012 with the same matching. Due dates run from the later of the hire date
 * and now.
 */
export async function applyEnrolmentRules(trx: Executor, actor: Actor, options: { ruleId?: string; personId?: string } = {}, now = new Date()): Promise<{ enrolled: number }> {
  const rules = (await repo.activeRules(trx)).filter((r) => !options.ruleId || r.id === options.ruleId);
  let enrolled = 0;
  for (const rule of rules) {
    const course = await content.findCourse(trx, rule.course_id);
    if (!course?.published_version_id || course.status !== 'active') continue;
    const people = await repo.peopleMatchingRule(trx, rule, options.personId);
    const rows = people
      .filter((p) => course.vendor_id === null || p.vendor_id === course.vendor_id)
      .map((p) => {
        const from = Math.max(now.getTime(), Date.parse(`${p.hire_date}T00:00:00Z`));
        return {
          personId: p.id,
          vendorId: p.vendor_id,
          siteId: p.site_id,
          courseId: rule.course_id,
          courseVersionId: course.published_version_id!,
          source: 'rule' as const,
          sourceRefId: rule.id,
          cohortId: null,
          dueAt: new Date(from + rule.due_days * DAY_MS),
          assignedBy: actor.userId,
        };
      });
    const created = await repo.insertEnrolments(trx, rows);
    await emitTrainingEvents(trx, created.map((c) => ({ kind: 'registered', key: c.id, at: now, personId: c.person_id, courseId: rule.course_id, enrolmentId: c.id })));
    enrolled += created.length;
    if (created.length > 0) {
      await audit(trx, actor, { action: 'training.enrolment_rule.apply', entityType: 'enrolment_rule', entityId: rule.id, vendorId: rule.vendor_id, details: { enrolled: created.length } });
    }
  }
  return { enrolled };
}

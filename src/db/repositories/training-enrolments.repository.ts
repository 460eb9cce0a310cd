import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { EnrolmentSource, EnrolmentStatus } from '../schema-training.ts';
import { totalCount, type Page } from './pagination.ts';

/** Cohorts and their members, enrolments, module progress and enrolment rules (migration 0012). */

function cohortsWithNames(db: Executor) {
  return db
    .selectFrom('cohorts as c')
    .innerJoin('vendors as v', 'v.id', 'c.vendor_id')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .innerJoin('workflows as w', 'w.id', 'c.workflow_id')
    .leftJoin('training_programs as p', 'p.id', 'c.program_id')
    .selectAll('c')
    .select(['v.name as vendor_name', 's.name as site_name', 'w.name as workflow_name', 'p.name as program_name'])
    .select((eb) =>
      eb.selectFrom('cohort_members as m').whereRef('m.cohort_id', '=', 'c.id').where('m.status', '<>', 'withdrawn').select(sql<number>`count(*)::int`.as('n')).as('member_count'),
    );
}
export type CohortRecord = NonNullable<Awaited<ReturnType<typeof findCohort>>>;

export async function listCohorts(db: Executor, filter: { vendorId?: string; siteId?: string; workflowId?: string }) {
  let query = cohortsWithNames(db);
  if (filter.vendorId) query = query.where('c.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('c.site_id', '=', filter.siteId);
  if (filter.workflowId) query = query.where('c.workflow_id', '=', filter.workflowId);
  return query.orderBy('c.start_date', 'desc').orderBy('c.name').execute();
}

export async function findCohort(db: Executor, id: string) {
  return cohortsWithNames(db).where('c.id', '=', id).executeTakeFirst();
}

export async function insertCohort(
  db: Executor,
  row: { vendorId: string; siteId: string; workflowId: string; programId: string | null; name: string; startDate: string; createdBy: string | null },
) {
  return db
    .insertInto('cohorts')
    .values({ vendor_id: row.vendorId, site_id: row.siteId, workflow_id: row.workflowId, program_id: row.programId, name: row.name, start_date: row.startDate, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function cohortMembers(db: Executor, cohortId: string) {
  return db
    .selectFrom('cohort_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id', 'm.status', 'm.joined_at', 'p.full_name', 'p.vendor_id', 'p.site_id', 'p.team_id'])
    .where('m.cohort_id', '=', cohortId)
    .orderBy('p.full_name')
    .execute();
}

export async function addCohortMembers(db: Executor, cohortId: string, personIds: string[]) {
  if (personIds.length === 0) return;
  await db
    .insertInto('cohort_members')
    .values(personIds.map((person_id) => ({ cohort_id: cohortId, person_id })))
    .onConflict((oc) => oc.columns(['cohort_id', 'person_id']).doUpdateSet({ status: 'active', left_at: null }))
    .execute();
}

export async function peopleRefs(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['id', 'vendor_id', 'site_id', 'team_id', 'full_name', 'status', 'hire_date']).where('id', 'in', ids).execute();
}

export async function teamMembers(db: Executor, teamId: string) {
  return db.selectFrom('people').select(['id', 'vendor_id', 'site_id', 'team_id', 'full_name', 'status', 'hire_date']).where('team_id', '=', teamId).where('status', '=', 'active').execute();
}

export interface EnrolmentInsert {
  personId: string;
  vendorId: string;
  siteId: string;
  courseId: string;
  courseVersionId: string;
  source: EnrolmentSource;
  sourceRefId: string | null;
  cohortId: string | null;
  dueAt: Date | null;
  assignedBy: string | null;
}

/** Inserts the enrolments not already open for (person, course); returns the ids written. */
export async function insertEnrolments(db: Executor, rows: EnrolmentInsert[]): Promise<Array<{ id: string; person_id: string }>> {
  if (rows.length === 0) return [];
  return db
    .insertInto('enrolments')
    .values(
      rows.map((r) => ({
        person_id: r.personId,
        vendor_id: r.vendorId,
        site_id: r.siteId,
        course_id: r.courseId,
        course_version_id: r.courseVersionId,
        source: r.source,
        source_ref_id: r.sourceRefId,
        cohort_id: r.cohortId,
        due_at: r.dueAt,
        assigned_by: r.assignedBy,
      })),
    )
    // The partial index's predicate as literals: a parameter would stop PostgreSQL matching the
    // index once the prepared statement switches to its generic plan.
    .onConflict((oc) => oc.columns(['person_id', 'course_id']).where(sql<boolean>`status IN ('assigned', 'in_progress')`).doNothing())
    .returning(['id', 'person_id'])
    .execute();
}

function enrolmentsWithNames(db: Executor) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .innerJoin('course_versions as cv', 'cv.id', 'e.course_version_id')
    .innerJoin('vendors as v', 'v.id', 'e.vendor_id')
    .innerJoin('sites as s', 's.id', 'e.site_id')
    .leftJoin('cohorts as co', 'co.id', 'e.cohort_id')
    .selectAll('e')
    .select([
      'p.full_name as person_name',
      'c.title as course_title',
      'c.workflow_id',
      'cv.version as course_version',
      'cv.title as version_title',
      'v.name as vendor_name',
      's.name as site_name',
      'co.name as cohort_name',
    ]);
}
export type EnrolmentRecord = NonNullable<Awaited<ReturnType<typeof findEnrolment>>>;

export interface EnrolmentFilter {
  personId?: string;
  courseId?: string;
  cohortId?: string;
  vendorId?: string;
  siteId?: string;
  status?: EnrolmentStatus;
  overdueAt?: Date;
}

export async function listEnrolments(db: Executor, filter: EnrolmentFilter, page: Page) {
  let query = enrolmentsWithNames(db);
  if (filter.personId) query = query.where('e.person_id', '=', filter.personId);
  if (filter.courseId) query = query.where('e.course_id', '=', filter.courseId);
  if (filter.cohortId) query = query.where('e.cohort_id', '=', filter.cohortId);
  if (filter.vendorId) query = query.where('e.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('e.site_id', '=', filter.siteId);
  if (filter.status) query = query.where('e.status', '=', filter.status);
  if (filter.overdueAt) query = query.where('e.status', 'in', ['assigned', 'in_progress']).where('e.due_at', '<', filter.overdueAt);
  const rows = await query
    .select(totalCount)
    .orderBy(sql`e.due_at NULLS LAST`)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? 0 };
}

export async function findEnrolment(db: Executor, id: string, forUpdate = false) {
  let query = enrolmentsWithNames(db).where('e.id', '=', id);
  if (forUpdate) query = query.forUpdate('e');
  return query.executeTakeFirst();
}

export async function updateEnrolment(
  db: Executor,
  id: string,
  patch: { status?: EnrolmentStatus; started_at?: Date; completed_at?: Date | null; score?: number | null; due_at?: Date | null },
) {
  await db.updateTable('enrolments').set(patch).where('id', '=', id).execute();
}

/** Open enrolments due before a moment (for reminders and overdue views; row-level security applies). */
export async function enrolmentsDue(db: Executor, dueBefore: Date, statuses: EnrolmentStatus[]) {
  return enrolmentsWithNames(db)
    .where('e.due_at', '<', dueBefore)
    .where('e.status', 'in', statuses)
    .select(['p.email as person_email'])
    .orderBy('e.due_at')
    .orderBy('e.id')
    .execute();
}

export async function progressFor(db: Executor, enrolmentIds: string[]) {
  if (enrolmentIds.length === 0) return [];
  return db.selectFrom('enrolment_module_progress').selectAll().where('enrolment_id', 'in', enrolmentIds).execute();
}

export async function recordModuleView(db: Executor, enrolmentId: string, moduleId: string, personId: string) {
  await db
    .insertInto('enrolment_module_progress')
    .values({ enrolment_id: enrolmentId, module_id: moduleId, person_id: personId })
    .onConflict((oc) => oc.columns(['enrolment_id', 'module_id']).doUpdateSet({ last_viewed_at: sql<Date>`now()` }))
    .execute();
}

export type CompletionGrouping = 'vendor' | 'site' | 'cohort' | 'trainer';

/**
 * Completion counts per group (vendor, site, cohort or trainer) and course, over the viewer's scope.
 * By trainer, an enrolment counts once for each trainer of its cohort (cohort_trainers), so a
 * co-trained cohort appears under both trainers; enrolments outside any cohort have no trainer.
 */
export async function completionCounts(db: Executor, groupBy: CompletionGrouping, filter: { courseId?: string; at: Date }) {
  const key =
    groupBy === 'vendor' ? sql.ref('e.vendor_id') : groupBy === 'site' ? sql.ref('e.site_id') : groupBy === 'cohort' ? sql.ref('e.cohort_id') : sql.ref('t.person_id');
  const name =
    groupBy === 'vendor'
      ? sql<string>`(SELECT name FROM vendors WHERE id = e.vendor_id)`
      : groupBy === 'site'
        ? sql<string>`(SELECT name FROM sites WHERE id = e.site_id)`
        : groupBy === 'cohort'
          ? sql<string>`(SELECT name FROM cohorts WHERE id = e.cohort_id)`
          : sql<string>`(SELECT full_name FROM people WHERE id = t.person_id)`;
  const trainerJoin = groupBy === 'trainer' ? sql`JOIN cohort_trainers t ON t.cohort_id = e.cohort_id` : sql``;
  const courseFilter = filter.courseId ? sql`AND e.course_id = ${filter.courseId}` : sql``;
  const cohortFilter = groupBy === 'cohort' ? sql`AND e.cohort_id IS NOT NULL` : sql``;
  const result = await sql<{ group_id: string; group_name: string | null; course_id: string; course_title: string; enrolled: number; completed: number; overdue: number; in_progress: number }>`
    SELECT g.group_id, g.group_name, g.course_id, c.title AS course_title, g.enrolled, g.completed, g.overdue, g.in_progress
    FROM (
      SELECT ${key} AS group_id, ${name} AS group_name, e.course_id,
        count(*)::int AS enrolled,
        count(*) FILTER (WHERE e.status = 'completed')::int AS completed,
        count(*) FILTER (WHERE e.status = 'in_progress')::int AS in_progress,
        count(*) FILTER (WHERE e.status IN ('assigned', 'in_progress') AND e.due_at < ${filter.at})::int AS overdue
      FROM enrolments e ${trainerJoin}
      WHERE e.status <> 'withdrawn' ${courseFilter} ${cohortFilter}
      GROUP BY 1, 2, 3
    ) g JOIN courses c ON c.id = g.course_id
    ORDER BY g.group_name, c.title`.execute(db);
  return result.rows;
}

export async function listRules(db: Executor) {
  return db
    .selectFrom('enrolment_rules as r')
    .innerJoin('workflows as w', 'w.id', 'r.workflow_id')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .leftJoin('vendors as v', 'v.id', 'r.vendor_id')
    .leftJoin('sites as s', 's.id', 'r.site_id')
    .selectAll('r')
    .select(['w.name as workflow_name', 'c.title as course_title', 'v.name as vendor_name', 's.name as site_name'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}

export async function findRule(db: Executor, id: string) {
  return db.selectFrom('enrolment_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(
  db: Executor,
  row: { vendorId: string | null; siteId: string | null; workflowId: string; courseId: string; hiredOnOrAfter: string; dueDays: number; createdBy: string | null },
) {
  return db
    .insertInto('enrolment_rules')
    .values({ vendor_id: row.vendorId, site_id: row.siteId, workflow_id: row.workflowId, course_id: row.courseId, hired_on_or_after: row.hiredOnOrAfter, due_days: row.dueDays, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function setRuleStatus(db: Executor, id: string, status: 'active' | 'inactive') {
  await db.updateTable('enrolment_rules').set({ status }).where('id', '=', id).execute();
}

/**
 * People a new-hire rule matches who have never been enrolled on its course
 * (by any route): active, hired on or after the rule's day, skilled in its
 * workflow, in its vendor/site when it names one. Idempotent by construction.
 */
export async function peopleMatchingRule(db: Executor, rule: { id: string; vendor_id: string | null; site_id: string | null; workflow_id: string; course_id: string; hired_on_or_after: string }, personId?: string) {
  let query = db
    .selectFrom('people as p')
    .select(['p.id', 'p.vendor_id', 'p.site_id', 'p.hire_date'])
    .where('p.status', '=', 'active')
    .where('p.hire_date', '>=', rule.hired_on_or_after)
    .where((eb) => eb.exists(eb.selectFrom('person_workflow_skills as k').whereRef('k.person_id', '=', 'p.id').where('k.workflow_id', '=', rule.workflow_id).select(sql`1`.as('one'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('enrolments as e').whereRef('e.person_id', '=', 'p.id').where('e.course_id', '=', rule.course_id).select(sql`1`.as('one')))));
  if (rule.vendor_id) query = query.where('p.vendor_id', '=', rule.vendor_id);
  if (rule.site_id) query = query.where('p.site_id', '=', rule.site_id);
  if (personId) query = query.where('p.id', '=', personId);
  return query.orderBy('p.id').execute();
}

export async function activeRules(db: Executor) {
  return db.selectFrom('enrolment_rules').selectAll().where('status', '=', 'active').orderBy('created_at').execute();
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { JobRole, PersonStatus } from '../schema.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

export interface PersonFilter {
  vendorId?: string;
  siteId?: string;
  teamId?: string;
  jobRole?: JobRole;
  status?: PersonStatus;
  workflowId?: string;
  q?: string;
}

/** People with their vendor, site and team names and workflow skills. */
function peopleWithNames(db: Executor) {
  return db
    .selectFrom('people as p')
    .innerJoin('sites as s', 's.id', 'p.site_id')
    .innerJoin('vendors as v', 'v.id', 'p.vendor_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .selectAll('p')
    .select(['v.name as vendor_name', 's.name as site_name', 't.name as team_name'])
    .select(
      sql<string[]>`array(
        SELECT pws.workflow_id::text FROM person_workflow_skills pws
        WHERE pws.person_id = p.id ORDER BY pws.workflow_id
      )`.as('workflow_ids'),
    );
}

export type PersonRecord = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function findPerson(db: Executor, id: string) {
  return peopleWithNames(db).where('p.id', '=', id).executeTakeFirst();
}

export async function listPeople(db: Executor, filter: PersonFilter, page: Page) {
  let query = peopleWithNames(db);
  if (filter.vendorId) query = query.where('p.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('p.site_id', '=', filter.siteId);
  if (filter.teamId) query = query.where('p.team_id', '=', filter.teamId);
  if (filter.jobRole) query = query.where('p.job_role', '=', filter.jobRole);
  if (filter.status) query = query.where('p.status', '=', filter.status);
  if (filter.workflowId) {
    const workflowId = filter.workflowId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_workflow_skills as k')
          .select(sql.lit(1).as('one'))
          .whereRef('k.person_id', '=', 'p.id')
          .where('k.workflow_id', '=', workflowId),
      ),
    );
  }
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([eb('p.full_name', 'ilike', pattern), eb('p.email', 'ilike', pattern), eb('p.employee_ref', 'ilike', pattern)]),
    );
  }
  const rows = await query
    .select(totalCount)
    .orderBy('p.full_name')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** A site a person could work at, if the viewer can see it. */
export async function findSiteRef(db: Executor, id: string) {
  return db.selectFrom('sites').select(['id', 'vendor_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

/** A team a person could be on, if the viewer can see it. */
export async function findTeamRef(db: Executor, id: string) {
  return db.selectFrom('teams').select(['id', 'site_id', 'vendor_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export interface PersonValues {
  vendorId: string;
  siteId: string;
  teamId: string | null;
  fullName: string;
  email: string | null;
  employeeRef: string | null;
  jobRole: JobRole;
  hireDate: string;
  languages: string[];
  status?: PersonStatus;
}

export async function insertPerson(db: Executor, values: PersonValues) {
  return db
    .insertInto('people')
    .values({
      vendor_id: values.vendorId,
      site_id: values.siteId,
      team_id: values.teamId,
      full_name: values.fullName,
      email: values.email,
      employee_ref: values.employeeRef,
      job_role: values.jobRole,
      hire_date: values.hireDate,
      languages: values.languages,
      ...(values.status !== undefined && { status: values.status }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updatePerson(db: Executor, id: string, values: Partial<PersonValues>) {
  const set = {
    ...(values.vendorId !== undefined && { vendor_id: values.vendorId }),
    ...(values.siteId !== undefined && { site_id: values.siteId }),
    ...(values.teamId !== undefined && { team_id: values.teamId }),
    ...(values.fullName !== undefined && { full_name: values.fullName }),
    ...(values.email !== undefined && { email: values.email }),
    ...(values.employeeRef !== undefined && { employee_ref: values.employeeRef }),
    ...(values.jobRole !== undefined && { job_role: values.jobRole }),
    ...(values.hireDate !== undefined && { hire_date: values.hireDate }),
    ...(values.languages !== undefined && { languages: values.languages }),
    ...(values.status !== undefined && { status: values.status }),
  };
  if (Object.keys(set).length === 0) return { id };
  return db.updateTable('people').set(set).where('id', '=', id).returning('id').executeTakeFirst();
}

/** Replaces a person's workflow skills with exactly `workflowIds`. */
export async function replaceWorkflowSkills(db: Executor, personId: string, workflowIds: readonly string[]): Promise<void> {
  let remove = db.deleteFrom('person_workflow_skills').where('person_id', '=', personId);
  if (workflowIds.length > 0) remove = remove.where('workflow_id', 'not in', [...workflowIds]);
  await remove.execute();
  if (workflowIds.length === 0) return;
  await db
    .insertInto('person_workflow_skills')
    .values(workflowIds.map((workflowId) => ({ person_id: personId, workflow_id: workflowId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

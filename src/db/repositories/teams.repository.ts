import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

type Status = 'active' | 'inactive';

export interface TeamFilter {
  vendorId?: string;
  siteId?: string;
  workflowId?: string;
  status?: Status;
  q?: string;
}

/** Teams with their vendor, site and workflow names and (in-scope) people count. */
function teamsWithNames(db: Executor) {
  return db
    .selectFrom('teams as t')
    .innerJoin('sites as s', 's.id', 't.site_id')
    .innerJoin('vendors as v', 'v.id', 't.vendor_id')
    .leftJoin('workflows as w', 'w.id', 't.workflow_id')
    .selectAll('t')
    .select(['v.name as vendor_name', 's.name as site_name', 'w.name as workflow_name'])
    .select((eb) =>
      eb.selectFrom('people as p').whereRef('p.team_id', '=', 't.id').select(sql<number>`count(*)::int`.as('n')).as('people_count'),
    );
}

export type TeamRecord = NonNullable<Awaited<ReturnType<typeof findTeam>>>;

export async function findTeam(db: Executor, id: string) {
  return teamsWithNames(db).where('t.id', '=', id).executeTakeFirst();
}

export async function listTeams(db: Executor, filter: TeamFilter, page: Page) {
  let query = teamsWithNames(db);
  if (filter.vendorId) query = query.where('t.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('t.site_id', '=', filter.siteId);
  if (filter.workflowId) query = query.where('t.workflow_id', '=', filter.workflowId);
  if (filter.status) query = query.where('t.status', '=', filter.status);
  if (filter.q) query = query.where('t.name', 'ilike', containsPattern(filter.q));
  const rows = await query
    .select(totalCount)
    .orderBy('v.name')
    .orderBy('s.name')
    .orderBy('t.name')
    .orderBy('t.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** The site a team would belong to, if the viewer can see it; a team's vendor is always its site's. */
export async function findSiteRef(db: Executor, id: string) {
  return db.selectFrom('sites').select(['id', 'vendor_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

/** A workflow by id (workflows are not scoped). */
export async function findWorkflowRef(db: Executor, id: string) {
  return db.selectFrom('workflows').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export interface TeamValues {
  vendorId: string;
  siteId: string;
  name: string;
  workflowId: string | null;
  status?: Status;
}

export async function insertTeam(db: Executor, values: TeamValues) {
  return db
    .insertInto('teams')
    .values({
      vendor_id: values.vendorId,
      site_id: values.siteId,
      name: values.name,
      workflow_id: values.workflowId,
      ...(values.status !== undefined && { status: values.status }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateTeam(db: Executor, id: string, values: { name?: string; workflowId?: string | null; status?: Status }) {
  return db
    .updateTable('teams')
    .set({
      ...(values.name !== undefined && { name: values.name }),
      ...(values.workflowId !== undefined && { workflow_id: values.workflowId }),
      ...(values.status !== undefined && { status: values.status }),
    })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}

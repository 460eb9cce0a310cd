import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/teams.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { AppError, Issues, notFound } from '../errors.ts';

type Status = 'active' | 'inactive';

export interface Team {
  id: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  name: string;
  workflowId: string | null;
  workflowName: string | null;
  status: Status;
  peopleCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The vendor is never taken from the caller: it is the site's. */
export type TeamInput = {
  siteId: string;
  name: string;
  workflowId?: string | null;
  status?: Status;
};

/** siteId is not patchable: a team belongs to one site for life. */
export type TeamPatch = {
  name?: string;
  workflowId?: string | null;
  status?: Status;
};

function present(row: repo.TeamRecord): Team {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    siteId: row.site_id,
    siteName: row.site_name,
    name: row.name,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name ?? null,
    status: row.status,
    peopleCount: row.people_count ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Validates the editable fields; a workflow newly given to the team must exist and be active. */
async function checkFields(trx: Executor, issues: Issues, input: TeamPatch, currentWorkflowId: string | null): Promise<TeamPatch> {
  const out: TeamPatch = {};
  if (input.name !== undefined) {
    out.name = input.name.trim().replace(/\s+/g, ' ');
    issues.check(out.name.length > 0, '/name', 'Enter a name.');
    issues.check(out.name.length <= 120, '/name', 'Use at most 120 characters.');
  }
  if (input.workflowId !== undefined) {
    out.workflowId = input.workflowId;
    if (input.workflowId !== null && input.workflowId !== currentWorkflowId) {
      const workflow = await repo.findWorkflowRef(trx, input.workflowId);
      if (!workflow) issues.add('/workflowId', 'No such workflow.');
      else if (workflow.status !== 'active') issues.add('/workflowId', `The workflow "${workflow.name}" is inactive.`);
    }
  }
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export async function listTeams(trx: Executor, filter: repo.TeamFilter, page: Page) {
  const { rows, total } = await repo.listTeams(trx, filter, page);
  return { items: rows.map(present), total };
}

export async function getTeam(trx: Executor, id: string): Promise<Team> {
  const row = await repo.findTeam(trx, id);
  if (!row) throw notFound('Team');
  return present(row);
}

export async function createTeam(trx: Executor, actor: Actor, input: TeamInput): Promise<Team> {
  // A team- or self-scoped viewer could not see a new team; row-level security would refuse it anyway.
  if (actor.scope.kind === 'team' || actor.scope.kind === 'self') {
    throw new AppError('FORBIDDEN', 'Only people with site-wide or wider scope can add teams.');
  }
  const issues = new Issues();
  const fields = await checkFields(trx, issues, input, null);
  // Looked up through the viewer's transaction: a site out of scope is simply not there.
  const site = await repo.findSiteRef(trx, input.siteId);
  if (!site) issues.add('/siteId', 'No such site.');
  else if (site.status !== 'active') issues.add('/siteId', `The site "${site.name}" is inactive; reactivate it before adding teams.`);
  issues.throwIfAny();
  const { id } = await repo.insertTeam(trx, {
    vendorId: site!.vendor_id,
    siteId: site!.id,
    name: fields.name!,
    workflowId: fields.workflowId ?? null,
    status: fields.status,
  });
  const team = await getTeam(trx, id);
  await audit(trx, actor, {
    action: 'team.create',
    entityType: 'team',
    entityId: id,
    vendorId: team.vendorId,
    details: { name: team.name, siteId: team.siteId, workflowId: team.workflowId, status: team.status },
  });
  return team;
}

export async function updateTeam(trx: Executor, actor: Actor, id: string, patch: TeamPatch): Promise<Team> {
  const before = await getTeam(trx, id);
  const issues = new Issues();
  const fields = await checkFields(trx, issues, patch, before.workflowId);
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  await repo.updateTeam(trx, id, fields);
  const after = await getTeam(trx, id);
  const statusChanged = fields.status !== undefined && fields.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? (fields.status === 'inactive' ? 'team.deactivate' : 'team.reactivate') : 'team.update',
    entityType: 'team',
    entityId: id,
    vendorId: after.vendorId,
    details: { changes },
  });
  return after;
}

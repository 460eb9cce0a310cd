import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/people.repository.ts';
import { findWorkflowsByIds } from '../../db/repositories/workflows.repository.ts';
import type { JobRole, PersonStatus } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { checkHireDate, checkLanguages, isPlausibleEmail, normaliseEmail, tenureDays } from './org.rules.ts';

export const JOB_ROLES: readonly JobRole[] = ['agent', 'qa_specialist', 'qa_lead', 'trainer', 'manager', 'policy_sme', 'analyst'];
export const PERSON_STATUSES: readonly PersonStatus[] = ['active', 'on_leave', 'inactive'];

export interface Person {
  id: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  teamId: string | null;
  teamName: string | null;
  fullName: string;
  email: string | null;
  employeeRef: string | null;
  jobRole: JobRole;
  hireDate: string;
  tenureDays: number;
  languages: string[];
  workflowIds: string[];
  status: PersonStatus;
  createdAt: string;
  updatedAt: string;
}

/** The vendor is never taken from the caller: it is the site's. */
export type PersonInput = {
  siteId: string;
  teamId?: string | null;
  fullName: string;
  email?: string | null;
  employeeRef?: string | null;
  jobRole: JobRole;
  hireDate: string;
  languages: string[];
  workflowIds: string[];
  status?: PersonStatus;
};

/** A move to another site is allowed within scope; the vendor follows the site. */
export type PersonPatch = Partial<PersonInput>;

/** Normalised values ready to store, in the shape of `Person` so they can be compared with it. */
type PersonFields = {
  vendorId?: string;
  siteId?: string;
  teamId?: string | null;
  fullName?: string;
  email?: string | null;
  employeeRef?: string | null;
  jobRole?: JobRole;
  hireDate?: string;
  languages?: string[];
  workflowIds?: string[];
  status?: PersonStatus;
};

function present(row: repo.PersonRecord, today: Date): Person {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    siteId: row.site_id,
    siteName: row.site_name,
    teamId: row.team_id,
    teamName: row.team_name ?? null,
    fullName: row.full_name,
    email: row.email,
    employeeRef: row.employee_ref,
    jobRole: row.job_role,
    hireDate: row.hire_date,
    tenureDays: tenureDays(row.hire_date, today),
    languages: row.languages,
    workflowIds: row.workflow_ids,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Optional text: blank means none. */
function optionalText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** Checks the fields that need no lookups. */
function checkPlainFields(issues: Issues, input: PersonPatch, today: Date): PersonFields {
  const out: PersonFields = {};
  if (input.fullName !== undefined) {
    out.fullName = input.fullName.trim().replace(/\s+/g, ' ');
    issues.check(out.fullName.length > 0, '/fullName', 'Enter a name.');
    issues.check(out.fullName.length <= 200, '/fullName', 'Use at most 200 characters.');
  }
  const email = optionalText(input.email);
  if (email !== undefined) {
    out.email = email === null ? null : normaliseEmail(email);
    if (out.email !== null) issues.check(isPlausibleEmail(out.email), '/email', 'Enter an email address like name@example.com.');
  }
  const employeeRef = optionalText(input.employeeRef);
  if (employeeRef !== undefined) {
    out.employeeRef = employeeRef;
    if (employeeRef !== null) issues.check(employeeRef.length <= 64, '/employeeRef', 'Use at most 64 characters.');
  }
  if (input.jobRole !== undefined) {
    out.jobRole = input.jobRole;
    issues.check(JOB_ROLES.includes(input.jobRole), '/jobRole', `Choose one of: ${JOB_ROLES.join(', ')}.`);
  }
  if (input.hireDate !== undefined) {
    out.hireDate = input.hireDate.trim();
    checkHireDate(issues, '/hireDate', out.hireDate, today);
  }
  if (input.languages !== undefined) out.languages = checkLanguages(issues, '/languages', input.languages);
  if (input.status !== undefined) {
    out.status = input.status;
    issues.check(PERSON_STATUSES.includes(input.status), '/status', `Choose one of: ${PERSON_STATUSES.join(', ')}.`);
  }
  return out;
}

/** Workflow skills: each must exist; one newly added must be active. Returns the set sorted, without repeats. */
async function checkWorkflows(trx: Executor, issues: Issues, ids: string[], current: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = new Map((await findWorkflowsByIds(trx, unique)).map((w) => [w.id, w]));
  ids.forEach((raw, index) => {
    const id = raw.toLowerCase();
    const workflow = found.get(id);
    if (!workflow) issues.add(`/workflowIds/${index}`, 'No such workflow.');
    else if (workflow.status !== 'active' && !current.includes(id)) {
      issues.add(`/workflowIds/${index}`, `The workflow "${workflow.name}" is inactive.`);
    }
  });
  return unique.sort();
}

/**
 * Where the person works: the site (visible to the viewer), the vendor that
 * follows from it, and a team that must be at that site.
 */
async function checkPlacement(
  trx: Executor,
  actor: Actor,
  issues: Issues,
  input: PersonPatch,
  before: Person | null,
  out: PersonFields,
): Promise<void> {
  let siteId = before?.siteId;
  const siteChanged = before === null || (input.siteId !== undefined && input.siteId.toLowerCase() !== before.siteId);
  if (siteChanged && input.siteId !== undefined) {
    // Looked up through the viewer's transaction: a site out of scope is simply not there.
    const site = await repo.findSiteRef(trx, input.siteId);
    if (!site) {
      issues.add('/siteId', 'No such site.');
      return;
    }
    if (site.status !== 'active') issues.add('/siteId', `The site "${site.name}" is inactive.`);
    siteId = out.siteId = site.id;
    out.vendorId = site.vendor_id;
  }

  const wanted = input.teamId !== undefined ? input.teamId?.toLowerCase() ?? null : before?.teamId ?? null;
  const teamChanged = wanted !== (before?.teamId ?? null);
  if (wanted !== null && (teamChanged || siteChanged)) {
    const team = await repo.findTeamRef(trx, wanted);
    if (!team) issues.add('/teamId', 'No such team.');
    else if (team.site_id !== siteId) {
      issues.add(
        '/teamId',
        input.teamId === undefined
          ? 'The current team is at another site; choose a team at the new site, or none.'
          : 'This team is at another site.',
      );
    } else if (teamChanged && team.status !== 'active') issues.add('/teamId', `The team "${team.name}" is inactive.`);
  }
  if (input.teamId !== undefined) out.teamId = wanted;
  // A team-scoped viewer works within their own team: anyone placed elsewhere would drop out of their sight.
  if (actor.scope.kind === 'team' && (before === null || teamChanged) && wanted !== actor.scope.teamId) {
    issues.add('/teamId', 'You can only place people in your own team.');
  }
}

export async function listPeople(trx: Executor, filter: repo.PersonFilter, page: Page) {
  const { rows, total } = await repo.listPeople(trx, filter, page);
  const today = new Date();
  return { items: rows.map((row) => present(row, today)), total };
}

export async function getPerson(trx: Executor, id: string): Promise<Person> {
  const row = await repo.findPerson(trx, id);
  if (!row) throw notFound('Person');
  return present(row, new Date());
}

export async function createPerson(trx: Executor, actor: Actor, input: PersonInput): Promise<Person> {
  if (actor.scope.kind === 'self') {
    throw new AppError('FORBIDDEN', 'People limited to their own records cannot add people.');
  }
  const issues = new Issues();
  const fields = checkPlainFields(issues, input, new Date());
  await checkPlacement(trx, actor, issues, input, null, fields);
  const workflowIds = await checkWorkflows(trx, issues, input.workflowIds, []);
  issues.throwIfAny();
  const { id } = await repo.insertPerson(trx, {
    vendorId: fields.vendorId!,
    siteId: fields.siteId!,
    teamId: fields.teamId ?? null,
    fullName: fields.fullName!,
    email: fields.email ?? null,
    employeeRef: fields.employeeRef ?? null,
    jobRole: fields.jobRole!,
    hireDate: fields.hireDate!,
    languages: fields.languages ?? [],
    status: fields.status,
  });
  await repo.replaceWorkflowSkills(trx, id, workflowIds);
  const person = await getPerson(trx, id);
  await audit(trx, actor, {
    action: 'person.create',
    entityType: 'person',
    entityId: id,
    vendorId: person.vendorId,
    details: {
      fullName: person.fullName,
      siteId: person.siteId,
      teamId: person.teamId,
      jobRole: person.jobRole,
      hireDate: person.hireDate,
      workflowIds: person.workflowIds,
      status: person.status,
    },
  });
  return person;
}

export async function updatePerson(trx: Executor, actor: Actor, id: string, patch: PersonPatch): Promise<Person> {
  const before = await getPerson(trx, id);
  const issues = new Issues();
  const fields = checkPlainFields(issues, patch, new Date());
  await checkPlacement(trx, actor, issues, patch, before, fields);
  if (patch.workflowIds !== undefined) fields.workflowIds = await checkWorkflows(trx, issues, patch.workflowIds, before.workflowIds);
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  const { workflowIds, ...columns } = fields;
  await repo.updatePerson(trx, id, columns);
  if (workflowIds !== undefined && changes.workflowIds) await repo.replaceWorkflowSkills(trx, id, workflowIds);
  const after = await getPerson(trx, id);
  let action = 'person.update';
  if (fields.status !== undefined && fields.status !== before.status) {
    if (fields.status === 'inactive') action = 'person.deactivate';
    else if (before.status === 'inactive') action = 'person.reactivate';
  }
  await audit(trx, actor, {
    action,
    entityType: 'person',
    entityId: id,
    vendorId: after.vendorId,
    // After a move between vendors, the entry also names the vendor the person left.
    details: { changes, ...(after.vendorId !== before.vendorId && { fromVendorId: before.vendorId }) },
  });
  return after;
}

import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import { findPoliciesByIds } from '../../db/repositories/policies.repository.ts';
import * as repo from '../../db/repositories/workflows.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { Issues, notFound } from '../errors.ts';
import { checkDescription, checkKey, checkName } from './policy.rules.ts';

type Status = 'active' | 'inactive';
export type WorkflowKind = repo.WorkflowKind;
export const WORKFLOW_KINDS: readonly WorkflowKind[] = ['moderation', 'support'];

export interface Workflow {
  id: string;
  key: string;
  name: string;
  kind: WorkflowKind;
  description: string;
  status: Status;
  policyIds: string[];
}

export type WorkflowInput = {
  key: string;
  name: string;
  kind: WorkflowKind;
  description?: string;
  status?: Status;
  policyIds?: string[];
};

/** The key is immutable after create. */
export type WorkflowPatch = {
  name?: string;
  kind?: WorkflowKind;
  description?: string;
  status?: Status;
  policyIds?: string[];
};

function present(row: repo.WorkflowRecord): Workflow {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    kind: row.kind,
    description: row.description,
    status: row.status,
    policyIds: row.policy_ids,
  };
}

/** The policy set: each policy must exist; one newly added must be active. Returns the set sorted, without repeats. */
async function checkPolicies(trx: Executor, issues: Issues, ids: readonly string[], current: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = new Map((await findPoliciesByIds(trx, unique)).map((policy) => [policy.id, policy]));
  ids.forEach((raw, index) => {
    const id = raw.toLowerCase();
    const policy = found.get(id);
    if (!policy) issues.add(`/policyIds/${index}`, 'No such policy.');
    else if (policy.status !== 'active' && !current.includes(id)) issues.add(`/policyIds/${index}`, `The policy "${policy.name}" is inactive.`);
  });
  return unique.sort();
}

async function checkFields(trx: Executor, issues: Issues, input: WorkflowPatch, current: readonly string[]): Promise<WorkflowPatch> {
  const out: WorkflowPatch = {};
  if (input.name !== undefined) out.name = checkName(issues, '/name', input.name);
  if (input.kind !== undefined) {
    out.kind = input.kind;
    issues.check(WORKFLOW_KINDS.includes(input.kind), '/kind', `Choose one of: ${WORKFLOW_KINDS.join(', ')}.`);
  }
  if (input.description !== undefined) out.description = checkDescription(issues, '/description', input.description);
  if (input.status !== undefined) out.status = input.status;
  if (input.policyIds !== undefined) out.policyIds = await checkPolicies(trx, issues, input.policyIds, current);
  return out;
}

export async function listWorkflows(trx: Executor, filter: repo.WorkflowFilter, page: Page) {
  const { rows, total } = await repo.listWorkflows(trx, filter, page);
  return { items: rows.map(present), total };
}

export async function getWorkflow(trx: Executor, id: string): Promise<Workflow> {
  const row = await repo.findWorkflow(trx, id);
  if (!row) throw notFound('Workflow');
  return present(row);
}

export async function createWorkflow(trx: Executor, actor: Actor, input: WorkflowInput): Promise<Workflow> {
  const issues = new Issues();
  const key = checkKey(issues, '/key', input.key);
  const fields = await checkFields(trx, issues, { ...input, description: input.description ?? '', policyIds: input.policyIds ?? [] }, []);
  issues.throwIfAny();
  const { id } = await repo.insertWorkflow(trx, {
    key,
    name: fields.name!,
    kind: fields.kind!,
    description: fields.description ?? '',
    status: fields.status,
  });
  await repo.replaceWorkflowPolicies(trx, id, fields.policyIds ?? []);
  const workflow = await getWorkflow(trx, id);
  await audit(trx, actor, {
    action: 'workflow.create',
    entityType: 'workflow',
    entityId: id,
    details: { key: workflow.key, name: workflow.name, kind: workflow.kind, status: workflow.status, policyIds: workflow.policyIds },
  });
  return workflow;
}

export async function updateWorkflow(trx: Executor, actor: Actor, id: string, patch: WorkflowPatch): Promise<Workflow> {
  const before = await getWorkflow(trx, id);
  const issues = new Issues();
  const fields = await checkFields(trx, issues, patch, before.policyIds);
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  const { policyIds, ...columns } = fields;
  await repo.updateWorkflow(trx, id, columns);
  if (policyIds !== undefined && changes.policyIds) await repo.replaceWorkflowPolicies(trx, id, policyIds);
  const after = await getWorkflow(trx, id);
  const statusChanged = fields.status !== undefined && fields.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? (fields.status === 'inactive' ? 'workflow.deactivate' : 'workflow.reactivate') : 'workflow.update',
    entityType: 'workflow',
    entityId: id,
    details: { key: before.key, changes },
  });
  return after;
}

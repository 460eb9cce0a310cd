import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/actions.repository.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { Issues, notFound } from '../errors.ts';
import { checkDescription, checkKey, checkName } from './policy.rules.ts';

type Status = 'active' | 'inactive';

/** An enforcement action (remove, age_restrict, warn, no_action...), identified by its key. */
export interface EnforcementAction {
  key: string;
  name: string;
  description: string;
  status: Status;
}

export type ActionInput = {
  key: string;
  name: string;
  description?: string;
  status?: Status;
};

/** The key is the identity: policy versions and decisions refer to it. */
export type ActionPatch = {
  name?: string;
  description?: string;
  status?: Status;
};

function present(row: repo.ActionRecord): EnforcementAction {
  return { key: row.key, name: row.name, description: row.description, status: row.status };
}

function checkFields(issues: Issues, input: ActionPatch): ActionPatch {
  const out: ActionPatch = {};
  if (input.name !== undefined) out.name = checkName(issues, '/name', input.name);
  if (input.description !== undefined) out.description = checkDescription(issues, '/description', input.description);
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export async function listActions(trx: Executor, filter: repo.ActionFilter, page: Page) {
  const { rows, total } = await repo.listActions(trx, filter, page);
  return { items: rows.map(present), total };
}

export async function getAction(trx: Executor, key: string): Promise<EnforcementAction> {
  const row = await repo.findAction(trx, key);
  if (!row) throw notFound('Action');
  return present(row);
}

export async function createAction(trx: Executor, actor: Actor, input: ActionInput): Promise<EnforcementAction> {
  const issues = new Issues();
  const key = checkKey(issues, '/key', input.key);
  const fields = checkFields(issues, { ...input, description: input.description ?? '' });
  issues.throwIfAny();
  await repo.insertAction(trx, { key, name: fields.name!, description: fields.description ?? '', status: fields.status });
  const action = await getAction(trx, key);
  await audit(trx, actor, {
    action: 'action.create',
    entityType: 'action',
    entityId: key,
    details: { name: action.name, status: action.status },
  });
  return action;
}

export async function updateAction(trx: Executor, actor: Actor, key: string, patch: ActionPatch): Promise<EnforcementAction> {
  const before = await getAction(trx, key);
  const issues = new Issues();
  const fields = checkFields(issues, patch);
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  await repo.updateAction(trx, key, fields);
  const after = await getAction(trx, key);
  const statusChanged = fields.status !== undefined && fields.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? (fields.status === 'inactive' ? 'action.deactivate' : 'action.reactivate') : 'action.update',
    entityType: 'action',
    entityId: key,
    details: { changes },
  });
  return after;
}

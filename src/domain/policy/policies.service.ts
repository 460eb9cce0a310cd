import type { Executor } from '../../db/database.ts';
import { findActionsByKeys } from '../../db/repositories/actions.repository.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/policies.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { Issues, notFound } from '../errors.ts';
import {
  checkDescription,
  checkKey,
  checkName,
  checkTimeline,
  checkVersionInput,
  KEY_PATTERN,
  versionInForce,
  type CheckedVersion,
  type Label,
  type VersionInput,
} from './policy.rules.ts';

type Status = 'active' | 'inactive';

export interface PolicySummary {
  id: string;
  key: string;
  name: string;
  description: string;
  status: Status;
  /** The version in force now; null before the first version takes effect. */
  currentVersion: { id: string; version: number; effectiveFrom: string } | null;
  versionCount: number;
  workflowIds: string[];
}

export interface PolicyVersion {
  id: string;
  version: number;
  effectiveFrom: string;
  summary: string;
  labels: Label[];
  allowedActions: string[];
  createdAt: string;
  inForce: boolean;
}

export interface Policy extends PolicySummary {
  /** Newest first. */
  versions: PolicyVersion[];
}

export type PolicyInput = {
  key: string;
  name: string;
  description?: string;
  initialVersion?: VersionInput;
};

export type PolicyPatch = {
  name?: string;
  description?: string;
  status?: Status;
};

function presentSummary(row: repo.PolicyRecord): PolicySummary {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    status: row.status,
    currentVersion:
      row.current_id !== null && row.current_version !== null && row.current_effective_from !== null
        ? { id: row.current_id, version: row.current_version, effectiveFrom: row.current_effective_from.toISOString() }
        : null,
    versionCount: row.version_count ?? 0,
    workflowIds: row.workflow_ids,
  };
}

/** Versions with their labels and actions; `inForce` marks the one in force at `now`. */
async function presentVersions(trx: Executor, rows: repo.VersionRow[], now: Date): Promise<PolicyVersion[]> {
  const ids = rows.map((row) => row.id);
  const labels = await repo.listLabelsOfVersions(trx, ids);
  const actions = await repo.listActionsOfVersions(trx, ids);
  const inForce = versionInForce(
    rows.map((row) => ({ id: row.id, effectiveFrom: row.effective_from })),
    now,
  );
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    effectiveFrom: row.effective_from.toISOString(),
    summary: row.summary,
    labels: labels
      .filter((label) => label.policy_version_id === row.id)
      .map((label) => ({ key: label.key, name: label.name, severity: label.severity, description: label.description })),
    allowedActions: actions.filter((action) => action.policy_version_id === row.id).map((action) => action.action_key),
    createdAt: row.created_at.toISOString(),
    inForce: inForce?.id === row.id,
  }));
}

export async function listPolicies(trx: Executor, filter: repo.PolicyFilter, page: Page) {
  const { rows, total } = await repo.listPolicies(trx, filter, page, new Date());
  return { items: rows.map(presentSummary), total };
}

export async function getPolicy(trx: Executor, id: string): Promise<Policy> {
  const now = new Date();
  const row = await repo.findPolicy(trx, id, now);
  if (!row) throw notFound('Policy');
  const versions = await presentVersions(trx, await repo.listVersions(trx, id), now);
  return { ...presentSummary(row), versions };
}

// ---------------------------------------------------------------- versions

type Timeline = Awaited<ReturnType<typeof repo.versionTimeline>>;

/** Checks a new version completely: its own rules, that its actions exist and are active, and the timeline. */
async function checkNewVersion(
  trx: Executor,
  issues: Issues,
  base: string,
  input: VersionInput,
  timeline: Timeline | null,
): Promise<CheckedVersion> {
  const checked = checkVersionInput(issues, base, input);
  const found = new Map((await findActionsByKeys(trx, checked.allowedActions)).map((action) => [action.key, action]));
  input.allowedActions.forEach((raw, index) => {
    const key = raw.trim();
    if (!KEY_PATTERN.test(key)) return; // already reported
    const action = found.get(key);
    if (!action) issues.add(`${base}/allowedActions/${index}`, `There is no enforcement action "${key}".`);
    else if (action.status !== 'active') issues.add(`${base}/allowedActions/${index}`, `The action "${action.name}" is inactive.`);
  });
  if (checked.effectiveFrom && timeline?.latest) {
    checkTimeline(issues, `${base}/effectiveFrom`, checked.effectiveFrom, {
      version: timeline.latest.version,
      effectiveFrom: timeline.latest.effective_from,
    });
  }
  return checked;
}

/** Stores a checked version as the next number; the caller holds the policy row lock. */
async function storeVersion(
  trx: Executor,
  actor: Actor,
  policy: { id: string; key: string },
  checked: CheckedVersion,
  timeline: Timeline | null,
): Promise<PolicyVersion> {
  const version = (timeline?.maxVersion ?? 0) + 1;
  const { id } = await repo.insertVersion(trx, {
    policyId: policy.id,
    version,
    effectiveFrom: checked.effectiveFrom!,
    summary: checked.summary,
    createdBy: actor.userId,
  });
  await repo.insertLabels(trx, id, checked.labels);
  await repo.insertVersionActions(trx, id, checked.allowedActions);
  await audit(trx, actor, {
    action: 'policy.version_create',
    entityType: 'policy',
    entityId: policy.id,
    details: {
      policyKey: policy.key,
      versionId: id,
      version,
      effectiveFrom: checked.effectiveFrom!.toISOString(),
      labels: checked.labels.map((label) => label.key),
      allowedActions: checked.allowedActions,
    },
  });
  const all = await repo.listVersions(trx, policy.id);
  const presented = await presentVersions(trx, all, new Date());
  return presented.find((v) => v.id === id)!;
}

/**
 * Adds a version to a policy. Versions are immutable and numbered max+1: the
 * policy row is locked first so concurrent creators take turns, and the new
 * version may not take effect before the latest existing one.
 */
export async function createVersion(trx: Executor, actor: Actor, policyId: string, input: VersionInput): Promise<PolicyVersion> {
  const locked = await repo.lockPolicy(trx, policyId);
  if (!locked) throw notFound('Policy');
  const policy = await repo.findPolicy(trx, policyId, new Date());
  if (!policy) throw notFound('Policy');
  const timeline = await repo.versionTimeline(trx, policyId);
  const issues = new Issues();
  const checked = await checkNewVersion(trx, issues, '', input, timeline);
  issues.throwIfAny();
  return storeVersion(trx, actor, { id: policy.id, key: policy.key }, checked, timeline);
}

// ---------------------------------------------------------------- policies

export async function createPolicy(trx: Executor, actor: Actor, input: PolicyInput): Promise<Policy> {
  const issues = new Issues();
  const key = checkKey(issues, '/key', input.key);
  const name = checkName(issues, '/name', input.name);
  const description = checkDescription(issues, '/description', input.description ?? '');
  const initial = input.initialVersion ? await checkNewVersion(trx, issues, '/initialVersion', input.initialVersion, null) : null;
  issues.throwIfAny();
  const { id } = await repo.insertPolicy(trx, { key, name, description });
  await audit(trx, actor, {
    action: 'policy.create',
    entityType: 'policy',
    entityId: id,
    details: { key, name },
  });
  if (initial) await storeVersion(trx, actor, { id, key }, initial, null);
  return getPolicy(trx, id);
}

export async function updatePolicy(trx: Executor, actor: Actor, id: string, patch: PolicyPatch): Promise<Policy> {
  const before = await getPolicy(trx, id);
  const issues = new Issues();
  const fields: PolicyPatch = {};
  if (patch.name !== undefined) fields.name = checkName(issues, '/name', patch.name);
  if (patch.description !== undefined) fields.description = checkDescription(issues, '/description', patch.description);
  if (patch.status !== undefined) fields.status = patch.status;
  issues.throwIfAny();
  const changes = changedFields(before as unknown as Record<string, unknown>, fields);
  if (Object.keys(changes).length === 0) return before;
  await repo.updatePolicy(trx, id, fields);
  const statusChanged = fields.status !== undefined && fields.status !== before.status;
  await audit(trx, actor, {
    action: statusChanged ? (fields.status === 'inactive' ? 'policy.deactivate' : 'policy.reactivate') : 'policy.update',
    entityType: 'policy',
    entityId: id,
    details: { key: before.key, changes },
  });
  return getPolicy(trx, id);
}

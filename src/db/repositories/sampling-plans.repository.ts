import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { PlanStatus, Severity } from '../schema.ts';

/**
 * Sampling plan versions (one plan per workflow, versioned), and what the
 * plan preview reads. Plans are workflow-level, like the policy taxonomy: not
 * filtered by scope. The preview's decisions are read under the caller's
 * row-level security.
 */

const VERSION_COLUMNS = [
  'id',
  'workflow_id',
  'version',
  'status',
  'name',
  'notes',
  'definition',
  'seed',
  'effective_from',
  'created_at',
  'created_by',
  'activated_at',
  'activated_by',
  'updated_at',
] as const;

export async function listWorkflowsForPlans(db: Executor) {
  return db.selectFrom('workflows').select(['id', 'key', 'name', 'status']).orderBy('name').orderBy('id').execute();
}

export async function findWorkflowForPlan(db: Executor, id: string) {
  return db.selectFrom('workflows').select(['id', 'key', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

/** Locks a workflow row for the rest of the transaction: plan writers of one workflow take turns. */
export async function lockWorkflowForPlan(db: Executor, id: string) {
  return db.selectFrom('workflows').select(['id', 'key', 'name', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Every version of every workflow, newest first within a workflow. */
export async function listAllVersions(db: Executor) {
  return db.selectFrom('sampling_plan_versions').select(VERSION_COLUMNS).orderBy('workflow_id').orderBy('version', 'desc').execute();
}

export type PlanVersionRow = Awaited<ReturnType<typeof listAllVersions>>[number];

/** One workflow's versions, newest first. */
export async function listVersionsOfWorkflow(db: Executor, workflowId: string) {
  return db.selectFrom('sampling_plan_versions').select(VERSION_COLUMNS).where('workflow_id', '=', workflowId).orderBy('version', 'desc').execute();
}

export async function findVersion(db: Executor, id: string) {
  return db.selectFrom('sampling_plan_versions').select(VERSION_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Locks one version row (after its workflow's row: the same order everywhere). */
export async function lockVersion(db: Executor, id: string) {
  return db.selectFrom('sampling_plan_versions').select(VERSION_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The activated version taking effect last: a new one must take effect after it (the timeline only appends). */
export async function latestActivated(db: Executor, workflowId: string) {
  const row = await db
    .selectFrom('sampling_plan_versions')
    .select(['version', 'effective_from'])
    .where('workflow_id', '=', workflowId)
    .where('effective_from', 'is not', null)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, effectiveFrom: row.effective_from! } : null;
}

export async function insertVersion(
  db: Executor,
  values: {
    workflowId: string;
    version: number;
    status: PlanStatus;
    name: string;
    notes: string;
    definition: unknown;
    seed: string;
    createdBy: string | null;
  },
) {
  return db
    .insertInto('sampling_plan_versions')
    .values({
      workflow_id: values.workflowId,
      version: values.version,
      status: values.status,
      name: values.name,
      notes: values.notes,
      definition: JSON.stringify(values.definition),
      seed: values.seed,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Edits a draft; undefined when the version is not a draft (any more). */
export async function updateDraft(db: Executor, id: string, values: { name: string; notes: string; definition: unknown }) {
  return db
    .updateTable('sampling_plan_versions')
    .set({ name: values.name, notes: values.notes, definition: JSON.stringify(values.definition) })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
}

export async function deleteDraft(db: Executor, id: string) {
  return db.deleteFrom('sampling_plan_versions').where('id', '=', id).where('status', '=', 'draft').returning('id').executeTakeFirst();
}

/** The active version of a workflow becomes superseded; returns its id, if there was one. */
export async function supersedeActive(db: Executor, workflowId: string) {
  return db
    .updateTable('sampling_plan_versions')
    .set({ status: 'superseded' })
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'active')
    .returning(['id', 'version'])
    .executeTakeFirst();
}

export async function activateDraft(db: Executor, id: string, values: { effectiveFrom: Date; activatedAt: Date; activatedBy: string | null }) {
  return db
    .updateTable('sampling_plan_versions')
    .set({ status: 'active', effective_from: values.effectiveFrom, activated_at: values.activatedAt, activated_by: values.activatedBy })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
}

/** Every activated (active or superseded) version, by workflow and effective_from: the timelines ingestion reads. */
export async function listActivatedVersions(db: Executor) {
  return db
    .selectFrom('sampling_plan_versions')
    .select(['id', 'workflow_id', 'version', 'status', 'effective_from', 'definition', 'seed'])
    .where('status', '<>', 'draft')
    .orderBy('workflow_id')
    .orderBy('effective_from')
    .execute();
}

// ---------------------------------------------------------------- references

/** Label keys of the workflow's policies, any version, with the severity of the newest version naming them. */
export async function labelsOfWorkflow(db: Executor, workflowId: string) {
  return db
    .selectFrom('policy_labels as l')
    .innerJoin('policy_versions as v', 'v.id', 'l.policy_version_id')
    .innerJoin('workflow_policies as wp', 'wp.policy_id', 'v.policy_id')
    .where('wp.workflow_id', '=', workflowId)
    .distinctOn('l.key')
    .select(['l.key', 'l.severity'])
    .orderBy('l.key')
    .orderBy('v.effective_from', 'desc')
    .execute() as Promise<Array<{ key: string; severity: Severity }>>;
}

export async function existingVendorIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('vendors').select('id').where(sql<boolean>`id::text = ANY(${[...ids]}::text[])`).execute();
  return new Set(rows.map((row) => row.id));
}

export async function existingSiteIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sites').select('id').where(sql<boolean>`id::text = ANY(${[...ids]}::text[])`).execute();
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------- preview

/**
 * decided_at bounds a little wider than the UTC days, so the decided_at index
 * narrows the scan; decided_day then selects the days exactly.
 */
function windowOf(from: string, to: string) {
  return {
    after: new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000),
    before: new Date(Date.parse(`${to}T00:00:00Z`) + 2 * 86_400_000),
  };
}

/** Decisions of a workflow on the UTC days from..to (inclusive) the caller can see. */
export async function countWindowDecisions(db: Executor, workflowId: string, from: string, to: string): Promise<number> {
  const { after, before } = windowOf(from, to);
  const row = await db
    .selectFrom('decisions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workflow_id', '=', workflowId)
    .where('decided_at', '>=', after)
    .where('decided_at', '<', before)
    .where('decided_day', '>=', from)
    .where('decided_day', '<=', to)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * What the preview needs of each decision in the window, only those columns.
 * With `fraction` < 1, a deterministic subset: the decisions whose id hashes
 * below the fraction (the same rows on every run).
 */
export async function listWindowDecisions(db: Executor, workflowId: string, from: string, to: string, fraction = 1) {
  const { after, before } = windowOf(from, to);
  let query = db
    .selectFrom('decisions')
    .select(['id', 'labels', 'severity', 'vendor_id', 'site_id', 'tenure_days', 'model_score', 'agent_id', 'decided_day'])
    .where('workflow_id', '=', workflowId)
    .where('decided_at', '>=', after)
    .where('decided_at', '<', before)
    .where('decided_day', '>=', from)
    .where('decided_day', '<=', to);
  if (fraction < 1) {
    const threshold = Math.floor(fraction * 2 ** 32);
    query = query.where(sql<boolean>`('x' || substr(md5(id::text), 1, 8))::bit(32)::bigint < ${threshold}`);
  }
  return query.execute();
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

type Status = 'active' | 'inactive';
export type WorkflowKind = 'moderation' | 'support';

export interface WorkflowFilter {
  status?: Status;
  kind?: WorkflowKind;
  policyId?: string;
  q?: string;
}

/** Workflows with the ids of their policy set. Workflows are not scoped: everyone may read the taxonomy. */
function workflowsWithPolicies(db: Executor) {
  return db
    .selectFrom('workflows as w')
    .selectAll('w')
    .select(
      sql<string[]>`array(
        SELECT wp.policy_id::text FROM workflow_policies wp
        WHERE wp.workflow_id = w.id ORDER BY wp.policy_id
      )`.as('policy_ids'),
    );
}

export type WorkflowRecord = NonNullable<Awaited<ReturnType<typeof findWorkflow>>>;

export async function findWorkflow(db: Executor, id: string) {
  return workflowsWithPolicies(db).where('w.id', '=', id).executeTakeFirst();
}

export async function listWorkflows(db: Executor, filter: WorkflowFilter, page: Page) {
  let query = workflowsWithPolicies(db);
  if (filter.status) query = query.where('w.status', '=', filter.status);
  if (filter.kind) query = query.where('w.kind', '=', filter.kind);
  if (filter.policyId) {
    const policyId = filter.policyId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('workflow_policies as f')
          .select(sql.lit(1).as('one'))
          .whereRef('f.workflow_id', '=', 'w.id')
          .where('f.policy_id', '=', policyId),
      ),
    );
  }
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('w.name', 'ilike', pattern), eb('w.key', 'ilike', pattern)]));
  }
  const rows = await query.select(totalCount).orderBy('w.name').orderBy('w.id').limit(page.limit).offset(page.offset).execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** The workflows among `ids` that exist, for checking references (a person's skills, a team's queue). */
export async function findWorkflowsByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('workflows').select(['id', 'key', 'name', 'status']).where('id', 'in', [...ids]).execute();
}

export interface WorkflowValues {
  key: string;
  name: string;
  kind: WorkflowKind;
  description: string;
  status?: Status;
}

export async function insertWorkflow(db: Executor, values: WorkflowValues) {
  return db
    .insertInto('workflows')
    .values({
      key: values.key,
      name: values.name,
      kind: values.kind,
      description: values.description,
      ...(values.status !== undefined && { status: values.status }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The key is not here: it is immutable once created (exports and decisions refer to it). */
export async function updateWorkflow(
  db: Executor,
  id: string,
  values: { name?: string; kind?: WorkflowKind; description?: string; status?: Status },
) {
  const set = {
    ...(values.name !== undefined && { name: values.name }),
    ...(values.kind !== undefined && { kind: values.kind }),
    ...(values.description !== undefined && { description: values.description }),
    ...(values.status !== undefined && { status: values.status }),
  };
  if (Object.keys(set).length === 0) return { id };
  return db.updateTable('workflows').set(set).where('id', '=', id).returning('id').executeTakeFirst();
}

/** Replaces a workflow's policy set with exactly `policyIds`. */
export async function replaceWorkflowPolicies(db: Executor, workflowId: string, policyIds: readonly string[]): Promise<void> {
  let remove = db.deleteFrom('workflow_policies').where('workflow_id', '=', workflowId);
  if (policyIds.length > 0) remove = remove.where('policy_id', 'not in', [...policyIds]);
  await remove.execute();
  if (policyIds.length === 0) return;
  await db
    .insertInto('workflow_policies')
    .values(policyIds.map((policyId) => ({ workflow_id: workflowId, policy_id: policyId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

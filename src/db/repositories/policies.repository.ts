import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { Severity } from '../schema.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

type Status = 'active' | 'inactive';

export interface PolicyFilter {
  status?: Status;
  workflowId?: string;
  q?: string;
}

/**
 * Policies with the version in force at `at`, their number of versions and the
 * workflows whose policy set includes them. The taxonomy is not scoped.
 */
function policiesWithCurrent(db: Executor, at: Date) {
  return db
    .selectFrom('policies as p')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('policy_versions as cv')
          .select(['cv.id as current_id', 'cv.version as current_version', 'cv.effective_from as current_effective_from'])
          .whereRef('cv.policy_id', '=', 'p.id')
          .where('cv.effective_from', '<=', at)
          .orderBy('cv.effective_from', 'desc')
          .limit(1)
          .as('cur'),
      (join) => join.onTrue(),
    )
    .selectAll('p')
    .select(['cur.current_id', 'cur.current_version', 'cur.current_effective_from'])
    .select((eb) => [
      eb
        .selectFrom('policy_versions as vc')
        .whereRef('vc.policy_id', '=', 'p.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('version_count'),
      sql<string[]>`array(
        SELECT wp.workflow_id::text FROM workflow_policies wp
        WHERE wp.policy_id = p.id ORDER BY wp.workflow_id
      )`.as('workflow_ids'),
    ]);
}

export type PolicyRecord = NonNullable<Awaited<ReturnType<typeof findPolicy>>>;

export async function findPolicy(db: Executor, id: string, at: Date) {
  return policiesWithCurrent(db, at).where('p.id', '=', id).executeTakeFirst();
}

export async function listPolicies(db: Executor, filter: PolicyFilter, page: Page, at: Date) {
  let query = policiesWithCurrent(db, at);
  if (filter.status) query = query.where('p.status', '=', filter.status);
  if (filter.workflowId) {
    const workflowId = filter.workflowId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('workflow_policies as f')
          .select(sql.lit(1).as('one'))
          .whereRef('f.policy_id', '=', 'p.id')
          .where('f.workflow_id', '=', workflowId),
      ),
    );
  }
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('p.name', 'ilike', pattern), eb('p.key', 'ilike', pattern)]));
  }
  const rows = await query.select(totalCount).orderBy('p.name').orderBy('p.id').limit(page.limit).offset(page.offset).execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** The policies among `ids` that exist, for checking a workflow's policy set. */
export async function findPoliciesByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('policies').select(['id', 'key', 'name', 'status']).where('id', 'in', [...ids]).execute();
}

/**
 * Locks a policy row for the rest of the transaction, so that concurrent
 * creators of a version take turns computing the next number.
 */
export async function lockPolicy(db: Executor, id: string) {
  return db.selectFrom('policies').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertPolicy(db: Executor, values: { key: string; name: string; description: string }) {
  return db
    .insertInto('policies')
    .values({ key: values.key, name: values.name, description: values.description })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The key is not here: it is immutable once created. */
export async function updatePolicy(db: Executor, id: string, values: { name?: string; description?: string; status?: Status }) {
  const set = {
    ...(values.name !== undefined && { name: values.name }),
    ...(values.description !== undefined && { description: values.description }),
    ...(values.status !== undefined && { status: values.status }),
  };
  if (Object.keys(set).length === 0) return { id };
  return db.updateTable('policies').set(set).where('id', '=', id).returning('id').executeTakeFirst();
}

// ---------------------------------------------------------------- versions

/** The highest version number and the latest-taking-effect version, for numbering and the append-only timeline. */
export async function versionTimeline(db: Executor, policyId: string) {
  const max = await db
    .selectFrom('policy_versions')
    .select(sql<number>`coalesce(max(version), 0)::int`.as('max_version'))
    .where('policy_id', '=', policyId)
    .executeTakeFirstOrThrow();
  const latest = await db
    .selectFrom('policy_versions')
    .select(['version', 'effective_from'])
    .where('policy_id', '=', policyId)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { maxVersion: max.max_version, latest: latest ?? null };
}

export async function insertVersion(
  db: Executor,
  values: { policyId: string; version: number; effectiveFrom: Date; summary: string; createdBy: string | null },
) {
  return db
    .insertInto('policy_versions')
    .values({
      policy_id: values.policyId,
      version: values.version,
      effective_from: values.effectiveFrom,
      summary: values.summary,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertLabels(
  db: Executor,
  versionId: string,
  labels: ReadonlyArray<{ key: string; name: string; severity: Severity; description: string }>,
): Promise<void> {
  if (labels.length === 0) return;
  await db
    .insertInto('policy_labels')
    .values(
      labels.map((label, position) => ({
        policy_version_id: versionId,
        key: label.key,
        name: label.name,
        severity: label.severity,
        description: label.description,
        position,
      })),
    )
    .execute();
}

export async function insertVersionActions(db: Executor, versionId: string, actionKeys: readonly string[]): Promise<void> {
  if (actionKeys.length === 0) return;
  await db
    .insertInto('policy_version_actions')
    .values(actionKeys.map((key) => ({ policy_version_id: versionId, action_key: key })))
    .execute();
}

/** A policy's versions, newest first. */
export async function listVersions(db: Executor, policyId: string) {
  return db.selectFrom('policy_versions').selectAll().where('policy_id', '=', policyId).orderBy('version', 'desc').execute();
}

export type VersionRow = Awaited<ReturnType<typeof listVersions>>[number];

export async function findVersion(db: Executor, id: string) {
  return db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The version of a policy in force at `at` (the latest effective_from not
 * after it), or undefined before its first version takes effect. A decision
 * is judged against the version in force when it was made.
 */
export async function findVersionInForce(db: Executor, policyId: string, at: Date) {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('policy_id', '=', policyId)
    .where('effective_from', '<=', at)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Labels of the given versions, in their order within each version. */
export async function listLabelsOfVersions(db: Executor, versionIds: readonly string[]) {
  if (versionIds.length === 0) return [];
  return db
    .selectFrom('policy_labels')
    .select(['policy_version_id', 'key', 'name', 'severity', 'description'])
    .where('policy_version_id', 'in', [...versionIds])
    .orderBy('policy_version_id')
    .orderBy('position')
    .orderBy('key')
    .execute();
}

/** Allowed action keys of the given versions. */
export async function listActionsOfVersions(db: Executor, versionIds: readonly string[]) {
  if (versionIds.length === 0) return [];
  return db
    .selectFrom('policy_version_actions')
    .select(['policy_version_id', 'action_key'])
    .where('policy_version_id', 'in', [...versionIds])
    .orderBy('policy_version_id')
    .orderBy('action_key')
    .execute();
}

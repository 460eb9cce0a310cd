import type { Executor } from '../database.ts';

/**
 * What ingestion resolves decisions against, read once per import: the
 * workflows with their policies' versions, labels and allowed actions, the
 * enforcement actions, and the people in the caller's scope.
 */
export async function loadPolicyCatalogue(db: Executor) {
  // One after another: these run on one connection inside a transaction.
  const workflows = await db.selectFrom('workflows').select(['id', 'key', 'status']).execute();
  const links = await db.selectFrom('workflow_policies').select(['workflow_id', 'policy_id']).execute();
  const versions = await db
    .selectFrom('policy_versions as v')
    .innerJoin('policies as p', 'p.id', 'v.policy_id')
    .select(['v.id', 'v.policy_id', 'v.version', 'v.effective_from', 'p.key as policy_key'])
    .orderBy('v.policy_id')
    .orderBy('v.effective_from')
    .execute();
  const labels = await db.selectFrom('policy_labels').select(['policy_version_id', 'key', 'severity']).execute();
  const versionActions = await db.selectFrom('policy_version_actions').select(['policy_version_id', 'action_key']).execute();
  const actions = await db.selectFrom('enforcement_actions').select(['key', 'status']).execute();
  return { workflows, links, versions, labels, versionActions, actions };
}

export type PolicyCatalogueRows = Awaited<ReturnType<typeof loadPolicyCatalogue>>;

/** Everyone in scope who could have made a decision (row-level security limits it to the caller's scope). */
export async function loadAgentDirectory(db: Executor) {
  return db
    .selectFrom('people')
    .select(['id', 'vendor_id', 'site_id', 'team_id', 'employee_ref', 'email', 'hire_date'])
    .execute();
}

export type AgentDirectoryRow = Awaited<ReturnType<typeof loadAgentDirectory>>[number];


import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { ScorecardStatus } from '../schema.ts';

/**
 * Scorecard versions per workflow. Not row-scoped: a scorecard applies to
 * every vendor's work, so everyone who may read scorecards sees all of them
 * (the service limits writes to users who see every vendor). The database
 * keeps at most one draft and one published version per workflow and refuses
 * to change the name or definition of a published or retired version.
 */

export interface ScorecardVersionRow {
  id: string;
  workflow_id: string;
  workflow_name: string;
  version: number;
  status: ScorecardStatus;
  name: string;
  definition: unknown;
  created_at: Date;
  created_by: string | null;
  published_at: Date | null;
  published_by: string | null;
  updated_at: Date;
}

function versions(db: Executor) {
  return db
    .selectFrom('scorecard_versions as sv')
    .innerJoin('workflows as w', 'w.id', 'sv.workflow_id')
    .select([
      'sv.id', 'sv.workflow_id', 'w.name as workflow_name', 'sv.version', 'sv.status', 'sv.name', 'sv.definition',
      'sv.created_at', 'sv.created_by', 'sv.published_at', 'sv.published_by', 'sv.updated_at',
    ]);
}

export async function findScorecardVersion(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<ScorecardVersionRow | undefined> {
  let query = versions(db).where('sv.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('sv');
  return query.executeTakeFirst();
}

export async function findVersionByStatus(db: Executor, workflowId: string, status: 'draft' | 'published'): Promise<ScorecardVersionRow | undefined> {
  return versions(db).where('sv.workflow_id', '=', workflowId).where('sv.status', '=', status).executeTakeFirst();
}

export async function listVersionsOfWorkflow(db: Executor, workflowId: string): Promise<ScorecardVersionRow[]> {
  return versions(db).where('sv.workflow_id', '=', workflowId).orderBy('sv.version', 'desc').execute();
}

/** The slim published row a review needs, without the workflow join. */
export async function findPublishedDefinition(db: Executor, workflowId: string) {
  return db
    .selectFrom('scorecard_versions')
    .select(['id', 'version', 'definition'])
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'published')
    .executeTakeFirst();
}

export interface WorkflowScorecardRow {
  workflow_id: string;
  workflow_key: string;
  workflow_name: string;
  workflow_kind: 'moderation' | 'support';
  workflow_status: 'active' | 'inactive';
  versions: number;
  published_id: string | null;
  published_version: number | null;
  published_name: string | null;
  published_at: Date | null;
  draft_id: string | null;
  draft_version: number | null;
  draft_name: string | null;
  draft_updated_at: Date | null;
}

/** Every workflow with a summary of its scorecard: the published version, the draft, how many versions. */
export async function listWorkflowScorecards(db: Executor): Promise<WorkflowScorecardRow[]> {
  return db
    .selectFrom('workflows as w')
    .leftJoin('scorecard_versions as p', (join) => join.onRef('p.workflow_id', '=', 'w.id').on('p.status', '=', 'published'))
    .leftJoin('scorecard_versions as d', (join) => join.onRef('d.workflow_id', '=', 'w.id').on('d.status', '=', 'draft'))
    .select([
      'w.id as workflow_id', 'w.key as workflow_key', 'w.name as workflow_name', 'w.kind as workflow_kind', 'w.status as workflow_status',
      'p.id as published_id', 'p.version as published_version', 'p.name as published_name', 'p.published_at',
      'd.id as draft_id', 'd.version as draft_version', 'd.name as draft_name', 'd.updated_at as draft_updated_at',
      sql<number>`(SELECT count(*)::int FROM scorecard_versions v WHERE v.workflow_id = w.id)`.as('versions'),
    ])
    .orderBy('w.name')
    .orderBy('w.id')
    .execute();
}

export async function nextVersionNumber(db: Executor, workflowId: string): Promise<number> {
  const row = await db
    .selectFrom('scorecard_versions')
    .select(sql<number>`coalesce(max(version), 0)::int + 1`.as('next'))
    .where('workflow_id', '=', workflowId)
    .executeTakeFirstOrThrow();
  return row.next;
}

export interface NewScorecardVersion {
  workflowId: string;
  version: number;
  name: string;
  definition: unknown;
  createdBy: string | null;
}

export async function insertDraft(db: Executor, values: NewScorecardVersion): Promise<string> {
  const row = await db
    .insertInto('scorecard_versions')
    .values({
      workflow_id: values.workflowId,
      version: values.version,
      status: 'draft',
      name: values.name,
      definition: JSON.stringify(values.definition),
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a draft only: the status condition makes a concurrent publish win cleanly. */
export async function updateDraft(db: Executor, id: string, values: { name: string; definition: unknown }): Promise<boolean> {
  const result = await db
    .updateTable('scorecard_versions')
    .set({ name: values.name, definition: JSON.stringify(values.definition) })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteDraft(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('scorecard_versions').where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Whether any review or review draft used the version (a used draft cannot exist, but guard anyway). */
export async function isVersionUsed(db: Executor, id: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('reviews').select(sql`1`.as('x')).where('scorecard_version_id', '=', id)).as('in_reviews'),
      eb.exists(eb.selectFrom('review_drafts').select(sql`1`.as('x')).where('scorecard_version_id', '=', id)).as('in_drafts'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.in_reviews) || Boolean(row.in_drafts);
}

/** Retires the workflow's published version (if any), returning its id. */
export async function retirePublished(db: Executor, workflowId: string): Promise<string | null> {
  const row = await db
    .updateTable('scorecard_versions')
    .set({ status: 'retired' })
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'published')
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function markPublished(db: Executor, id: string, publishedBy: string | null): Promise<boolean> {
  const result = await db
    .updateTable('scorecard_versions')
    .set({ status: 'published', published_at: sql<Date>`now()`, published_by: publishedBy })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Serialises drafting and publishing per workflow (until the transaction ends). */
export async function lockWorkflowScorecard(db: Executor, workflowId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('scorecard:' || ${workflowId}::text))`.execute(db);
}

export async function workflowExists(db: Executor, workflowId: string) {
  return db.selectFrom('workflows').select(['id', 'kind', 'name']).where('id', '=', workflowId).executeTakeFirst();
}

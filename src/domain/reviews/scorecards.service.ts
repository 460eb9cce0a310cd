import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/scorecards.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound, type FieldIssue } from '../errors.ts';
import { DEFAULT_MODERATION_SCORECARD, DEFAULT_SUPPORT_SCORECARD, validateScorecardDefinition } from './scorecard.rules.ts';
import type { ScorecardDefinition } from './scorecard.types.ts';

/**
 * Scorecard versions per workflow. A draft is edited freely; publishing it
 * makes it the workflow's current scorecard and retires the previous one, in
 * one transaction. Published and retired versions never change (the
 * database refuses too), so a review always shows the form it was scored on:
 * to change a published scorecard, start a new draft from it.
 */

export type ScorecardStatus = 'draft' | 'published' | 'retired';

export interface ScorecardVersionSummary {
  id: string;
  workflowId: string;
  workflowName: string;
  version: number;
  status: ScorecardStatus;
  name: string;
  questionCount: number;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface ScorecardVersion extends ScorecardVersionSummary {
  definition: ScorecardDefinition;
  createdBy: string | null;
  publishedBy: string | null;
}

export interface WorkflowScorecard {
  workflowId: string;
  workflowKey: string;
  workflowName: string;
  workflowKind: 'moderation' | 'support';
  workflowStatus: 'active' | 'inactive';
  versions: number;
  published: { id: string; version: number; name: string; publishedAt: string | null } | null;
  draft: { id: string; version: number; name: string; updatedAt: string | null } | null;
}

function definitionOf(row: repo.ScorecardVersionRow): ScorecardDefinition {
  return row.definition as ScorecardDefinition;
}

function summary(row: repo.ScorecardVersionRow): ScorecardVersionSummary {
  const definition = definitionOf(row);
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    version: row.version,
    status: row.status,
    name: row.name,
    questionCount: (definition.sections ?? []).reduce((n, s) => n + (s.questions?.length ?? 0), 0),
    createdAt: row.created_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}

function full(row: repo.ScorecardVersionRow): ScorecardVersion {
  return { ...summary(row), definition: definitionOf(row), createdBy: row.created_by, publishedBy: row.published_by };
}

function requireWriter(actor: Actor): void {
  if (actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', 'A scorecard applies to every vendor; only users who see every vendor can change it.');
  }
}

export async function listScorecards(trx: Executor): Promise<WorkflowScorecard[]> {
  return (await repo.listWorkflowScorecards(trx)).map((row) => ({
    workflowId: row.workflow_id,
    workflowKey: row.workflow_key,
    workflowName: row.workflow_name,
    workflowKind: row.workflow_kind,
    workflowStatus: row.workflow_status,
    versions: row.versions,
    published: row.published_id
      ? { id: row.published_id, version: row.published_version!, name: row.published_name!, publishedAt: row.published_at?.toISOString() ?? null }
      : null,
    draft: row.draft_id ? { id: row.draft_id, version: row.draft_version!, name: row.draft_name!, updatedAt: row.draft_updated_at?.toISOString() ?? null } : null,
  }));
}

export async function listVersions(trx: Executor, workflowId: string): Promise<ScorecardVersionSummary[]> {
  if (!(await repo.workflowExists(trx, workflowId))) throw notFound('Workflow');
  return (await repo.listVersionsOfWorkflow(trx, workflowId)).map(summary);
}

export async function getVersion(trx: Executor, id: string): Promise<ScorecardVersion> {
  const row = await repo.findScorecardVersion(trx, id);
  if (!row) throw notFound('Scorecard version');
  return full(row);
}

/** For the review workspace: the workflow's published scorecard, or null when it has none yet. */
export async function currentScorecard(trx: Executor, workflowId: string): Promise<{ id: string; version: number; definition: ScorecardDefinition } | null> {
  const row = await repo.findPublishedDefinition(trx, workflowId);
  return row ? { id: row.id, version: row.version, definition: row.definition as ScorecardDefinition } : null;
}

/** For the review workspace: any version by id (a review keeps the version it was scored on). */
export async function getScorecardVersion(trx: Executor, id: string): Promise<ScorecardVersion | null> {
  const row = await repo.findScorecardVersion(trx, id);
  return row ? full(row) : null;
}

function checkName(name: unknown, issues: FieldIssue[]): string {
  const value = typeof name === 'string' ? name.trim() : '';
  if (value.length < 1 || value.length > 120) issues.push({ path: '/name', message: 'A name of 1 to 120 characters.' });
  return value;
}

export interface NewDraftInput {
  name?: string;
  /** Start from the published version (the default when there is one) or from the built-in default. */
  from?: 'published' | 'default';
}

/** Starts the workflow's next version as a draft; there is at most one draft per workflow. */
export async function createDraft(trx: Executor, actor: Actor, workflowId: string, input: NewDraftInput): Promise<ScorecardVersion> {
  requireWriter(actor);
  const workflow = await repo.workflowExists(trx, workflowId);
  if (!workflow) throw notFound('Workflow');
  await repo.lockWorkflowScorecard(trx, workflowId);
  const existing = await repo.findVersionByStatus(trx, workflowId, 'draft');
  if (existing) throw conflict(`Version ${existing.version} of this scorecard is already a draft: edit or discard it first.`, '/workflowId');
  const published = await repo.findVersionByStatus(trx, workflowId, 'published');
  const from = input.from ?? (published ? 'published' : 'default');
  if (from === 'published' && !published) throw conflict('This workflow has no published scorecard to copy; start from the default.', '/from');
  const definition = from === 'published' ? definitionOf(published!) : workflow.kind === 'support' ? DEFAULT_SUPPORT_SCORECARD : DEFAULT_MODERATION_SCORECARD;
  const issues: FieldIssue[] = [];
  const name = input.name === undefined ? (published?.name ?? `${workflow.name} scorecard`) : checkName(input.name, issues);
  if (issues.length > 0) throw invalid(issues);
  const version = await repo.nextVersionNumber(trx, workflowId);
  const id = await repo.insertDraft(trx, { workflowId, version, name, definition, createdBy: actor.userId });
  await audit(trx, actor, {
    action: 'scorecard.draft',
    entityType: 'scorecard_version',
    entityId: id,
    vendorId: null,
    details: { workflowId, version, from, ...(from === 'published' && { basedOn: published!.id }) },
  });
  return (await getScorecardVersion(trx, id))!;
}

async function draftOrConflict(trx: Executor, id: string): Promise<repo.ScorecardVersionRow> {
  const row = await repo.findScorecardVersion(trx, id, { forUpdate: true });
  if (!row) throw notFound('Scorecard version');
  if (row.status !== 'draft') {
    throw conflict(`Version ${row.version} is ${row.status} and can no longer change: start a new version from it.`);
  }
  return row;
}

export async function updateDraft(trx: Executor, actor: Actor, id: string, input: { name: unknown; definition: unknown }): Promise<ScorecardVersion> {
  requireWriter(actor);
  const before = await draftOrConflict(trx, id);
  const issues: FieldIssue[] = [];
  const name = checkName(input.name, issues);
  issues.push(...validateScorecardDefinition(input.definition));
  if (issues.length > 0) throw invalid(issues, 'The scorecard has problems; each is shown next to its field.');
  const definition = input.definition as ScorecardDefinition;
  if (!(await repo.updateDraft(trx, id, { name, definition }))) throw conflict('This version was published or discarded meanwhile.');
  await audit(trx, actor, {
    action: 'scorecard.update',
    entityType: 'scorecard_version',
    entityId: id,
    vendorId: null,
    details: { workflowId: before.workflow_id, version: before.version, ...(before.name !== name && { name: [before.name, name] }) },
  });
  return (await getScorecardVersion(trx, id))!;
}

export async function discardDraft(trx: Executor, actor: Actor, id: string): Promise<void> {
  requireWriter(actor);
  const row = await draftOrConflict(trx, id);
  if (await repo.isVersionUsed(trx, id)) throw conflict('Reviews use this version; it cannot be discarded.');
  await repo.deleteDraft(trx, id);
  await audit(trx, actor, {
    action: 'scorecard.discard',
    entityType: 'scorecard_version',
    entityId: id,
    vendorId: null,
    details: { workflowId: row.workflow_id, version: row.version, name: row.name },
  });
}

/** The draft becomes the workflow's scorecard; the previous published version is retired. */
export async function publishDraft(trx: Executor, actor: Actor, id: string): Promise<ScorecardVersion> {
  requireWriter(actor);
  const peek = await repo.findScorecardVersion(trx, id);
  if (!peek) throw notFound('Scorecard version');
  await repo.lockWorkflowScorecard(trx, peek.workflow_id);
  const draft = await draftOrConflict(trx, id);
  // A draft is validated on every save, but one created from an older default or copied
  // from a version validated under older rules is checked again before it goes live.
  const issues = validateScorecardDefinition(draft.definition);
  if (issues.length > 0) throw invalid(issues, 'Fix the scorecard before publishing it.');
  const retired = await repo.retirePublished(trx, draft.workflow_id);
  if (!(await repo.markPublished(trx, id, actor.userId))) throw conflict('This version was published or discarded meanwhile.');
  await audit(trx, actor, {
    action: 'scorecard.publish',
    entityType: 'scorecard_version',
    entityId: id,
    vendorId: null,
    details: { workflowId: draft.workflow_id, version: draft.version, name: draft.name, retired },
  });
  return (await getScorecardVersion(trx, id))!;
}

/**
 * Drafts and publishes a definition in one go (demo data, first setup). The
 * definition is validated like an edit from the editor.
 */
export async function publishDefinition(
  trx: Executor,
  actor: Actor,
  workflowId: string,
  input: { name: string; definition: ScorecardDefinition },
): Promise<ScorecardVersion> {
  const draft = await createDraft(trx, actor, workflowId, { name: input.name, from: 'default' });
  await updateDraft(trx, actor, draft.id, input);
  return publishDraft(trx, actor, draft.id);
}

import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/sampling-plans.repository.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, conflict, notFound, type FieldIssue } from '../errors.ts';
import { checkName, parseOffsetDateTime } from '../policy/policy.rules.ts';
import { previewPlan, type PlanPreview } from './plan-preview.ts';
import { addDays, planInForce, utcDay, type PlanTimeline, type PlanTimelineEntry } from './plan-timeline.rules.ts';
import { validatePlanDefinition } from './plan.rules.ts';
import { DEFAULT_PLAN, type Conditions, type SamplingPlanDefinition } from './plan.types.ts';

export { planInForce, type PlanTimeline, type PlanTimelineEntry } from './plan-timeline.rules.ts';

/**
 * Sampling plans: one per workflow, versioned. A draft is edited freely;
 * activating it fixes its definition, seed and effective_from for good (a
 * trigger refuses any later change) and supersedes the previous active
 * version, in one transaction. Plans apply to every vendor of the workflow,
 * so changing one needs a user whose scope is all vendors. Design:
 * docs/decisions/0004-sampling-design.md.
 */

export type PlanStatus = 'draft' | 'active' | 'superseded';

export interface PlanVersionSummary {
  id: string;
  version: number;
  status: PlanStatus;
  name: string;
  effectiveFrom: string | null;
  createdAt: string;
  activatedAt: string | null;
  /** Whether this version places the decisions made now. */
  inForce: boolean;
}

export interface PlanVersion {
  id: string;
  workflowId: string;
  version: number;
  status: PlanStatus;
  name: string;
  notes: string;
  definition: SamplingPlanDefinition;
  /**
   * The seed of the draws. Whoever knows it can tell in advance which decisions will be reviewed,
   * so it is shown only to users who may change plans for every vendor; null for everyone else.
   */
  seed: string | null;
  effectiveFrom: string | null;
  createdAt: string;
  createdBy: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  updatedAt: string;
  inForce: boolean;
}

export interface WorkflowPlan {
  workflowId: string;
  workflowKey: string;
  workflowName: string;
  active: PlanVersionSummary | null;
  draft: PlanVersionSummary | null;
  /** Number of versions, drafts included. */
  versions: number;
}

export interface DraftInput {
  name?: string;
  notes?: string;
  /** Omitted: a copy of the active version's definition (or the default plan without one). */
  definition?: unknown;
  /** Where an omitted definition comes from: 'active' (the default) or 'default' (DEFAULT_PLAN). */
  from?: 'active' | 'default';
}

export interface DraftEdit {
  name: string;
  notes?: string;
  definition: unknown;
}

/** A past effective_from is refused beyond this tolerance (clock skew between client and server). */
const PAST_TOLERANCE_MS = 60_000;
const MAX_NOTES = 5000;
/** Above this many decisions in the window, the preview reads a deterministic subset and scales up. */
export const PREVIEW_MAX_ROWS = 300_000;
export const PREVIEW_DEFAULT_DAYS = 28;
export const PREVIEW_MAX_DAYS = 90;

// ---------------------------------------------------------------- presenting

function canSeeSeed(actor: Actor): boolean {
  return actor.scope.kind === 'all' && hasPermission(actor.role, 'sampling.write');
}

function requireAllScope(actor: Actor): void {
  if (actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', 'A sampling plan applies to every vendor of its workflow: changing one needs a user whose scope is all vendors.');
  }
}

/** The id of the version in force at `now` among a workflow's rows. */
function inForceId(rows: readonly repo.PlanVersionRow[], now: Date): string | null {
  const timeline = rows
    .filter((row) => row.status !== 'draft' && row.effective_from !== null)
    .map((row) => ({ id: row.id, effectiveFrom: row.effective_from! }))
    .sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  let found: string | null = null;
  for (const entry of timeline) if (entry.effectiveFrom.getTime() <= now.getTime()) found = entry.id;
  return found;
}

function summaryOf(row: repo.PlanVersionRow, inForce: string | null): PlanVersionSummary {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    name: row.name,
    effectiveFrom: row.effective_from?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    activatedAt: row.activated_at?.toISOString() ?? null,
    inForce: row.id === inForce,
  };
}

function present(row: repo.PlanVersionRow, inForce: string | null, actor: Actor): PlanVersion {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    version: row.version,
    status: row.status,
    name: row.name,
    notes: row.notes,
    definition: row.definition as SamplingPlanDefinition,
    seed: canSeeSeed(actor) ? row.seed : null,
    effectiveFrom: row.effective_from?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
    activatedBy: row.activated_by,
    updatedAt: row.updated_at.toISOString(),
    inForce: row.id === inForce,
  };
}

// ---------------------------------------------------------------- reading

export async function listPlans(trx: Executor, _actor: Actor, now = new Date()): Promise<{ items: WorkflowPlan[]; total: number }> {
  const [workflows, versions] = await Promise.all([repo.listWorkflowsForPlans(trx), repo.listAllVersions(trx)]);
  const byWorkflow = new Map<string, repo.PlanVersionRow[]>();
  for (const row of versions) {
    const list = byWorkflow.get(row.workflow_id);
    if (list) list.push(row);
    else byWorkflow.set(row.workflow_id, [row]);
  }
  const items = workflows.map((workflow) => {
    const rows = byWorkflow.get(workflow.id) ?? [];
    const current = inForceId(rows, now);
    const active = rows.find((row) => row.status === 'active');
    const draft = rows.find((row) => row.status === 'draft');
    return {
      workflowId: workflow.id,
      workflowKey: workflow.key,
      workflowName: workflow.name,
      active: active ? summaryOf(active, current) : null,
      draft: draft ? summaryOf(draft, current) : null,
      versions: rows.length,
    };
  });
  return { items, total: items.length };
}

export async function listPlanVersions(trx: Executor, actor: Actor, workflowId: string, now = new Date()): Promise<{ items: PlanVersion[]; total: number }> {
  if (!(await repo.findWorkflowForPlan(trx, workflowId))) throw notFound('Workflow');
  const rows = await repo.listVersionsOfWorkflow(trx, workflowId);
  const current = inForceId(rows, now);
  return { items: rows.map((row) => present(row, current, actor)), total: rows.length };
}

export async function getPlanVersion(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<PlanVersion> {
  const row = await repo.findVersion(trx, id);
  if (!row) throw notFound('Sampling plan version');
  const current = inForceId(await repo.listVersionsOfWorkflow(trx, row.workflow_id), now);
  return present(row, current, actor);
}

/**
 * Per workflow, its activated versions (active and superseded) ascending by
 * effective_from, with their definitions and seeds: ingestion resolves the
 * version in force at decided_at with `planInForce(timeline, decidedAt)`.
 * Read as the system: seeds are included.
 */
export async function loadPlanTimelines(trx: Executor): Promise<Map<string, PlanTimeline>> {
  const timelines = new Map<string, PlanTimelineEntry[]>();
  for (const row of await repo.listActivatedVersions(trx)) {
    const list = timelines.get(row.workflow_id) ?? [];
    list.push({
      id: row.id,
      workflowId: row.workflow_id,
      version: row.version,
      status: row.status as 'active' | 'superseded',
      effectiveFrom: row.effective_from!,
      definition: row.definition as SamplingPlanDefinition,
      seed: row.seed,
    });
    timelines.set(row.workflow_id, list);
  }
  return timelines;
}

// ---------------------------------------------------------------- checking

function conditionsOf(definition: SamplingPlanDefinition): Array<{ path: string; when: Conditions }> {
  return [
    ...definition.strata.map((rule, i) => ({ path: `/definition/strata/${i}/when`, when: rule.when })),
    ...definition.riskWeights.map((weight, i) => ({ path: `/definition/riskWeights/${i}/when`, when: weight.when })),
  ];
}

/** The plan's own rules (validatePlanDefinition), then its references: labels of the workflow's policies, vendors, sites. */
async function checkDefinition(trx: Executor, issues: Issues, workflowId: string, raw: unknown): Promise<SamplingPlanDefinition | null> {
  let definition: SamplingPlanDefinition;
  try {
    definition = validatePlanDefinition(raw);
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
      for (const detail of error.details) issues.add(detail.path, detail.message);
      return null;
    }
    throw error;
  }
  const conditions = conditionsOf(definition);
  const labelKeys = new Set((await repo.labelsOfWorkflow(trx, workflowId)).map((label) => label.key));
  const vendorIds = await repo.existingVendorIds(trx, [...new Set(conditions.flatMap((c) => c.when.vendorIds ?? []))]);
  const siteIds = await repo.existingSiteIds(trx, [...new Set(conditions.flatMap((c) => c.when.siteIds ?? []))]);
  for (const { path, when } of conditions) {
    (when.labels ?? []).forEach((label, i) => {
      if (!labelKeys.has(label)) issues.add(`${path}/labels/${i}`, `No policy of this workflow has the label "${label}".`);
    });
    (when.vendorIds ?? []).forEach((id, i) => {
      if (!vendorIds.has(id)) issues.add(`${path}/vendorIds/${i}`, 'No such vendor.');
    });
    (when.siteIds ?? []).forEach((id, i) => {
      if (!siteIds.has(id)) issues.add(`${path}/siteIds/${i}`, 'No such site.');
    });
  }
  return definition;
}

function checkNotes(issues: Issues, notes: string | undefined): string {
  const text = (notes ?? '').trim();
  issues.check(text.length <= MAX_NOTES, '/notes', `Use at most ${MAX_NOTES} characters.`);
  return text;
}

function throwIfAny(issues: Issues): void {
  issues.throwIfAny('The sampling plan is not valid.');
}

// ---------------------------------------------------------------- drafts

async function insertDraft(
  trx: Executor,
  actor: Actor,
  workflowId: string,
  input: DraftInput,
  seed: string,
): Promise<{ id: string; version: number; workflowKey: string }> {
  const workflow = await repo.lockWorkflowForPlan(trx, workflowId);
  if (!workflow) throw notFound('Workflow');
  const rows = await repo.listVersionsOfWorkflow(trx, workflowId);
  const draft = rows.find((row) => row.status === 'draft');
  if (draft) throw conflict(`This workflow already has a draft (version ${draft.version}): edit or discard it first.`);
  const version = (rows[0]?.version ?? 0) + 1;
  const active = rows.find((row) => row.status === 'active');
  const source = input.definition !== undefined ? 'given' : input.from === 'default' || !active ? 'default' : 'active';
  const raw = source === 'given' ? input.definition : source === 'active' ? active!.definition : DEFAULT_PLAN;
  const issues = new Issues();
  const name = checkName(issues, '/name', input.name ?? `Version ${version}`);
  const notes = checkNotes(issues, input.notes);
  const definition = await checkDefinition(trx, issues, workflowId, raw);
  throwIfAny(issues);
  const { id } = await repo.insertVersion(trx, {
    workflowId,
    version,
    status: 'draft',
    name,
    notes,
    definition,
    seed,
    createdBy: actor.userId,
  });
  await audit(trx, actor, {
    action: 'sampling_plan.draft_create',
    entityType: 'sampling_plan_version',
    entityId: id,
    vendorId: null,
    details: { workflowId, workflowKey: workflow.key, version, name, definitionFrom: source, ...(source === 'active' && { copiedFromVersionId: active!.id }) },
  });
  return { id, version, workflowKey: workflow.key };
}

/** A new draft for a workflow (409 when it already has one). */
export async function createDraft(trx: Executor, actor: Actor, workflowId: string, input: DraftInput): Promise<PlanVersion> {
  requireAllScope(actor);
  const { id } = await insertDraft(trx, actor, workflowId, input, randomBytes(16).toString('hex'));
  return getPlanVersion(trx, actor, id);
}

/** Locks a version and its workflow (in that order everywhere), and checks it is still a draft. */
async function lockDraft(trx: Executor, id: string, verb: string) {
  const found = await repo.findVersion(trx, id);
  if (!found) throw notFound('Sampling plan version');
  const workflow = await repo.lockWorkflowForPlan(trx, found.workflow_id);
  const row = await repo.lockVersion(trx, id);
  if (!row || !workflow) throw notFound('Sampling plan version');
  if (row.status !== 'draft') {
    throw conflict(`Version ${row.version} is ${row.status}: an activated version never changes, so it cannot be ${verb}. Create a new draft instead.`);
  }
  return { row, workflow };
}

/** Replaces a draft's name, notes and definition (409 once activated). */
export async function updateDraft(trx: Executor, actor: Actor, id: string, input: DraftEdit): Promise<PlanVersion> {
  requireAllScope(actor);
  const { row, workflow } = await lockDraft(trx, id, 'edited');
  const issues = new Issues();
  const name = checkName(issues, '/name', input.name ?? '');
  const notes = checkNotes(issues, input.notes);
  const definition = await checkDefinition(trx, issues, row.workflow_id, input.definition);
  throwIfAny(issues);
  const changed = [
    ...(name !== row.name ? ['name'] : []),
    ...(notes !== row.notes ? ['notes'] : []),
    ...(JSON.stringify(definition) !== JSON.stringify(row.definition) ? ['definition'] : []),
  ];
  if (changed.length === 0) return getPlanVersion(trx, actor, id);
  await repo.updateDraft(trx, id, { name, notes, definition });
  await audit(trx, actor, {
    action: 'sampling_plan.draft_update',
    entityType: 'sampling_plan_version',
    entityId: id,
    vendorId: null,
    details: { workflowId: row.workflow_id, workflowKey: workflow.key, version: row.version, changed, ...(changed.includes('name') && { name: [row.name, name] }) },
  });
  return getPlanVersion(trx, actor, id);
}

/** Deletes a draft (409 once activated). */
export async function discardDraft(trx: Executor, actor: Actor, id: string): Promise<void> {
  requireAllScope(actor);
  const { row, workflow } = await lockDraft(trx, id, 'discarded');
  await repo.deleteDraft(trx, id);
  await audit(trx, actor, {
    action: 'sampling_plan.draft_discard',
    entityType: 'sampling_plan_version',
    entityId: id,
    vendorId: null,
    details: { workflowId: row.workflow_id, workflowKey: workflow.key, version: row.version, name: row.name },
  });
}

// ---------------------------------------------------------------- activation

/**
 * System-level activation at any effective_from (the demo installs a plan 100
 * days in the past; the API refuses the past). The timeline stays
 * append-only: effective_from must be after every activated version's.
 */
export async function activatePlanVersionAt(trx: Executor, actor: Actor, id: string, effectiveFrom: Date, now = new Date()): Promise<PlanVersion> {
  const { row, workflow } = await lockDraft(trx, id, 'activated again');
  const issues = new Issues();
  const definition = await checkDefinition(trx, issues, row.workflow_id, row.definition);
  throwIfAny(issues);
  const latest = await repo.latestActivated(trx, row.workflow_id);
  if (latest && effectiveFrom.getTime() <= latest.effectiveFrom.getTime()) {
    issues.add('/effectiveFrom', `Version ${latest.version} takes effect at ${latest.effectiveFrom.toISOString()}; a new version must take effect after it.`);
  }
  throwIfAny(issues);
  const superseded = await repo.supersedeActive(trx, row.workflow_id);
  await repo.activateDraft(trx, id, { effectiveFrom, activatedAt: now, activatedBy: actor.userId });
  await audit(trx, actor, {
    action: 'sampling_plan.activate',
    entityType: 'sampling_plan_version',
    entityId: id,
    vendorId: null,
    details: {
      workflowId: row.workflow_id,
      workflowKey: workflow.key,
      version: row.version,
      name: row.name,
      effectiveFrom: effectiveFrom.toISOString(),
      supersededVersionId: superseded?.id ?? null,
      supersededVersion: superseded?.version ?? null,
      strata: definition!.strata.map((rule) => rule.key),
    },
  });
  return getPlanVersion(trx, actor, id, now);
}

/** Activates a draft from the API: effective now, or at a given moment that is not in the past. */
export async function activateVersion(trx: Executor, actor: Actor, id: string, input: { effectiveFrom?: string } = {}, now = new Date()): Promise<PlanVersion> {
  requireAllScope(actor);
  let effectiveFrom = now;
  if (input.effectiveFrom !== undefined) {
    const parsed = parseOffsetDateTime(input.effectiveFrom);
    const fail = (message: string): never => {
      throw new AppError('VALIDATION_FAILED', 'The activation date is not valid.', [{ path: '/effectiveFrom', message }] satisfies FieldIssue[]);
    };
    if (!parsed) return fail('Use an ISO date and time with an offset, like 2026-03-01T00:00:00Z.');
    if (parsed.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      return fail('May not be in the past: decisions already placed by the plan in force keep it. Leave empty to activate now.');
    }
    if (parsed.getUTCFullYear() > 2100) return fail('A date after 2100 is probably a typo.');
    effectiveFrom = parsed;
  }
  return activatePlanVersionAt(trx, actor, id, effectiveFrom, now);
}

/**
 * Installs an active plan in one step, at any effective_from, optionally with
 * a given seed (the demo: reproducible samples 100 days back). System use.
 */
export async function createActivePlan(
  trx: Executor,
  actor: Actor,
  workflowId: string,
  input: { name: string; notes?: string; definition: SamplingPlanDefinition; effectiveFrom: Date; seed?: string },
  now = new Date(),
): Promise<PlanVersion> {
  const { id } = await insertDraft(trx, actor, workflowId, { name: input.name, notes: input.notes, definition: input.definition }, input.seed ?? randomBytes(16).toString('hex'));
  return activatePlanVersionAt(trx, actor, id, input.effectiveFrom, now);
}

// ---------------------------------------------------------------- preview

/**
 * Runs a definition over the workflow's decisions of the last `days` full UTC
 * days that the caller can see, with the same placement code as ingestion.
 */
export async function previewPlanForWorkflow(
  trx: Executor,
  _actor: Actor,
  input: { workflowId: string; definition: unknown; days?: number },
  now = new Date(),
  options: { maxRows?: number } = {},
): Promise<PlanPreview> {
  const issues = new Issues();
  const days = input.days ?? PREVIEW_DEFAULT_DAYS;
  issues.check(Number.isInteger(days) && days >= 1 && days <= PREVIEW_MAX_DAYS, '/days', `A whole number of days from 1 to ${PREVIEW_MAX_DAYS}.`);
  const workflow = await repo.findWorkflowForPlan(trx, input.workflowId);
  if (!workflow) issues.add('/workflowId', 'No such workflow.');
  const definition = workflow ? await checkDefinition(trx, issues, workflow.id, input.definition) : null;
  throwIfAny(issues);
  const to = addDays(utcDay(now), -1);
  const from = addDays(to, -(days - 1));
  const count = await repo.countWindowDecisions(trx, workflow!.id, from, to);
  const maxRows = options.maxRows ?? PREVIEW_MAX_ROWS;
  const fraction = count > maxRows ? maxRows / count : 1;
  const rows = count === 0 ? [] : await repo.listWindowDecisions(trx, workflow!.id, from, to, fraction);
  const severities = new Map((await repo.labelsOfWorkflow(trx, workflow!.id)).map((label) => [label.key, label.severity as string]));
  return previewPlan(
    definition!,
    rows.map((row) => ({
      id: row.id,
      labels: row.labels,
      severity: row.severity,
      vendorId: row.vendor_id,
      siteId: row.site_id,
      tenureDays: row.tenure_days,
      modelScore: row.model_score,
      agentId: row.agent_id,
      day: row.decided_day,
    })),
    {
      from,
      to,
      days,
      totalDecisions: count,
      scale: rows.length > 0 ? count / rows.length : 1,
      labelSeverity: (label) => severities.get(label),
    },
  );
}

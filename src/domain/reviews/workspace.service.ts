import type { Executor } from '../../db/database.ts';
import * as drafts from '../../db/repositories/review-drafts.repository.ts';
import * as repo from '../../db/repositories/reviews.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound, type FieldIssue } from '../errors.ts';
import { displayFor } from '../wellbeing/wellbeing.service.ts';
import type { EffectiveDisplay } from '../wellbeing/wellbeing.rules.ts';
import type { Answer, ScorecardDefinition, Verdict } from './scorecard.types.ts';

/**
 * The review workspace: what a reviewer sees while holding a task (the item,
 * its context, the policy text in force when it was decided, the scorecard)
 * and their autosaved draft. In blind mode the agent's labels and action stay
 * hidden until the reviewer has recorded their own verdict, so the QA verdict
 * (the reference label for metrics) is not anchored on the agent's.
 */

/** An autosave may add at most this much active time: a tab left open must not count hours. */
export const MAX_ACTIVE_MS_PER_SAVE = 120_000;

/** The verdict as kept in the draft: `blindRecorded` says it was given before the agent's decision was shown. */
export interface DraftVerdict extends Verdict {
  blindRecorded: boolean;
}

export function requirePerson(actor: Actor): string {
  if (!actor.personId) {
    throw new AppError('FORBIDDEN', 'Your user is not linked to a person record, so you cannot review QA tasks. Ask an administrator to link your user to your person record.');
  }
  return actor.personId;
}

/**
 * Locks the task and refuses (409, with the reason) unless the caller holds it.
 * A lapsed lease nobody else took over still counts as the caller's unless
 * `live` is asked for, so slow work is not lost.
 */
export async function lockHeldTask(trx: Executor, actor: Actor, taskId: string, now: Date, options: { live?: boolean } = {}): Promise<repo.ReviewTaskRow> {
  const personId = requirePerson(actor);
  const task = await repo.lockTaskForReview(trx, taskId);
  if (!task) throw notFound('QA task');
  assertHeld(task, personId, now, options);
  return task;
}

/** Refuses (409, with the reason) unless `personId` holds the task. */
export function assertHeld(task: repo.ReviewTaskRow, personId: string, now: Date, options: { live?: boolean } = {}): void {
  if (task.status === 'completed') throw conflict('This task is already completed: a review was submitted for it.');
  if (task.status === 'cancelled') throw conflict('This task was cancelled; there is nothing to review.');
  const live = task.lease_expires_at !== null && task.lease_expires_at > now;
  if (task.status === 'claimed' && task.claimed_by !== personId) {
    throw conflict(live ? 'Another reviewer holds this task.' : 'Another reviewer claimed this task; it is no longer yours.');
  }
  if (task.status === 'open') {
    if (task.assignee_id !== null && task.assignee_id !== personId) throw conflict('This task was reassigned to another reviewer.');
    throw conflict('You do not hold this task; claim it first.');
  }
  if (options.live && !live) throw conflict('Your claim on this task ran out; claim it again to continue.');
}

export async function loadDecision(trx: Executor, task: repo.ReviewTaskRow): Promise<repo.ReviewDecisionRow> {
  const decision = await repo.findDecisionForReview(trx, task.decision_id);
  if (!decision) throw notFound('Decision');
  return decision;
}

export interface ScorecardRef {
  id: string;
  version: number;
  name: string;
  definition: ScorecardDefinition;
}

/** The scorecard a review of this task uses: the draft's version once started, else the workflow's published one. */
export async function scorecardFor(trx: Executor, workflowId: string, draft: drafts.DraftRow | undefined): Promise<ScorecardRef> {
  const row = draft ? await repo.scorecardById(trx, draft.scorecard_version_id) : await repo.publishedScorecard(trx, workflowId);
  if (!row) throw conflict('This workflow has no published scorecard yet; ask a QA lead to publish one.');
  return { id: row.id, version: row.version, name: row.name, definition: row.definition as ScorecardDefinition };
}

function presentPolicy(p: repo.PolicyInForce) {
  return {
    policyKey: p.policy_key,
    policyName: p.policy_name,
    versionId: p.id,
    version: p.version,
    effectiveFrom: new Date(p.effective_from).toISOString(),
    summary: p.summary,
    labels: p.labels.map((l) => ({ key: l.key, name: l.name, severity: l.severity, description: l.description })),
    actions: p.actions,
  };
}

/** The reviewer's verdict checked against the policy versions in force when the decision was made. */
export async function checkVerdict(trx: Executor, decision: repo.ReviewDecisionRow, verdict: Verdict, base = ''): Promise<FieldIssue[]> {
  const policies = await repo.policiesInForce(trx, decision.workflow_id, new Date(decision.decided_at));
  return checkVerdictAgainst(trx, policies, verdict, base);
}

/** As checkVerdict, with the policies in force already read. */
export async function checkVerdictAgainst(trx: Executor, policies: repo.PolicyInForce[], verdict: Verdict, base = ''): Promise<FieldIssue[]> {
  const labels = new Set(policies.flatMap((p) => p.labels.map((l) => l.key)));
  const issues: FieldIssue[] = [];
  verdict.labels.forEach((label, i) => {
    if (!labels.has(label)) issues.push({ path: `${base}/labels/${i}`, message: `"${label}" is not a label of the policies in force when this decision was made.` });
    else if (verdict.labels.indexOf(label) !== i) issues.push({ path: `${base}/labels/${i}`, message: 'Listed twice.' });
  });
  const allowed = policies.length > 0 ? new Set(policies.flatMap((p) => p.actions)) : new Set(await repo.activeActionKeys(trx));
  if (!allowed.has(verdict.action)) issues.push({ path: `${base}/action`, message: `"${verdict.action}" is not an action the policies in force allow.` });
  return issues;
}

function draftView(draft: drafts.DraftRow) {
  const verdict = draft.verdict as DraftVerdict | null;
  return {
    verdict: verdict ? { labels: verdict.labels, action: verdict.action } : null,
    answers: draft.answers as Answer[],
    decisionRevealed: draft.decision_revealed_at !== null,
    activeMs: Number(draft.active_ms),
    scorecardVersionId: draft.scorecard_version_id,
    startedAt: draft.started_at.toISOString(),
    updatedAt: draft.updated_at.toISOString(),
  };
}

export interface Workspace {
  task: { id: string; status: string; dueAt: string; claimedAt: string | null; leaseExpiresAt: string | null };
  decision: Record<string, unknown>;
  context: Record<string, unknown>;
  policies: ReturnType<typeof presentPolicy>[];
  scorecard: ScorecardRef;
  blind: boolean;
  draft: ReturnType<typeof draftView>;
  wellbeing: EffectiveDisplay;
}

/** Opens the workspace of a task the caller holds; the first open starts the draft. Shows content, so it is audited. */
export async function openWorkspace(trx: Executor, actor: Actor, taskId: string, now = new Date()): Promise<Workspace> {
  const task = await lockHeldTask(trx, actor, taskId, now, { live: true });
  const decision = await loadDecision(trx, task);
  let draft = await drafts.findDraft(trx, task.id);
  if (!draft || draft.reviewer_id !== actor.personId) {
    const scorecard = await scorecardFor(trx, task.workflow_id, undefined);
    draft = await drafts.upsertDraft(trx, {
      task_id: task.id,
      reviewer_id: actor.personId!,
      scorecard_version_id: scorecard.id,
      vendor_id: task.vendor_id,
      site_id: task.site_id,
      team_id: task.team_id,
      agent_id: task.agent_id,
    });
  }
  const scorecard = await scorecardFor(trx, task.workflow_id, draft);
  const policies = await repo.policiesInForce(trx, decision.workflow_id, new Date(decision.decided_at));
  const hidden = task.blind_mode && draft.decision_revealed_at === null;
  await audit(trx, actor, { action: 'decision.content_view', entityType: 'decision', entityId: decision.id, vendorId: decision.vendor_id, details: { taskId: task.id, via: 'review_workspace' } });
  return {
    task: {
      id: task.id,
      status: task.status,
      dueAt: task.due_at.toISOString(),
      claimedAt: task.claimed_at?.toISOString() ?? null,
      leaseExpiresAt: task.lease_expires_at?.toISOString() ?? null,
    },
    decision: {
      id: decision.id,
      externalId: decision.external_id,
      workflowId: decision.workflow_id,
      workflowName: decision.workflow_name,
      decidedAt: new Date(decision.decided_at).toISOString(),
      handleTimeMs: decision.handle_time_ms,
      // Blind: the agent's labels, action and severity would anchor the reviewer's own verdict.
      labels: hidden ? null : decision.labels,
      action: hidden ? null : decision.action,
      severity: hidden ? null : decision.severity,
      content: { kind: decision.content_kind, text: decision.content_text, url: decision.content_url, language: decision.content_language },
      metadata: decision.metadata,
    },
    context: {
      agentId: decision.agent_id,
      agentName: decision.agent_name,
      tenureDaysThen: decision.tenure_days,
      vendorId: decision.vendor_id,
      vendorName: decision.vendor_name,
      siteId: decision.site_id,
      siteName: decision.site_name,
      teamId: decision.team_id,
      teamName: decision.team_name,
      agentDecisionsLast30Days: await repo.agentRecentDecisionCount(trx, decision.agent_id, new Date(decision.decided_at)),
    },
    policies: policies.map(presentPolicy),
    scorecard,
    blind: task.blind_mode,
    draft: draftView(draft),
    // The protection follows the item's harm, even in blind mode: a reviewer's wellbeing comes first.
    wellbeing: await displayFor(trx, actor, decision.severity),
  };
}

async function heldDraft(trx: Executor, actor: Actor, task: repo.ReviewTaskRow): Promise<drafts.DraftRow> {
  const draft = await drafts.findDraft(trx, task.id);
  if (!draft || draft.reviewer_id !== actor.personId) throw conflict('Open the workspace of this task first.');
  return draft;
}

/** Autosave: answers replace the saved ones; active time accumulates, capped per save. */
export async function saveDraft(trx: Executor, actor: Actor, taskId: string, input: { answers?: Answer[]; activeMsDelta?: number }, now = new Date()) {
  const task = await lockHeldTask(trx, actor, taskId, now);
  await heldDraft(trx, actor, task);
  const delta = Math.max(0, Math.min(MAX_ACTIVE_MS_PER_SAVE, Math.round(input.activeMsDelta ?? 0)));
  return draftView(await drafts.saveAnswers(trx, task.id, input.answers, delta));
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  return a.action === b.action && a.labels.length === b.labels.length && a.labels.every((l) => b.labels.includes(l));
}

/**
 * Records the reviewer's own verdict and (in blind mode) reveals the agent's
 * decision. It may be changed afterwards, but then it no longer counts as blind.
 */
export async function recordVerdict(trx: Executor, actor: Actor, taskId: string, verdict: Verdict, now = new Date()) {
  const task = await lockHeldTask(trx, actor, taskId, now);
  const draft = await heldDraft(trx, actor, task);
  const decision = await loadDecision(trx, task);
  const issues = await checkVerdict(trx, decision, verdict);
  if (issues.length > 0) throw invalid(issues);
  const previous = draft.verdict as DraftVerdict | null;
  const revealed = draft.decision_revealed_at !== null;
  const blindRecorded = task.blind_mode && (!revealed || (previous !== null && previous.blindRecorded && sameVerdict(previous, verdict)));
  const saved = await drafts.saveVerdict(trx, task.id, { labels: verdict.labels, action: verdict.action, blindRecorded } satisfies DraftVerdict, now);
  return { verdict: { labels: verdict.labels, action: verdict.action }, blind: blindRecorded, decision: { labels: decision.labels, action: decision.action, severity: decision.severity }, draft: draftView(saved) };
}

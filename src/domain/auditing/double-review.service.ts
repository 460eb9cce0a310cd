import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/double-review.repository.ts';
import { listAuditingSettings } from '../../db/repositories/gold-items.repository.ts';
import { findReviewerLoads } from '../../db/repositories/qa-reviewers.repository.ts';
import { setAssignees } from '../../db/repositories/qa-tasks.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { assignTasks, QA_DEFAULTS, utcDay } from '../qa/qa-assignment.rules.ts';
import { requireInternal } from './auditing-access.ts';
import { flagsForReviewers, summarisePairs, type DoubleReviewSummary, type ReviewPair } from './double-review.rules.ts';

/**
 * Double review of vendor QA (docs/decisions/0009). A step run on demand (or
 * by a scheduler), never on the submit path: draw every new vendor-QA review
 * with the workflow's seed, turn the selected ones into blind tasks for
 * in-house QA on the same decision, assign them by the ordinary rules (in-house
 * reviewers only). The internal reviewer sees the decision as any task shows
 * it, never the vendor QA's verdict.
 */

/** How far back a first run draws reviews. */
export const DRAW_LOOKBACK_DAYS = 30;

export async function runDoubleReview(trx: Executor, actor: Actor, options: { workflowId?: string } = {}, now = new Date()) {
  requireInternal(actor, 'run double review');
  const settings = (await listAuditingSettings(trx, options.workflowId)).filter((s) => s.double_review_rate > 0);
  const since = new Date(now.getTime() - DRAW_LOOKBACK_DAYS * 86_400_000);
  const workflows: Array<{ workflowId: string; drawn: number; selected: number; tasks: number; assigned: number }> = [];
  for (const s of settings) {
    const drawn = await repo.drawVendorReviews(trx, s.workflow_id, s.double_review_rate, s.seed, since, now);
    const created = await repo.insertDoubleReviewTasks(trx, s.workflow_id, now, QA_DEFAULTS.turnaroundHours);
    const reviewers = (await findReviewerLoads(trx, [s.workflow_id], utcDay(now), QA_DEFAULTS.dailyCapacity)).filter((r) => r.vendor_is_in_house);
    const assignment = assignTasks(
      created.map((t) => ({
        id: t.id,
        decisionId: t.decision_id,
        dueAt: t.due_at,
        workflowId: t.workflow_id,
        agentId: t.agent_id,
        vendorId: t.vendor_id,
        vendorIsInHouse: false,
        teamId: t.team_id,
        language: t.language,
        internalReviewsVendorWork: true,
        inHouseOnly: true,
      })),
      reviewers.map((r) => ({
        id: r.id,
        vendorId: r.vendor_id,
        vendorIsInHouse: r.vendor_is_in_house,
        teamId: r.team_id,
        jobRole: r.job_role,
        status: r.status,
        languages: r.languages,
        workflowIds: r.workflow_ids,
        dailyCapacity: r.daily_capacity,
        openLoad: r.open_load,
        assignedToday: r.assigned_today,
      })),
    );
    const taskIds: string[] = [];
    const assigneeIds: string[] = [];
    for (const [taskId, reviewerId] of assignment) {
      if (reviewerId === null) continue;
      taskIds.push(taskId);
      assigneeIds.push(reviewerId);
    }
    await setAssignees(trx, taskIds, assigneeIds);
    workflows.push({ workflowId: s.workflow_id, drawn: drawn.drawn, selected: drawn.selected, tasks: created.length, assigned: taskIds.length });
  }
  await audit(trx, actor, { action: 'double_review.run', entityType: 'workflow', vendorId: null, details: { workflows } });
  return { workflows };
}

export interface DoubleReviewGroup extends DoubleReviewSummary {
  vendorId: string;
  vendorName: string | null;
  reviewerId: string | null;
  reviewerName: string | null;
  tolerance: number;
}

export interface DoubleReviewResults {
  tolerance: number;
  confidence: number;
  vendors: Array<DoubleReviewGroup & { reviewers: DoubleReviewGroup[] }>;
  progress: Array<{ workflowId: string; drawn: number; selected: number; openTasks: number; completed: number }>;
}

const toPair = (row: repo.ReviewPairRow): ReviewPair => ({
  vendor: { passed: row.vendor_passed, correct: row.vendor_correct, labels: row.vendor_labels },
  internal: { passed: row.internal_passed, correct: row.internal_correct, labels: row.internal_labels },
});

/**
 * Per vendor and per vendor-QA reviewer: agreement with internal QA, leniency
 * and the accuracy gap with paired intervals, and the inflated flag. The
 * tolerance is the workflow's (the largest of those in the filter when several).
 */
export async function doubleReviewResults(trx: Executor, _actor: Actor, filter: repo.DoubleReviewFilter & { confidence?: number }): Promise<DoubleReviewResults> {
  await repo.seeAuditReviews(trx);
  const confidence = filter.confidence ?? 0.95;
  const [rows, settings, progress] = await Promise.all([repo.reviewPairs(trx, filter), listAuditingSettings(trx, filter.workflowId), repo.drawProgress(trx, filter.workflowId)]);
  const tolerance = settings.length > 0 ? Math.max(...settings.map((s) => s.leniency_tolerance)) : 0.02;
  const byVendor = new Map<string, repo.ReviewPairRow[]>();
  for (const row of rows) byVendor.set(row.vendor_id, [...(byVendor.get(row.vendor_id) ?? []), row]);
  const vendors = [...byVendor.values()].map((vendorRows) => {
    const first = vendorRows[0]!;
    const byReviewer = new Map<string, repo.ReviewPairRow[]>();
    for (const row of vendorRows) byReviewer.set(row.reviewer_id, [...(byReviewer.get(row.reviewer_id) ?? []), row]);
    return {
      ...summarisePairs(vendorRows.map(toPair), tolerance, confidence),
      vendorId: first.vendor_id,
      vendorName: first.vendor_name,
      reviewerId: null,
      reviewerName: null,
      tolerance,
      reviewers: flagsForReviewers(
        [...byReviewer.values()].map((reviewerRows) => ({
          ...summarisePairs(reviewerRows.map(toPair), tolerance, confidence),
          vendorId: first.vendor_id,
          vendorName: first.vendor_name,
          reviewerId: reviewerRows[0]!.reviewer_id,
          reviewerName: reviewerRows[0]!.reviewer_name,
          tolerance,
        })),
        confidence,
      ),
    };
  });
  return {
    tolerance,
    confidence,
    vendors,
    progress: progress.map((p) => ({ workflowId: p.workflow_id, drawn: p.drawn, selected: p.selected, openTasks: p.open_tasks, completed: p.completed })),
  };
}

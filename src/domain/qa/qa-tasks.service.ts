import type { Executor } from '../../db/database.ts';
import { findReviewerLoads, type ReviewerLoadRow } from '../../db/repositories/qa-reviewers.repository.ts';
import { insertTasksForSampledDecisions, setAssignees, type CreatedTaskRow } from '../../db/repositories/qa-tasks.repository.ts';
import { assignTasks, QA_DEFAULTS, utcDay, type AssignableTask, type ReviewerLoad } from './qa-assignment.rules.ts';

/**
 * Turns newly sampled decisions into QA tasks (one per decision and kind; a
 * second call for the same decision does nothing) with a due date from the
 * workflow's turnaround target, then assigns them by the workflow's rules.
 * Called by ingestion and by the end-of-day selection, inside their transaction.
 *
 * Set-based for batches of thousands: one INSERT ... SELECT, one read of the
 * candidate reviewers of the batch's workflows, the assignment in memory, one
 * UPDATE from arrays. Under a scoped transaction only reviewers the caller can
 * see are candidates; work nobody in sight can take stays unassigned, in the
 * workflow pool, for any eligible reviewer to take with "next".
 *
 * Returns the number of tasks created.
 */
export async function createTasksForSamples(trx: Executor, decisionIds: string[], now: Date): Promise<number> {
  if (decisionIds.length === 0) return 0;
  const created = await insertTasksForSampledDecisions(trx, decisionIds, now, QA_DEFAULTS.turnaroundHours);
  if (created.length === 0) return 0;
  const workflowIds = [...new Set(created.map((task) => task.workflow_id))];
  const reviewers = await findReviewerLoads(trx, workflowIds, utcDay(now), QA_DEFAULTS.dailyCapacity);
  const assignment = assignTasks(created.map(assignableTask), reviewers.map(reviewerLoad));
  const taskIds: string[] = [];
  const assigneeIds: string[] = [];
  for (const [taskId, reviewerId] of assignment) {
    if (reviewerId === null) continue;
    taskIds.push(taskId);
    assigneeIds.push(reviewerId);
  }
  await setAssignees(trx, taskIds, assigneeIds);
  return created.length;
}

function assignableTask(row: CreatedTaskRow): AssignableTask {
  return {
    id: row.id,
    decisionId: row.decision_id,
    dueAt: row.due_at,
    workflowId: row.workflow_id,
    agentId: row.agent_id,
    vendorId: row.vendor_id,
    vendorIsInHouse: row.vendor_is_in_house,
    teamId: row.team_id,
    language: row.language,
    internalReviewsVendorWork: row.internal_reviews_vendor_work,
  };
}

function reviewerLoad(row: ReviewerLoadRow): ReviewerLoad {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorIsInHouse: row.vendor_is_in_house,
    teamId: row.team_id,
    jobRole: row.job_role,
    status: row.status,
    languages: row.languages,
    workflowIds: row.workflow_ids,
    dailyCapacity: row.daily_capacity,
    openLoad: row.open_load,
    assignedToday: row.assigned_today,
  };
}

import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as queue from '../../db/repositories/qa-queue.repository.ts';
import { listReviewerWorkloads, type ReviewerWorkloadFilter, type ReviewerWorkloadRow } from '../../db/repositories/qa-reviewers.repository.ts';
import type { QaTaskStatus, Severity } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { QA_DEFAULTS, utcDay } from './qa-assignment.rules.ts';

/**
 * Reading the QA queue: task lists (the overdue view is a filter of it), one
 * task, the per-workflow and per-reviewer summary, and reviewers' workload.
 * Everything is read through the viewer's scope.
 */

export interface QaTask {
  id: string;
  decisionId: string;
  workflowId: string;
  workflowName: string;
  agentId: string;
  agentName: string | null;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  siteName: string | null;
  teamId: string | null;
  teamName: string | null;
  decidedAt: string;
  labels: string[];
  severity: Severity | null;
  action: string;
  language: string;
  stratumKey: string | null;
  inclusionProbability: number | null;
  dueAt: string;
  /** A claim whose lease ran out reads as open. */
  status: QaTaskStatus;
  overdue: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  claimedById: string | null;
  claimedByName: string | null;
  claimedAt: string | null;
  leaseExpiresAt: string | null;
  createdAt: string;
  completedAt: string | null;
  updatedAt: string;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function presentTask(row: queue.TaskViewRow): QaTask {
  // An expired claim is over: nobody holds the task, whatever the row still says.
  const held = row.status === 'claimed';
  return {
    id: row.id,
    decisionId: row.decision_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    siteId: row.site_id,
    siteName: row.site_name,
    teamId: row.team_id,
    teamName: row.team_name,
    decidedAt: row.decided_at.toISOString(),
    labels: row.labels,
    severity: row.severity,
    action: row.action,
    language: row.language,
    stratumKey: row.stratum_key,
    inclusionProbability: row.inclusion_probability,
    dueAt: row.due_at.toISOString(),
    status: row.status,
    overdue: row.overdue,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    claimedById: held ? row.claimed_by : null,
    claimedByName: held ? row.claimed_by_name : null,
    claimedAt: held ? iso(row.claimed_at) : null,
    leaseExpiresAt: held ? iso(row.lease_expires_at) : null,
    createdAt: row.created_at.toISOString(),
    completedAt: iso(row.completed_at),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listTasks(trx: Executor, filter: queue.TaskFilter, page: Page, now = new Date()) {
  const { rows, total } = await queue.listTaskViews(trx, filter, now, page);
  return { items: rows.map(presentTask), total };
}

export async function getTask(trx: Executor, id: string, now = new Date()): Promise<QaTask> {
  const row = await queue.findTaskView(trx, id, now);
  if (!row) throw notFound('QA task');
  return presentTask(row);
}

export interface Reviewer {
  personId: string;
  name: string;
  vendorId: string;
  vendorName: string;
  vendorIsInHouse: boolean;
  siteId: string;
  siteName: string | null;
  teamId: string | null;
  teamName: string | null;
  jobRole: string;
  status: string;
  languages: string[];
  workflowIds: string[];
  dailyCapacity: number;
  capacityIsDefault: boolean;
  assignedOpen: number;
  claimed: number;
  overdue: number;
  assignedToday: number;
}

export function presentReviewer(row: ReviewerWorkloadRow): Reviewer {
  return {
    personId: row.id,
    name: row.full_name,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    vendorIsInHouse: row.vendor_is_in_house,
    siteId: row.site_id,
    siteName: row.site_name,
    teamId: row.team_id,
    teamName: row.team_name,
    jobRole: row.job_role,
    status: row.status,
    languages: row.languages,
    workflowIds: row.workflow_ids,
    dailyCapacity: row.daily_capacity,
    capacityIsDefault: row.capacity_is_default,
    assignedOpen: row.assigned_open,
    claimed: row.claimed,
    overdue: row.overdue,
    assignedToday: row.assigned_today,
  };
}

export async function listReviewers(trx: Executor, filter: ReviewerWorkloadFilter, page: Page, now = new Date()) {
  const { rows, total } = await listReviewerWorkloads(trx, filter, now, utcDay(now), QA_DEFAULTS.dailyCapacity, page);
  return { items: rows.map(presentReviewer), total };
}

export interface WorkflowQueue {
  workflowId: string;
  workflowName: string;
  open: number;
  claimed: number;
  overdue: number;
  dueNext24h: number;
  unassigned: number;
  completedLast7d: number;
  oldestDueAt: string | null;
}

/** The summary has no paging: the reviewers in one viewer's scope are a team's worth, not a population. */
const SUMMARY_REVIEWER_LIMIT = 1000;

export async function queueSummary(trx: Executor, filter: { workflowId?: string }, now = new Date()) {
  const workflows = await queue.workflowQueueCounts(trx, now, filter.workflowId);
  const reviewers = await listReviewerWorkloads(trx, filter, now, utcDay(now), QA_DEFAULTS.dailyCapacity, {
    limit: SUMMARY_REVIEWER_LIMIT,
    offset: 0,
  });
  return {
    generatedAt: now.toISOString(),
    workflows: workflows.map(
      (row): WorkflowQueue => ({
        workflowId: row.workflow_id,
        workflowName: row.workflow_name,
        open: row.open,
        claimed: row.claimed,
        overdue: row.overdue,
        dueNext24h: row.due_next_24h,
        unassigned: row.unassigned,
        completedLast7d: row.completed_last_7d,
        oldestDueAt: iso(row.oldest_due_at),
      }),
    ),
    reviewers: reviewers.rows.map(presentReviewer),
  };
}

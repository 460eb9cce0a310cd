import type { Executor } from '../../db/database.ts';
import { findReviewer, type ReviewerRow } from '../../db/repositories/qa-reviewers.repository.ts';
import * as tasks from '../../db/repositories/qa-tasks.repository.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';
import {
  ineligibility,
  ineligibilityMessage,
  primaryLanguage,
  QA_DEFAULTS,
  REVIEWER_JOB_ROLES,
  type ReviewerProfile,
  type TaskProfile,
} from './qa-assignment.rules.ts';
import { getTask, type QaTask } from './qa-queue.service.ts';

/**
 * Taking, holding and handing over QA tasks. A claim is a lease: it holds the
 * task for the workflow's lease minutes, can be renewed, and when it runs out
 * the task is open again for anyone eligible. Every state change first locks
 * the task row, so of two reviewers claiming one task exactly one wins.
 * Claims are not audited (there is one per review); reassignments are.
 */

/** The person a reviewer acts as. */
function requirePersonId(actor: Actor): string {
  if (!actor.personId) {
    throw new AppError(
      'FORBIDDEN',
      'Your user is not linked to a person record, so you cannot review QA tasks. Ask an administrator to link your user to your person record.',
    );
  }
  return actor.personId;
}

async function requireReviewer(trx: Executor, actor: Actor): Promise<ReviewerRow> {
  const personId = requirePersonId(actor);
  const reviewer = await findReviewer(trx, personId);
  if (!reviewer) {
    throw new AppError('FORBIDDEN', 'Your linked person record is outside your scope, so you cannot review QA tasks. Ask an administrator to check your scope.');
  }
  return reviewer;
}

function reviewerProfile(row: ReviewerRow): ReviewerProfile {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorIsInHouse: row.vendor_is_in_house,
    teamId: row.team_id,
    jobRole: row.job_role,
    status: row.status,
    languages: row.languages,
    workflowIds: row.workflow_ids,
  };
}

function taskProfile(row: tasks.LockedTaskRow): TaskProfile {
  return {
    workflowId: row.workflow_id,
    agentId: row.agent_id,
    vendorId: row.vendor_id,
    vendorIsInHouse: row.vendor_is_in_house,
    teamId: row.team_id,
    language: row.language,
    internalReviewsVendorWork: row.internal_reviews_vendor_work,
    inHouseOnly: row.in_house_only,
  };
}

function leaseUntil(task: tasks.LockedTaskRow, now: Date): Date {
  return new Date(now.getTime() + (task.lease_minutes ?? QA_DEFAULTS.leaseMinutes) * 60_000);
}

function isLiveClaim(task: tasks.LockedTaskRow, now: Date): boolean {
  return task.status === 'claimed' && task.lease_expires_at !== null && task.lease_expires_at > now;
}

async function lockOrNotFound(trx: Executor, id: string): Promise<tasks.LockedTaskRow> {
  const task = await tasks.lockTask(trx, id);
  if (!task) throw notFound('QA task');
  return task;
}

function refuseIfClosed(task: tasks.LockedTaskRow): void {
  if (task.status === 'completed') throw conflict('This task is already completed.');
  if (task.status === 'cancelled') throw conflict('This task was cancelled.');
}

/**
 * Claims the next task for the caller: the task they already hold (its lease
 * renewed), else their oldest-due assigned task, else the oldest-due task in
 * the pool they are eligible for (unassigned work, and work whose claim ran
 * out). Null when there is none.
 */
export async function takeNextTask(trx: Executor, actor: Actor, filter: tasks.NextTaskFilter, now = new Date()): Promise<QaTask | null> {
  const reviewer = await requireReviewer(trx, actor);
  if (!(REVIEWER_JOB_ROLES as readonly string[]).includes(reviewer.job_role) || reviewer.status !== 'active') {
    throw new AppError('FORBIDDEN', 'Only active QA specialists and QA leads take QA tasks; your person record is not one.');
  }
  const held = await tasks.lockHeldTask(trx, reviewer.id, filter, now);
  if (held) {
    await tasks.extendLease(trx, held.id, leaseUntil(held, now));
    return getTask(trx, held.id, now);
  }
  const next =
    (await tasks.lockNextAssignedTask(trx, reviewer.id, filter, now)) ??
    (await tasks.lockNextPoolTask(
      trx,
      {
        personId: reviewer.id,
        vendorId: reviewer.vendor_id,
        vendorIsInHouse: reviewer.vendor_is_in_house,
        teamId: reviewer.team_id,
        workflowIds: reviewer.workflow_ids,
        primaryLanguages: [...new Set(reviewer.languages.map(primaryLanguage))],
      },
      filter,
      now,
    ));
  if (!next) return null;
  await tasks.markClaimed(trx, next.id, reviewer.id, now, leaseUntil(next, now));
  return getTask(trx, next.id, now);
}

/**
 * Claims one task. Refused (409) when it is closed, held by someone else, or
 * assigned to someone else (unless the caller manages the queue); refused
 * (403) when the caller may not review it. Claiming a task one already holds
 * renews the lease.
 */
export async function claimTask(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<QaTask> {
  const reviewer = await requireReviewer(trx, actor);
  const task = await lockOrNotFound(trx, id);
  refuseIfClosed(task);
  if (isLiveClaim(task, now)) {
    if (task.claimed_by !== reviewer.id) throw conflict('Another reviewer has claimed this task.');
    await tasks.extendLease(trx, task.id, leaseUntil(task, now));
    return getTask(trx, task.id, now);
  }
  // A claim that ran out returns its task to circulation: anyone eligible may take it over.
  const abandoned = task.status === 'claimed';
  if (!abandoned && task.assignee_id !== null && task.assignee_id !== reviewer.id && !hasPermission(actor.role, 'qa.manage')) {
    throw conflict('This task is assigned to another reviewer.');
  }
  const problem = ineligibility(reviewerProfile(reviewer), taskProfile(task));
  if (problem) throw new AppError('FORBIDDEN', ineligibilityMessage(problem));
  await tasks.markClaimed(trx, task.id, reviewer.id, now, leaseUntil(task, now));
  return getTask(trx, task.id, now);
}

/** Gives a claimed task back (open, still assigned to the caller). Only the claimer can. */
export async function releaseTask(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<QaTask> {
  const personId = requirePersonId(actor);
  const task = await lockOrNotFound(trx, id);
  refuseIfClosed(task);
  if (task.status !== 'claimed') throw conflict('This task is not claimed.');
  if (task.claimed_by !== personId) throw conflict('Only the reviewer who claimed this task can release it.');
  await tasks.markReleased(trx, task.id);
  return getTask(trx, task.id, now);
}

/**
 * Extends the caller's lease. A lease that ran out can be renewed as long as
 * nobody else claimed the task in the meantime.
 */
export async function renewLease(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<QaTask> {
  const personId = requirePersonId(actor);
  const task = await lockOrNotFound(trx, id);
  refuseIfClosed(task);
  if (task.status !== 'claimed' || task.claimed_by !== personId) throw conflict('You do not hold this task; claim it first.');
  await tasks.extendLease(trx, task.id, leaseUntil(task, now));
  return getTask(trx, task.id, now);
}

/**
 * Gives a task to another eligible reviewer, or back to the pool (null).
 * Any claim ends. A manager's deliberate choice may exceed the reviewer's
 * daily capacity, which governs automatic assignment only.
 */
export async function reassignTask(trx: Executor, actor: Actor, id: string, assigneeId: string | null, now = new Date()): Promise<QaTask> {
  const task = await lockOrNotFound(trx, id);
  refuseIfClosed(task);
  const wanted = assigneeId?.toLowerCase() ?? null;
  if (wanted !== null) {
    // Looked up in the caller's scope: someone they cannot see is not a choice.
    const reviewer = await findReviewer(trx, wanted);
    if (!reviewer) throw invalid([{ path: '/assigneeId', message: 'No such person.' }]);
    const problem = ineligibility(reviewerProfile(reviewer), taskProfile(task));
    if (problem) {
      const message = ineligibilityMessage(problem, reviewer.full_name);
      throw invalid([{ path: '/assigneeId', message }], 'This reviewer cannot take this task.');
    }
  }
  if (wanted === task.assignee_id) return getTask(trx, task.id, now);
  await tasks.reassign(trx, task.id, wanted);
  await audit(trx, actor, {
    action: 'qa_task.reassign',
    entityType: 'qa_task',
    entityId: task.id,
    vendorId: task.vendor_id,
    details: {
      decisionId: task.decision_id,
      workflowId: task.workflow_id,
      assigneeId: [task.assignee_id, wanted],
      ...(isLiveClaim(task, now) && { releasedClaimOf: task.claimed_by }),
    },
  });
  return getTask(trx, task.id, now);
}

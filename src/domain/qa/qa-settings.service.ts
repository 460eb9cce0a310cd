import type { Executor } from '../../db/database.ts';
import { findReviewer, listReviewerWorkloads } from '../../db/repositories/qa-reviewers.repository.ts';
import * as settings from '../../db/repositories/qa-settings.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { changedFields } from '../audit/changes.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { QA_DEFAULTS, REVIEWER_JOB_ROLES, utcDay } from './qa-assignment.rules.ts';
import { presentReviewer, type Reviewer } from './qa-queue.service.ts';

/**
 * QA settings: per workflow (turnaround target, claim lease, whether vendor
 * work is reviewed by in-house QA only) and per reviewer (daily capacity).
 * Both change how work is assigned, so both are audited.
 */

export interface WorkflowQaSettings {
  workflowId: string;
  workflowName: string;
  workflowStatus: 'active' | 'inactive';
  turnaroundHours: number;
  leaseMinutes: number;
  internalReviewsVendorWork: boolean;
  /** True while nothing was set for the workflow and the defaults apply. */
  isDefault: boolean;
  updatedAt: string | null;
}

export interface WorkflowQaSettingsInput {
  turnaroundHours: number;
  leaseMinutes: number;
  internalReviewsVendorWork: boolean;
}

function present(row: settings.WorkflowSettingsRow): WorkflowQaSettings {
  return {
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    workflowStatus: row.workflow_status,
    turnaroundHours: row.turnaround_hours,
    leaseMinutes: row.lease_minutes,
    internalReviewsVendorWork: row.internal_reviews_vendor_work,
    isDefault: row.is_default,
    updatedAt: row.updated_at?.toISOString() ?? null,
  };
}

export async function listWorkflowSettings(trx: Executor): Promise<WorkflowQaSettings[]> {
  return (await settings.listWorkflowSettings(trx, QA_DEFAULTS)).map(present);
}

/**
 * Workflow settings apply to every vendor's work, including whether a vendor's
 * own QA may review it, so only someone who sees every vendor may set them.
 */
export async function updateWorkflowSettings(
  trx: Executor,
  actor: Actor,
  workflowId: string,
  input: WorkflowQaSettingsInput,
): Promise<WorkflowQaSettings> {
  if (actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', "A workflow's QA settings apply to every vendor; only users who see every vendor can change them.");
  }
  const issues = new Issues();
  issues.check(Number.isInteger(input.turnaroundHours) && input.turnaroundHours >= 1 && input.turnaroundHours <= 720, '/turnaroundHours', 'Use a whole number of hours from 1 to 720 (30 days).');
  issues.check(Number.isInteger(input.leaseMinutes) && input.leaseMinutes >= 1 && input.leaseMinutes <= 480, '/leaseMinutes', 'Use a whole number of minutes from 1 to 480 (8 hours).');
  issues.throwIfAny();
  const before = await settings.findWorkflowSettings(trx, workflowId, QA_DEFAULTS);
  if (!before) throw notFound('Workflow');
  const previous = present(before);
  const changes = changedFields(previous, input);
  if (Object.keys(changes).length === 0 && !previous.isDefault) return previous;
  await settings.upsertWorkflowSettings(trx, workflowId, input);
  const after = present((await settings.findWorkflowSettings(trx, workflowId, QA_DEFAULTS))!);
  await audit(trx, actor, {
    action: 'qa_settings.update',
    entityType: 'workflow',
    entityId: previous.workflowId,
    // About every vendor's work: filed under no vendor, so only viewers of everything read it.
    vendorId: null,
    details: { changes, ...(previous.isDefault && { fromDefaults: true }) },
  });
  return after;
}

/** Sets how many tasks automatic assignment gives the reviewer per UTC day (0 pauses it). */
export async function setReviewerCapacity(
  trx: Executor,
  actor: Actor,
  personId: string,
  dailyCapacity: number,
  now = new Date(),
): Promise<Reviewer> {
  // Looked up in the caller's scope: someone they cannot see is not found.
  const person = await findReviewer(trx, personId);
  if (!person) throw notFound('Person');
  const issues = new Issues();
  issues.check(Number.isInteger(dailyCapacity) && dailyCapacity >= 0 && dailyCapacity <= 2000, '/dailyCapacity', 'Use a whole number of tasks from 0 to 2000.');
  issues.check(
    (REVIEWER_JOB_ROLES as readonly string[]).includes(person.job_role),
    '/personId',
    `${person.full_name} is not a QA specialist or QA lead, so they are never assigned QA tasks.`,
  );
  issues.throwIfAny();
  const before = await settings.findCapacity(trx, person.id);
  const previous = before?.daily_capacity ?? null;
  if (previous !== dailyCapacity) {
    await settings.upsertCapacity(trx, person.id, dailyCapacity);
    await audit(trx, actor, {
      action: 'qa_capacity.update',
      entityType: 'person',
      entityId: person.id,
      vendorId: person.vendor_id,
      details: { dailyCapacity: [previous ?? QA_DEFAULTS.dailyCapacity, dailyCapacity], ...(previous === null && { fromDefault: true }) },
    });
  }
  const { rows } = await listReviewerWorkloads(trx, { personId: person.id }, now, utcDay(now), QA_DEFAULTS.dailyCapacity, { limit: 1, offset: 0 });
  return presentReviewer(rows[0]!);
}

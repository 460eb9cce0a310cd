import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * QA settings per workflow and daily capacity per reviewer. Neither table is
 * scoped: workflows are shared reference data, and capacity is reached only
 * through a person the viewer can see (the service looks the person up first).
 */

export interface WorkflowSettingsDefaults {
  turnaroundHours: number;
  leaseMinutes: number;
}

export interface WorkflowSettingsRow {
  workflow_id: string;
  workflow_name: string;
  workflow_status: 'active' | 'inactive';
  turnaround_hours: number;
  lease_minutes: number;
  internal_reviews_vendor_work: boolean;
  is_default: boolean;
  updated_at: Date | null;
}

function settingsWithWorkflows(db: Executor, defaults: WorkflowSettingsDefaults) {
  return db
    .selectFrom('workflows as w')
    .leftJoin('qa_workflow_settings as ws', 'ws.workflow_id', 'w.id')
    .select(['w.id as workflow_id', 'w.name as workflow_name', 'w.status as workflow_status', 'ws.updated_at'])
    .select([
      sql<number>`coalesce(ws.turnaround_hours, ${defaults.turnaroundHours}::int)`.as('turnaround_hours'),
      sql<number>`coalesce(ws.lease_minutes, ${defaults.leaseMinutes}::int)`.as('lease_minutes'),
      sql<boolean>`coalesce(ws.internal_reviews_vendor_work, false)`.as('internal_reviews_vendor_work'),
      sql<boolean>`ws.workflow_id IS NULL`.as('is_default'),
    ]);
}

/** Every workflow with its QA settings, defaults filled in where none were set. */
export async function listWorkflowSettings(db: Executor, defaults: WorkflowSettingsDefaults): Promise<WorkflowSettingsRow[]> {
  return settingsWithWorkflows(db, defaults).orderBy('w.name').orderBy('w.id').execute();
}

export async function findWorkflowSettings(db: Executor, workflowId: string, defaults: WorkflowSettingsDefaults) {
  return settingsWithWorkflows(db, defaults).where('w.id', '=', workflowId).executeTakeFirst();
}

export interface WorkflowSettingsValues {
  turnaroundHours: number;
  leaseMinutes: number;
  internalReviewsVendorWork: boolean;
}

export async function upsertWorkflowSettings(db: Executor, workflowId: string, values: WorkflowSettingsValues): Promise<void> {
  const row = {
    turnaround_hours: values.turnaroundHours,
    lease_minutes: values.leaseMinutes,
    internal_reviews_vendor_work: values.internalReviewsVendorWork,
  };
  await db
    .insertInto('qa_workflow_settings')
    .values({ workflow_id: workflowId, ...row, updated_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ ...row, updated_at: sql<Date>`now()` }))
    .execute();
}

/** The capacity set for a person, if any. */
export async function findCapacity(db: Executor, personId: string) {
  return db.selectFrom('qa_reviewer_capacity').select(['daily_capacity', 'updated_at']).where('person_id', '=', personId).executeTakeFirst();
}

export async function upsertCapacity(db: Executor, personId: string, dailyCapacity: number): Promise<void> {
  await db
    .insertInto('qa_reviewer_capacity')
    .values({ person_id: personId, daily_capacity: dailyCapacity, updated_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ daily_capacity: dailyCapacity, updated_at: sql<Date>`now()` }))
    .execute();
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { QaTaskStatus } from '../schema.ts';

/**
 * QA task writes: creation from samples, bulk assignment, and the claim
 * life-cycle. Reads for lists and summaries are in qa-queue.repository.ts.
 *
 * A claim also makes the claimer the assignee, so "tasks a reviewer holds"
 * is always `assignee_id = reviewer` and load counts need one index.
 */

/** A task as created, with what assignment needs to know about its agent's vendor and workflow. */
export interface CreatedTaskRow {
  id: string;
  decision_id: string;
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  team_id: string | null;
  language: string;
  due_at: Date;
  vendor_is_in_house: boolean;
  internal_reviews_vendor_work: boolean;
}

/**
 * One INSERT ... SELECT for the whole batch: a task per sampled decision
 * among `decisionIds`, due `turnaround_hours` (or the default) after `now`.
 * A decision that already has a task, or was not sampled, is skipped, so
 * calling this twice creates nothing the second time. Returns only the new tasks.
 */
export async function insertTasksForSampledDecisions(
  db: Executor,
  decisionIds: readonly string[],
  now: Date,
  defaultTurnaroundHours: number,
): Promise<CreatedTaskRow[]> {
  const { rows } = await sql<CreatedTaskRow>`
    WITH created AS (
      INSERT INTO qa_tasks (decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, due_at, created_at, updated_at)
      SELECT d.id, d.workflow_id, d.vendor_id, d.site_id, d.team_id, d.agent_id, coalesce(d.content_language, ''),
             ${now}::timestamptz + make_interval(hours => coalesce(ws.turnaround_hours, ${defaultTurnaroundHours}::int)),
             ${now}, ${now}
      FROM decisions d
      JOIN qa_samples s ON s.decision_id = d.id
      LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = d.workflow_id
      WHERE d.id = ANY(${[...decisionIds]}::uuid[])
      ON CONFLICT (decision_id, kind) WHERE purpose = 'primary' DO NOTHING
      RETURNING id, decision_id, workflow_id, agent_id, vendor_id, team_id, language, due_at
    )
    SELECT c.id, c.decision_id, c.workflow_id, c.agent_id, c.vendor_id, c.team_id, c.language, c.due_at,
           coalesce(v.is_in_house, false) AS vendor_is_in_house,
           coalesce(ws.internal_reviews_vendor_work, false) AS internal_reviews_vendor_work
    FROM created c
    LEFT JOIN vendors v ON v.id = c.vendor_id
    LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = c.workflow_id
  `.execute(db);
  return rows;
}

/** Sets many assignees in one statement; `assigneeIds[i]` goes to `taskIds[i]`. */
export async function setAssignees(db: Executor, taskIds: readonly string[], assigneeIds: readonly string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await sql`
    UPDATE qa_tasks t SET assignee_id = x.assignee_id
    FROM unnest(${[...taskIds]}::uuid[], ${[...assigneeIds]}::uuid[]) AS x(id, assignee_id)
    WHERE t.id = x.id
  `.execute(db);
}

/** A task locked for a state change, with the settings that govern it. */
export interface LockedTaskRow {
  id: string;
  decision_id: string;
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  team_id: string | null;
  language: string;
  status: QaTaskStatus;
  assignee_id: string | null;
  claimed_by: string | null;
  lease_expires_at: Date | null;
  vendor_is_in_house: boolean;
  internal_reviews_vendor_work: boolean;
  lease_minutes: number | null;
  /** A double review of vendor QA is for in-house QA only (docs/decisions/0009). */
  in_house_only: boolean;
}

function tasksWithSettings(db: Executor) {
  return db
    .selectFrom('qa_tasks as t')
    .leftJoin('vendors as v', 'v.id', 't.vendor_id')
    .leftJoin('qa_workflow_settings as ws', 'ws.workflow_id', 't.workflow_id')
    .select([
      't.id',
      't.decision_id',
      't.workflow_id',
      't.agent_id',
      't.vendor_id',
      't.team_id',
      't.language',
      't.status',
      't.assignee_id',
      't.claimed_by',
      't.lease_expires_at',
      'ws.lease_minutes',
    ])
    .select([
      sql<boolean>`coalesce(v.is_in_house, false)`.as('vendor_is_in_house'),
      sql<boolean>`coalesce(ws.internal_reviews_vendor_work, false)`.as('internal_reviews_vendor_work'),
      sql<boolean>`(t.purpose = 'double_review')`.as('in_house_only'),
    ]);
}

/**
 * Locks one task (waiting for a concurrent claimer to finish, then reading
 * what it left), so exactly one of two claimers wins.
 */
export async function lockTask(db: Executor, id: string): Promise<LockedTaskRow | undefined> {
  return tasksWithSettings(db).where('t.id', '=', id).forUpdate('t').executeTakeFirst();
}

/** SQL: the task is open, or claimed with a lease that ran out (which counts as open). */
const isOpenAt = (now: Date) => sql<boolean>`(t.status = 'open' OR (t.status = 'claimed' AND t.lease_expires_at <= ${now}))`;

export interface NextTaskFilter {
  workflowId?: string;
}

/** The reviewer's own task in hand (a live claim), locked; skipped when another transaction holds it. */
export async function lockHeldTask(db: Executor, personId: string, filter: NextTaskFilter, now: Date) {
  let query = tasksWithSettings(db)
    .where('t.status', '=', 'claimed')
    .where('t.claimed_by', '=', personId)
    .where('t.lease_expires_at', '>', now);
  if (filter.workflowId) query = query.where('t.workflow_id', '=', filter.workflowId);
  return query.orderBy('t.due_at').orderBy('t.id').limit(1).forUpdate('t').skipLocked().executeTakeFirst();
}

/** The reviewer's oldest-due open task assigned to them, locked; rows another claimer holds are skipped. */
export async function lockNextAssignedTask(db: Executor, personId: string, filter: NextTaskFilter, now: Date) {
  let query = tasksWithSettings(db).where('t.assignee_id', '=', personId).where(isOpenAt(now));
  if (filter.workflowId) query = query.where('t.workflow_id', '=', filter.workflowId);
  return query.orderBy('t.due_at').orderBy('t.id').limit(1).forUpdate('t').skipLocked().executeTakeFirst();
}

/** What the pool query needs to know about the reviewer (see qa-assignment.rules.ts for the rules it mirrors). */
export interface PoolReviewer {
  personId: string;
  vendorId: string;
  vendorIsInHouse: boolean;
  teamId: string | null;
  workflowIds: readonly string[];
  /** Primary language subtags, lower case ('pt'). */
  primaryLanguages: readonly string[];
}

/**
 * The oldest-due pool task the reviewer is eligible for, locked
 * with SKIP LOCKED so concurrent reviewers each get a different task. The
 * eligibility rules are those of qa-assignment.rules.ts, written as SQL so
 * the database picks the first eligible row instead of us scanning the pool.
 */
export async function lockNextPoolTask(db: Executor, reviewer: PoolReviewer, filter: NextTaskFilter, now: Date) {
  if (reviewer.workflowIds.length === 0) return undefined;
  let query = tasksWithSettings(db)
    // Unassigned work, or anyone's work whose claim ran out (abandoned, back in circulation).
    .where((eb) => eb.or([eb('t.assignee_id', 'is', null), eb('t.status', '=', 'claimed')]))
    .where(isOpenAt(now))
    .where(sql<boolean>`t.workflow_id = ANY(${[...reviewer.workflowIds]}::uuid[])`)
    .where('t.agent_id', '<>', reviewer.personId)
    .where(sql<boolean>`(t.language = '' OR split_part(lower(replace(btrim(t.language), '_', '-')), '-', 1) = ANY(${[...reviewer.primaryLanguages]}::text[]))`);
  if (reviewer.teamId !== null) query = query.where(sql<boolean>`t.team_id IS DISTINCT FROM ${reviewer.teamId}::uuid`);
  if (!reviewer.vendorIsInHouse) {
    query = query
      .where('t.vendor_id', '=', reviewer.vendorId)
      .where(sql<boolean>`NOT coalesce(ws.internal_reviews_vendor_work, false)`)
      .where(sql<boolean>`t.purpose <> 'double_review'`);
  }
  if (filter.workflowId) query = query.where('t.workflow_id', '=', filter.workflowId);
  return query.orderBy('t.due_at').orderBy('t.id').limit(1).forUpdate('t').skipLocked().executeTakeFirst();
}

export async function markClaimed(db: Executor, id: string, personId: string, now: Date, leaseExpiresAt: Date): Promise<void> {
  await db
    .updateTable('qa_tasks')
    .set({ status: 'claimed', claimed_by: personId, claimed_at: now, lease_expires_at: leaseExpiresAt, assignee_id: personId })
    .where('id', '=', id)
    .execute();
}

export async function extendLease(db: Executor, id: string, leaseExpiresAt: Date): Promise<void> {
  await db.updateTable('qa_tasks').set({ lease_expires_at: leaseExpiresAt }).where('id', '=', id).execute();
}

/** Back to open: the assignee keeps the task, the claim ends. */
export async function markReleased(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('qa_tasks')
    .set({ status: 'open', claimed_by: null, claimed_at: null, lease_expires_at: null })
    .where('id', '=', id)
    .execute();
}

/** A new assignee (or none: back to the pool); any claim ends. */
export async function reassign(db: Executor, id: string, assigneeId: string | null): Promise<void> {
  await db
    .updateTable('qa_tasks')
    .set({ assignee_id: assigneeId, status: 'open', claimed_by: null, claimed_at: null, lease_expires_at: null })
    .where('id', '=', id)
    .where('status', 'in', ['open', 'claimed'])
    .execute();
}

import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { QaTaskStatus } from '../schema.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

/**
 * Reads of the QA queue: tasks with what a list shows about their decision,
 * and per-workflow counts. A claim whose lease ran out counts as open here,
 * for everyone, so lists, filters and counts agree with who can claim it.
 */

/** SQL, over qa_tasks as `t`: open, or claimed with an expired lease. */
const isOpenAt = (now: Date) => sql<boolean>`(t.status = 'open' OR (t.status = 'claimed' AND t.lease_expires_at <= ${now}))`;
/** SQL: claimed under a live lease. */
const isClaimedAt = (now: Date) => sql<boolean>`(t.status = 'claimed' AND t.lease_expires_at > ${now})`;
/** SQL: still to do and past its due date. */
const isOverdueAt = (now: Date) => sql<boolean>`(t.status IN ('open', 'claimed') AND t.due_at < ${now})`;

export interface TaskFilter {
  status?: QaTaskStatus;
  workflowId?: string;
  assigneeId?: string;
  /** Only tasks nobody is assigned to (the workflow pool). */
  unassigned?: boolean;
  vendorId?: string;
  siteId?: string;
  teamId?: string;
  agentId?: string;
  overdue?: boolean;
  /** Searches the agent's name. */
  q?: string;
}

function taskViews(db: Executor, now: Date) {
  return db
    .selectFrom('qa_tasks as t')
    .innerJoin('decisions as d', 'd.id', 't.decision_id')
    .innerJoin('workflows as w', 'w.id', 't.workflow_id')
    .leftJoin('qa_samples as s', 's.decision_id', 't.decision_id')
    .leftJoin('people as a', 'a.id', 't.agent_id')
    .leftJoin('vendors as v', 'v.id', 't.vendor_id')
    .leftJoin('sites as si', 'si.id', 't.site_id')
    .leftJoin('teams as tm', 'tm.id', 't.team_id')
    // The assignee may be outside the viewer's scope (in-house QA on vendor work): then no name.
    .leftJoin('people as asg', 'asg.id', 't.assignee_id')
    .leftJoin('people as clm', 'clm.id', 't.claimed_by')
    .select([
      't.id',
      't.decision_id',
      't.workflow_id',
      'w.name as workflow_name',
      't.agent_id',
      'a.full_name as agent_name',
      't.vendor_id',
      'v.name as vendor_name',
      't.site_id',
      'si.name as site_name',
      't.team_id',
      'tm.name as team_name',
      'd.decided_at',
      'd.labels',
      'd.severity',
      'd.action',
      't.language',
      's.stratum_key',
      's.inclusion_probability',
      't.due_at',
      't.assignee_id',
      'asg.full_name as assignee_name',
      't.claimed_by',
      'clm.full_name as claimed_by_name',
      't.claimed_at',
      't.lease_expires_at',
      't.created_at',
      't.completed_at',
      't.updated_at',
    ])
    .select([
      sql<QaTaskStatus>`CASE WHEN ${isOpenAt(now)} THEN 'open' ELSE t.status END`.as('status'),
      sql<boolean>`${isOverdueAt(now)}`.as('overdue'),
    ]);
}

export type TaskViewRow = NonNullable<Awaited<ReturnType<typeof findTaskView>>>;

export async function findTaskView(db: Executor, id: string, now: Date) {
  return taskViews(db, now).where('t.id', '=', id).executeTakeFirst();
}

export async function listTaskViews(db: Executor, filter: TaskFilter, now: Date, page: Page) {
  let query = taskViews(db, now);
  if (filter.status === 'open') query = query.where(isOpenAt(now));
  else if (filter.status === 'claimed') query = query.where(isClaimedAt(now));
  else if (filter.status) query = query.where('t.status', '=', filter.status);
  if (filter.workflowId) query = query.where('t.workflow_id', '=', filter.workflowId);
  if (filter.assigneeId) query = query.where('t.assignee_id', '=', filter.assigneeId);
  if (filter.unassigned) query = query.where('t.assignee_id', 'is', null);
  if (filter.vendorId) query = query.where('t.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('t.site_id', '=', filter.siteId);
  if (filter.teamId) query = query.where('t.team_id', '=', filter.teamId);
  if (filter.agentId) query = query.where('t.agent_id', '=', filter.agentId);
  if (filter.overdue === true) query = query.where(isOverdueAt(now));
  if (filter.overdue === false) query = query.where(sql<boolean>`NOT ${isOverdueAt(now)}`);
  if (filter.q) query = query.where('a.full_name', 'ilike', containsPattern(filter.q));
  const rows = await query
    .select(totalCount)
    .orderBy('t.due_at')
    .orderBy('t.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

export interface WorkflowQueueRow {
  workflow_id: string;
  workflow_name: string;
  open: number;
  claimed: number;
  overdue: number;
  due_next_24h: number;
  unassigned: number;
  completed_last_7d: number;
  oldest_due_at: Date | null;
}

/**
 * Per workflow: the state of its queue in the viewer's scope. Every active
 * workflow is listed (with zeros when idle), and an inactive one while it
 * still has work.
 */
export async function workflowQueueCounts(db: Executor, now: Date, workflowId?: string): Promise<WorkflowQueueRow[]> {
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const dayAhead = new Date(now.getTime() + 86_400_000);
  const oneWorkflow = workflowId ? sql`AND w.id = ${workflowId}::uuid` : sql``;
  const { rows } = await sql<WorkflowQueueRow>`
    SELECT w.id AS workflow_id, w.name AS workflow_name,
           count(t.id) FILTER (WHERE ${isOpenAt(now)})::int AS open,
           count(t.id) FILTER (WHERE ${isClaimedAt(now)})::int AS claimed,
           count(t.id) FILTER (WHERE ${isOverdueAt(now)})::int AS overdue,
           count(t.id) FILTER (WHERE t.status IN ('open', 'claimed') AND t.due_at >= ${now} AND t.due_at < ${dayAhead})::int AS due_next_24h,
           count(t.id) FILTER (WHERE t.status IN ('open', 'claimed') AND t.assignee_id IS NULL)::int AS unassigned,
           count(t.id) FILTER (WHERE t.status = 'completed')::int AS completed_last_7d,
           min(t.due_at) FILTER (WHERE t.status IN ('open', 'claimed')) AS oldest_due_at
    FROM workflows w
    LEFT JOIN qa_tasks t ON t.workflow_id = w.id
      AND (t.status IN ('open', 'claimed') OR (t.status = 'completed' AND t.completed_at >= ${weekAgo}))
    WHERE (w.status = 'active' OR t.id IS NOT NULL) ${oneWorkflow}
    GROUP BY w.id, w.name
    ORDER BY w.name, w.id
  `.execute(db);
  return rows;
}

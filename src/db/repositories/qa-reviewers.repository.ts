import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { JobRole, PersonStatus } from '../schema.ts';
import { containsPattern, type Page } from './pagination.ts';

/**
 * Reviewers as the QA queue sees them: their profile (what eligibility needs),
 * their capacity and their load. People are read through row-level security,
 * so a viewer only ever considers reviewers inside their own scope.
 *
 * Load counts rely on a claim making the claimer the assignee
 * (qa-tasks.repository.ts): a reviewer's tasks are `assignee_id = them`.
 */

const QA_JOB_ROLES = ['qa_specialist', 'qa_lead'] as const;

export interface ReviewerRow {
  id: string;
  full_name: string;
  vendor_id: string;
  vendor_is_in_house: boolean;
  team_id: string | null;
  job_role: JobRole;
  status: PersonStatus;
  languages: string[];
  workflow_ids: string[];
}

const workflowIdsOf = sql<string[]>`array(
  SELECT k.workflow_id::text FROM person_workflow_skills k WHERE k.person_id = p.id ORDER BY k.workflow_id
)`;

/** One person's reviewer profile, if the viewer can see them. */
export async function findReviewer(db: Executor, personId: string): Promise<ReviewerRow | undefined> {
  return db
    .selectFrom('people as p')
    .leftJoin('vendors as v', 'v.id', 'p.vendor_id')
    .select(['p.id', 'p.full_name', 'p.vendor_id', 'p.team_id', 'p.job_role', 'p.status', 'p.languages'])
    .select([sql<boolean>`coalesce(v.is_in_house, false)`.as('vendor_is_in_house'), workflowIdsOf.as('workflow_ids')])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

export interface ReviewerLoadRow extends ReviewerRow {
  daily_capacity: number;
  open_load: number;
  assigned_today: number;
}

/**
 * Active QA people skilled in any of `workflowIds`, with their capacity, open
 * load and tasks assigned within `day`. "Assigned today" counts tasks created
 * that day that are assigned to them now: assignment happens at creation, so
 * this is what the daily capacity caps.
 */
export async function findReviewerLoads(
  db: Executor,
  workflowIds: readonly string[],
  day: { start: Date; end: Date },
  defaultCapacity: number,
): Promise<ReviewerLoadRow[]> {
  if (workflowIds.length === 0) return [];
  const { rows } = await sql<ReviewerLoadRow>`
    SELECT p.id, p.full_name, p.vendor_id, coalesce(v.is_in_house, false) AS vendor_is_in_house, p.team_id,
           p.job_role, p.status, p.languages, ${workflowIdsOf} AS workflow_ids,
           coalesce(c.daily_capacity, ${defaultCapacity}::int) AS daily_capacity,
           (SELECT count(*) FROM qa_tasks t WHERE t.assignee_id = p.id AND t.status IN ('open', 'claimed'))::int AS open_load,
           (SELECT count(*) FROM qa_tasks t WHERE t.assignee_id = p.id
              AND t.created_at >= ${day.start} AND t.created_at < ${day.end})::int AS assigned_today
    FROM people p
    LEFT JOIN vendors v ON v.id = p.vendor_id
    LEFT JOIN qa_reviewer_capacity c ON c.person_id = p.id
    WHERE p.job_role IN (${sql.join(QA_JOB_ROLES)}) AND p.status = 'active'
      AND EXISTS (SELECT 1 FROM person_workflow_skills k WHERE k.person_id = p.id AND k.workflow_id = ANY(${[...workflowIds]}::uuid[]))
    ORDER BY p.id
  `.execute(db);
  return rows;
}

export interface ReviewerWorkloadFilter {
  workflowId?: string;
  /** One person, whatever their role or status (after a change to their capacity). */
  personId?: string;
  vendorId?: string;
  q?: string;
}

export interface ReviewerWorkloadRow {
  id: string;
  full_name: string;
  vendor_id: string;
  vendor_name: string;
  vendor_is_in_house: boolean;
  site_id: string;
  site_name: string | null;
  team_id: string | null;
  team_name: string | null;
  job_role: JobRole;
  status: PersonStatus;
  languages: string[];
  workflow_ids: string[];
  daily_capacity: number;
  capacity_is_default: boolean;
  assigned_open: number;
  claimed: number;
  overdue: number;
  assigned_today: number;
  total_count: number;
}

/**
 * Reviewers in scope with their workload: active QA people (skilled in the
 * workflow, when one is given) and anyone else still holding open tasks (a
 * reviewer who left, or moved to another role), so no work hides. Counts are
 * for the workflow when one is given; `assigned_today` is across workflows,
 * because the daily capacity is.
 */
export async function listReviewerWorkloads(
  db: Executor,
  filter: ReviewerWorkloadFilter,
  now: Date,
  day: { start: Date; end: Date },
  defaultCapacity: number,
  page: Page,
): Promise<{ rows: ReviewerWorkloadRow[]; total: number }> {
  const inWorkflow = filter.workflowId ? sql`AND t.workflow_id = ${filter.workflowId}::uuid` : sql``;
  const skilled = filter.workflowId
    ? sql`AND EXISTS (SELECT 1 FROM person_workflow_skills k WHERE k.person_id = p.id AND k.workflow_id = ${filter.workflowId}::uuid)`
    : sql``;
  const included = filter.personId
    ? sql`p.id = ${filter.personId}::uuid`
    : sql`((p.job_role IN (${sql.join(QA_JOB_ROLES)}) AND p.status = 'active' ${skilled})
           OR coalesce(l.assigned_open, 0) + coalesce(l.claimed, 0) > 0)`;
  const byVendor = filter.vendorId ? sql`AND p.vendor_id = ${filter.vendorId}::uuid` : sql``;
  const byName = filter.q ? sql`AND p.full_name ILIKE ${containsPattern(filter.q)}` : sql``;
  const { rows } = await sql<ReviewerWorkloadRow>`
    SELECT p.id, p.full_name, p.vendor_id, v.name AS vendor_name, coalesce(v.is_in_house, false) AS vendor_is_in_house,
           p.site_id, s.name AS site_name, p.team_id, tm.name AS team_name, p.job_role, p.status, p.languages,
           ${workflowIdsOf} AS workflow_ids,
           coalesce(c.daily_capacity, ${defaultCapacity}::int) AS daily_capacity, c.person_id IS NULL AS capacity_is_default,
           coalesce(l.assigned_open, 0) AS assigned_open, coalesce(l.claimed, 0) AS claimed, coalesce(l.overdue, 0) AS overdue,
           (SELECT count(*) FROM qa_tasks t WHERE t.assignee_id = p.id
              AND t.created_at >= ${day.start} AND t.created_at < ${day.end})::int AS assigned_today,
           (count(*) OVER ())::int AS total_count
    FROM people p
    JOIN vendors v ON v.id = p.vendor_id
    LEFT JOIN sites s ON s.id = p.site_id
    LEFT JOIN teams tm ON tm.id = p.team_id
    LEFT JOIN qa_reviewer_capacity c ON c.person_id = p.id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE t.status = 'open' OR t.lease_expires_at <= ${now})::int AS assigned_open,
             count(*) FILTER (WHERE t.status = 'claimed' AND t.lease_expires_at > ${now})::int AS claimed,
             count(*) FILTER (WHERE t.due_at < ${now})::int AS overdue
      FROM qa_tasks t
      WHERE t.assignee_id = p.id AND t.status IN ('open', 'claimed') ${inWorkflow}
    ) l ON true
    WHERE ${included} ${byVendor} ${byName}
    ORDER BY p.full_name, p.id
    LIMIT ${page.limit} OFFSET ${page.offset}
  `.execute(db);
  // Past the last page there is no row to carry the total: ask for the first row instead.
  if (rows.length === 0 && page.offset > 0) {
    const first = await listReviewerWorkloads(db, filter, now, day, defaultCapacity, { limit: 1, offset: 0 });
    return { rows, total: first.total };
  }
  return { rows, total: rows[0]?.total_count ?? 0 };
}

import { sql } from 'kysely';
import type { DisputeOutcome, DisputeStatus } from '../schema.ts';
import type { Executor } from '../database.ts';
import { actAsTableOwner, resumeViewerRole } from '../scoped.ts';
import type { Page } from './pagination.ts';

/**
 * Disputes about reviews. Scoped like the review (the agent's vendor, site
 * and team) by row-level security, except the arbiter search: an agent or a
 * vendor QA lead raising a dispute cannot see the in-house people who
 * arbitrate, nor everyone's open disputes, yet the arbiter must be chosen
 * among them, so that one read runs as the table owner.
 */

export interface NewDispute {
  reviewId: string;
  raisedByUserId: string | null;
  raisedByLabel: string;
  questionKeys: string[];
  reason: string;
  arbiterId: string | null;
  dueAt: Date;
  scoreBefore: string;
  workflowId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  agentId: string;
}

export async function insertDispute(db: Executor, d: NewDispute): Promise<string> {
  const row = await db
    .insertInto('disputes')
    .values({
      review_id: d.reviewId,
      raised_by_user_id: d.raisedByUserId,
      raised_by_label: d.raisedByLabel,
      question_keys: d.questionKeys,
      reason: d.reason,
      arbiter_id: d.arbiterId,
      due_at: d.dueAt,
      score_before: d.scoreBefore,
      workflow_id: d.workflowId,
      vendor_id: d.vendorId,
      site_id: d.siteId,
      team_id: d.teamId,
      agent_id: d.agentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The review's flag feeds the dispute rate of the quality rollups (migration 0006).
  await db.updateTable('reviews').set({ disputed: true }).where('id', '=', d.reviewId).where('disputed', '=', false).execute();
  return row.id;
}

export async function findOpenDisputeId(db: Executor, reviewId: string): Promise<string | undefined> {
  const row = await db.selectFrom('disputes').select('id').where('review_id', '=', reviewId).where('status', '=', 'open').executeTakeFirst();
  return row?.id;
}

export interface ArbiterCandidateRow {
  person_id: string;
  preferred: boolean;
  open_disputes: number;
}

/**
 * Active in-house quality staff (QA leads, QA specialists, managers), whether
 * each is an in-house QA lead skilled in the workflow, and their open
 * disputes. Read as the table owner (see above), then back to the viewer.
 */
export async function findArbiterCandidates(db: Executor, workflowId: string): Promise<ArbiterCandidateRow[]> {
  // A system transaction (demo, CLI) is the owner already: switching it to the viewer role afterwards would blind it.
  const { rows: role } = await sql<{ scoped: boolean }>`SELECT current_user = 'assay_app' AS scoped`.execute(db);
  const scoped = role[0]?.scoped ?? false;
  if (scoped) await actAsTableOwner(db);
  try {
    const { rows } = await sql<ArbiterCandidateRow>`
      SELECT p.id AS person_id,
             (p.job_role = 'qa_lead' AND EXISTS (
               SELECT 1 FROM person_workflow_skills k WHERE k.person_id = p.id AND k.workflow_id = ${workflowId}::uuid)) AS preferred,
             (SELECT count(*) FROM disputes d WHERE d.arbiter_id = p.id AND d.status = 'open')::int AS open_disputes
      FROM people p
      JOIN vendors v ON v.id = p.vendor_id
      WHERE v.is_in_house AND p.status = 'active' AND p.job_role IN ('qa_lead', 'qa_specialist', 'manager')
      ORDER BY p.id
    `.execute(db);
    return rows;
  } finally {
    if (scoped) await resumeViewerRole(db);
  }
}

export interface DisputeRow {
  id: string;
  review_id: string;
  raised_by_user_id: string | null;
  raised_by_label: string;
  question_keys: string[];
  reason: string;
  status: DisputeStatus;
  arbiter_id: string | null;
  arbiter_name: string | null;
  due_at: Date;
  outcome: DisputeOutcome | null;
  outcome_reason: string | null;
  score_before: string;
  score_after: string | null;
  resolved_at: Date | null;
  created_at: Date;
  workflow_id: string;
  workflow_name: string;
  vendor_id: string;
  vendor_name: string | null;
  agent_id: string;
  agent_name: string | null;
  reviewer_id: string;
  total_count: number;
}

export interface DisputeFilter {
  status?: DisputeStatus;
  overdue?: boolean;
  arbiterId?: string;
  reviewId?: string;
}

function disputeQuery(where: ReturnType<typeof sql>, order: ReturnType<typeof sql>, page: Page | null) {
  const limit = page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
  return sql<DisputeRow>`
    SELECT d.id, d.review_id, d.raised_by_user_id, d.raised_by_label, d.question_keys, d.reason, d.status, d.arbiter_id,
           ap.full_name AS arbiter_name, d.due_at, d.outcome, d.outcome_reason, d.score_before::text AS score_before,
           d.score_after::text AS score_after, d.resolved_at, d.created_at, d.workflow_id, w.name AS workflow_name,
           d.vendor_id, v.name AS vendor_name, d.agent_id, ag.full_name AS agent_name, r.reviewer_id,
           (count(*) OVER ())::int AS total_count
    FROM disputes d
    JOIN reviews r ON r.id = d.review_id
    JOIN workflows w ON w.id = d.workflow_id
    LEFT JOIN vendors v ON v.id = d.vendor_id
    LEFT JOIN people ag ON ag.id = d.agent_id
    LEFT JOIN people ap ON ap.id = d.arbiter_id
    WHERE ${where}
    ORDER BY ${order}
    ${limit}
  `;
}

export async function listDisputes(db: Executor, filter: DisputeFilter, now: Date, page: Page): Promise<{ rows: DisputeRow[]; total: number }> {
  const conditions = [sql`true`];
  if (filter.status) conditions.push(sql`d.status = ${filter.status}`);
  if (filter.overdue) conditions.push(sql`d.status = 'open' AND d.due_at < ${now}`);
  if (filter.arbiterId) conditions.push(sql`d.arbiter_id = ${filter.arbiterId}::uuid`);
  if (filter.reviewId) conditions.push(sql`d.review_id = ${filter.reviewId}::uuid`);
  const { rows } = await disputeQuery(sql.join(conditions, sql` AND `), sql`(d.status = 'open') DESC, d.due_at, d.id`, page).execute(db);
  return { rows, total: rows[0]?.total_count ?? 0 };
}

export async function findDispute(db: Executor, id: string, lock = false): Promise<DisputeRow | undefined> {
  if (lock) await sql`SELECT 1 FROM disputes WHERE id = ${id}::uuid FOR UPDATE`.execute(db);
  const { rows } = await disputeQuery(sql`d.id = ${id}::uuid`, sql`d.id`, null).execute(db);
  return rows[0];
}

export async function resolveDispute(
  db: Executor,
  id: string,
  values: { outcome: DisputeOutcome; reason: string; scoreAfter: number | string; userId: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('disputes')
    .set({ status: 'resolved', outcome: values.outcome, outcome_reason: values.reason, score_after: values.scoreAfter, resolved_at: values.at, resolved_by_user_id: values.userId })
    .where('id', '=', id)
    .execute();
}

export async function withdrawDispute(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('disputes').set({ status: 'withdrawn', resolved_at: at }).where('id', '=', id).execute();
}

export interface DisputeCountsRow {
  group_id: string;
  group_name: string;
  reviews: number;
  disputed: number;
  overturned: number;
}

/**
 * Per vendor or workflow, reviews submitted in [from, to): how many were
 * disputed (withdrawn disputes count: the finding was contested) and how
 * many had a dispute overturned in full or in part.
 */
export async function countDisputes(db: Executor, range: { from: Date; to: Date }, by: 'vendor' | 'workflow'): Promise<DisputeCountsRow[]> {
  const group = by === 'vendor' ? sql`r.vendor_id` : sql`r.workflow_id`;
  const name = by === 'vendor' ? sql`(SELECT v.name FROM vendors v WHERE v.id = r.vendor_id)` : sql`(SELECT w.name FROM workflows w WHERE w.id = r.workflow_id)`;
  const { rows } = await sql<DisputeCountsRow>`
    SELECT ${group}::text AS group_id, coalesce(min(${name}), ${group}::text) AS group_name,
           count(*)::int AS reviews,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM disputes d WHERE d.review_id = r.id))::int AS disputed,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM disputes d WHERE d.review_id = r.id AND d.outcome IN ('overturned', 'partly')))::int AS overturned
    FROM reviews r
    WHERE r.submitted_at >= ${range.from} AND r.submitted_at < ${range.to}
    GROUP BY ${group}
    ORDER BY 2, 1
  `.execute(db);
  return rows;
}

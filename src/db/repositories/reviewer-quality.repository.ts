import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** Per QA reviewer: primary reviews written and how their disputes ended (reviews.disputed / overturned). */

export interface ReviewerQualityFilter {
  workflowId?: string;
  vendorId?: string;
  from?: string;
  to?: string;
}

export async function reviewerDisputeCounts(trx: Executor, f: ReviewerQualityFilter) {
  const { rows } = await sql<{ reviewer_id: string; reviews: number; disputed: number; overturned: number }>`
    SELECT r.reviewer_id, count(*)::int AS reviews, count(*) FILTER (WHERE r.disputed)::int AS disputed,
           count(*) FILTER (WHERE r.overturned)::int AS overturned
    FROM reviews r
    WHERE r.purpose = 'primary'
      ${f.workflowId ? sql`AND r.workflow_id = ${f.workflowId}::uuid` : sql``}
      ${f.vendorId ? sql`AND r.reviewer_vendor_id = ${f.vendorId}::uuid` : sql``}
      ${f.from ? sql`AND r.submitted_at >= ${f.from}::date::timestamp AT TIME ZONE 'UTC'` : sql``}
      ${f.to ? sql`AND r.submitted_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'` : sql``}
    GROUP BY r.reviewer_id
  `.execute(trx);
  return rows;
}

/** The reviewers the viewer may see (row-level security on people), with their vendor. */
export async function reviewerNames(trx: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string; full_name: string; vendor_id: string; vendor_name: string | null; vendor_is_in_house: boolean; job_role: string }>`
    SELECT p.id, p.full_name, p.vendor_id, v.name AS vendor_name, coalesce(v.is_in_house, false) AS vendor_is_in_house, p.job_role
    FROM people p LEFT JOIN vendors v ON v.id = p.vendor_id
    WHERE p.id = ANY(${[...ids]}::uuid[])
  `.execute(trx);
  return rows;
}

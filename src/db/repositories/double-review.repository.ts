import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * Double review of vendor QA (docs/decisions/0009): the seeded draw of each
 * vendor-QA review, the blind internal tasks made from the selected ones, and
 * the pairs (vendor review, internal review of the same item) the results are
 * computed from.
 */

/**
 * Gold and double reviews are hidden by row-level security from everyone but
 * their own reviewer (migration 0010); the auditing reads see them for the
 * rest of their transaction.
 */
export async function seeAuditReviews(trx: Executor): Promise<void> {
  await sql`SELECT set_config('assay.auditing', 'on', true)`.execute(trx);
}

/** SQL twin of seededUniform (auditing.rules.ts): first 32 bits of md5(seed ':' key) over 2^32. */
const uniform = (seed: string, key: ReturnType<typeof sql>) =>
  sql<number>`(('x' || substr(md5(${seed} || ':' || ${key}), 1, 8))::bit(32)::bigint::float8 / 4294967296.0)`;

/**
 * Draws every not-yet-drawn primary review by a vendor's (not in-house) QA of
 * the workflow submitted since `since`, u keyed on the reviewed decision (one
 * primary review per decision; deterministic where review ids are random). Returns how many were drawn and selected.
 */
export async function drawVendorReviews(trx: Executor, workflowId: string, rate: number, seed: string, since: Date, now: Date) {
  const { rows } = await sql<{ drawn: number; selected: number }>`
    WITH drawn AS (
      INSERT INTO double_review_draws (review_id, workflow_id, reviewer_vendor_id, rate, u, selected, drawn_at, vendor_id, site_id, team_id, agent_id)
      SELECT r.id, r.workflow_id, r.reviewer_vendor_id, ${rate}, x.u, x.u < ${rate}, ${now}, r.vendor_id, r.site_id, r.team_id, r.agent_id
      FROM reviews r
      JOIN vendors rv ON rv.id = r.reviewer_vendor_id AND NOT rv.is_in_house
      CROSS JOIN LATERAL (SELECT ${uniform(seed, sql`r.decision_id::text`)} AS u) x
      WHERE r.workflow_id = ${workflowId} AND r.purpose = 'primary' AND r.submitted_at >= ${since}
        AND NOT EXISTS (SELECT 1 FROM double_review_draws d WHERE d.review_id = r.id)
      RETURNING selected
    )
    SELECT count(*)::int AS drawn, count(*) FILTER (WHERE selected)::int AS selected FROM drawn
  `.execute(trx);
  return rows[0] ?? { drawn: 0, selected: 0 };
}

export interface DoubleReviewTaskRow {
  id: string;
  decision_id: string;
  review_id: string;
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  team_id: string | null;
  language: string;
  due_at: Date;
}

/** A blind internal task for each selected draw that has none yet, on the same decision, unassigned. */
export async function insertDoubleReviewTasks(trx: Executor, workflowId: string, now: Date, defaultTurnaroundHours: number): Promise<DoubleReviewTaskRow[]> {
  const { rows } = await sql<DoubleReviewTaskRow>`
    WITH created AS (
      INSERT INTO qa_tasks (decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, due_at, created_at, updated_at,
                            kind, purpose, double_review_of)
      SELECT d.id, d.workflow_id, d.vendor_id, d.site_id, d.team_id, d.agent_id, coalesce(d.content_language, ''),
             ${now}::timestamptz + make_interval(hours => coalesce(ws.turnaround_hours, ${defaultTurnaroundHours}::int)),
             ${now}, ${now}, 'audit', 'double_review', x.review_id
      FROM double_review_draws x
      JOIN reviews r ON r.id = x.review_id
      JOIN decisions d ON d.id = r.decision_id
      LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = d.workflow_id
      WHERE x.workflow_id = ${workflowId} AND x.selected AND x.task_id IS NULL
      ON CONFLICT (double_review_of) WHERE double_review_of IS NOT NULL DO NOTHING
      RETURNING id, decision_id, double_review_of, workflow_id, agent_id, vendor_id, team_id, language, due_at
    ), linked AS (
      UPDATE double_review_draws x SET task_id = c.id FROM created c WHERE x.review_id = c.double_review_of
    )
    SELECT id, decision_id, double_review_of AS review_id, workflow_id, agent_id, vendor_id, team_id, language, due_at FROM created
  `.execute(trx);
  return rows;
}

export interface DoubleReviewFilter {
  workflowId?: string;
  /** The vendor whose QA is audited (the vendor-QA reviewer's vendor). */
  vendorId?: string;
  from?: string;
  to?: string;
}

export interface ReviewPairRow {
  workflow_id: string;
  vendor_id: string;
  vendor_name: string | null;
  reviewer_id: string;
  reviewer_name: string | null;
  internal_reviewer_id: string;
  vendor_passed: boolean;
  vendor_correct: boolean;
  vendor_labels: string[];
  internal_passed: boolean;
  internal_correct: boolean;
  internal_labels: string[];
  rate: number;
}

/** Completed double reviews with the vendor-QA review they re-did (call seeAuditReviews first). */
export async function reviewPairs(trx: Executor, f: DoubleReviewFilter): Promise<ReviewPairRow[]> {
  const { rows } = await sql<ReviewPairRow>`
    SELECT vr.workflow_id, vr.reviewer_vendor_id AS vendor_id, v.name AS vendor_name, vr.reviewer_id, p.full_name AS reviewer_name,
           ir.reviewer_id AS internal_reviewer_id,
           vr.passed AS vendor_passed, vr.correct AS vendor_correct, vr.qa_labels AS vendor_labels,
           ir.passed AS internal_passed, ir.correct AS internal_correct, ir.qa_labels AS internal_labels, x.rate
    FROM double_review_draws x
    JOIN reviews vr ON vr.id = x.review_id
    JOIN reviews ir ON ir.task_id = x.task_id AND ir.purpose = 'double_review'
    LEFT JOIN vendors v ON v.id = vr.reviewer_vendor_id
    LEFT JOIN people p ON p.id = vr.reviewer_id
    WHERE x.selected
      ${f.workflowId ? sql`AND vr.workflow_id = ${f.workflowId}::uuid` : sql``}
      ${f.vendorId ? sql`AND vr.reviewer_vendor_id = ${f.vendorId}::uuid` : sql``}
      ${f.from ? sql`AND vr.submitted_at >= ${f.from}::date::timestamp AT TIME ZONE 'UTC'` : sql``}
      ${f.to ? sql`AND vr.submitted_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'` : sql``}
    ORDER BY v.name, vr.reviewer_vendor_id, p.full_name, vr.reviewer_id, vr.id
  `.execute(trx);
  return rows;
}

/** How the draws stand per workflow: drawn, selected, tasks open and done. */
export async function drawProgress(trx: Executor, workflowId?: string) {
  const { rows } = await sql<{ workflow_id: string; drawn: number; selected: number; open_tasks: number; completed: number }>`
    SELECT x.workflow_id, count(*)::int AS drawn, count(*) FILTER (WHERE x.selected)::int AS selected,
           count(t.id) FILTER (WHERE t.status IN ('open', 'claimed'))::int AS open_tasks,
           count(t.id) FILTER (WHERE t.status = 'completed')::int AS completed
    FROM double_review_draws x
    LEFT JOIN qa_tasks t ON t.id = x.task_id
    ${workflowId ? sql`WHERE x.workflow_id = ${workflowId}::uuid` : sql``}
    GROUP BY x.workflow_id
  `.execute(trx);
  return rows;
}

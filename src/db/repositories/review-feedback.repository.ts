import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * The feedback side of reviews: a review with what disputes and comments
 * need (its scorecard definition, the agent's decision, the workflow's
 * dispute settings), acknowledgement, comments and new revisions. Reviews are
 * read through row-level security, so an out-of-scope review is not found.
 */

export interface FeedbackReviewRow {
  id: string;
  decision_id: string;
  workflow_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
  reviewer_id: string;
  scorecard_version_id: string;
  definition: unknown;
  revision: number;
  qa_labels: string[];
  qa_action: string;
  answers: unknown;
  score: string;
  submitted_at: Date;
  acknowledged_at: Date | null;
  decision_labels: string[];
  decision_action: string;
  dispute_window_hours: number;
  dispute_sla_hours: number;
}

/** One review with its scorecard, decision and dispute settings; `lock` holds it for a change. */
export async function findFeedbackReview(
  db: Executor,
  id: string,
  defaults: { windowHours: number; slaHours: number },
  lock = false,
): Promise<FeedbackReviewRow | undefined> {
  const forUpdate = lock ? sql`FOR UPDATE OF r` : sql``;
  const { rows } = await sql<FeedbackReviewRow>`
    SELECT r.id, r.decision_id, r.workflow_id, r.vendor_id, r.site_id, r.team_id, r.agent_id, r.reviewer_id,
           r.scorecard_version_id, sv.definition, r.revision, r.qa_labels, r.qa_action, r.answers, r.score::text AS score,
           r.submitted_at, r.acknowledged_at, d.labels AS decision_labels, d.action AS decision_action,
           coalesce(ws.dispute_window_hours, ${defaults.windowHours}::int) AS dispute_window_hours,
           coalesce(ws.dispute_sla_hours, ${defaults.slaHours}::int) AS dispute_sla_hours
    FROM reviews r
    JOIN scorecard_versions sv ON sv.id = r.scorecard_version_id
    JOIN decisions d ON d.id = r.decision_id
    LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = r.workflow_id
    WHERE r.id = ${id}::uuid
    ${forUpdate}
  `.execute(db);
  return rows[0];
}

/** Records the first acknowledgement only; returns when it happened. */
export async function acknowledgeReview(db: Executor, id: string, at: Date): Promise<Date> {
  const row = await db
    .updateTable('reviews')
    .set({ acknowledged_at: sql<Date>`coalesce(acknowledged_at, ${at})`, updated_at: at })
    .where('id', '=', id)
    .returning('acknowledged_at')
    .executeTakeFirstOrThrow();
  return row.acknowledged_at!;
}

export interface CommentRow {
  id: string;
  review_id: string;
  author_user_id: string | null;
  author_label: string;
  body: string;
  created_at: Date;
}

export async function insertComment(
  db: Executor,
  review: Pick<FeedbackReviewRow, 'id' | 'vendor_id' | 'site_id' | 'team_id' | 'agent_id'>,
  author: { userId: string | null; label: string },
  body: string,
): Promise<CommentRow> {
  return db
    .insertInto('review_comments')
    .values({
      review_id: review.id,
      author_user_id: author.userId,
      author_label: author.label,
      body,
      vendor_id: review.vendor_id,
      site_id: review.site_id,
      team_id: review.team_id,
      agent_id: review.agent_id,
    })
    .returning(['id', 'review_id', 'author_user_id', 'author_label', 'body', 'created_at'])
    .executeTakeFirstOrThrow();
}

export interface RevisionValues {
  qaLabels: string[];
  qaAction: string;
  answers: unknown;
  score: number;
  passed: boolean;
  criticalFailed: boolean;
  correct: boolean;
  errorTypes: string[];
  rootCauses: string[];
}

/**
 * A corrected state from a dispute: a new revision row (the earlier ones stay
 * as they were) and the review's current columns set to it.
 */
export async function addDisputeRevision(
  db: Executor,
  review: FeedbackReviewRow,
  disputeId: string,
  values: RevisionValues,
  createdBy: string | null,
  at: Date,
): Promise<number> {
  const revision = review.revision + 1;
  await db
    .insertInto('review_revisions')
    .values({
      review_id: review.id,
      revision,
      reason: 'dispute',
      dispute_id: disputeId,
      qa_labels: values.qaLabels,
      qa_action: values.qaAction,
      answers: JSON.stringify(values.answers),
      score: values.score,
      passed: values.passed,
      critical_failed: values.criticalFailed,
      correct: values.correct,
      error_types: values.errorTypes,
      root_causes: values.rootCauses,
      created_by: createdBy,
      vendor_id: review.vendor_id,
      site_id: review.site_id,
      team_id: review.team_id,
      agent_id: review.agent_id,
    })
    .execute();
  await db
    .updateTable('reviews')
    .set({
      revision,
      qa_labels: values.qaLabels,
      qa_action: values.qaAction,
      answers: JSON.stringify(values.answers),
      score: values.score,
      passed: values.passed,
      critical_failed: values.criticalFailed,
      correct: values.correct,
      error_types: values.errorTypes,
      root_causes: values.rootCauses,
      // A dispute that changed the review overturned it, in whole or in part (dispute metrics).
      overturned: true,
      updated_at: at,
    })
    .where('id', '=', review.id)
    .execute();
  return revision;
}

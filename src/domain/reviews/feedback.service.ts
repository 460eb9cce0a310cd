import type { Executor } from '../../db/database.ts';
import * as feedback from '../../db/repositories/review-feedback.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { findOpenDisputeId } from '../../db/repositories/disputes.repository.ts';
import { DISPUTE_DEFAULTS, disputeWindowEnd } from './disputes.rules.ts';
import type { ScorecardDefinition } from './scorecard.types.ts';

/**
 * Agents' feedback on their reviews: acknowledging a review and commenting on
 * it. Row-level security decides which reviews a caller sees (an agent only
 * their own, a vendor QA lead their vendor's), so anything else is a 404.
 */

export async function loadReview(trx: Executor, id: string, lock = false): Promise<feedback.FeedbackReviewRow> {
  const review = await feedback.findFeedbackReview(trx, id, DISPUTE_DEFAULTS, lock);
  if (!review) throw notFound('Review');
  return review;
}

export interface Acknowledgement {
  reviewId: string;
  acknowledgedAt: string;
}

/** Only the agent the review is about acknowledges it; doing it again changes nothing. */
export async function acknowledgeReview(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<Acknowledgement> {
  const review = await loadReview(trx, id, true);
  if (!actor.personId || actor.personId !== review.agent_id) {
    throw new AppError('FORBIDDEN', 'Only the agent this review is about can acknowledge it.');
  }
  if (review.acknowledged_at) return { reviewId: id, acknowledgedAt: review.acknowledged_at.toISOString() };
  const at = await feedback.acknowledgeReview(trx, id, now);
  await audit(trx, actor, { action: 'review.acknowledge', entityType: 'review', entityId: id, vendorId: review.vendor_id });
  return { reviewId: id, acknowledgedAt: at.toISOString() };
}

export interface ReviewComment {
  id: string;
  reviewId: string;
  authorUserId: string | null;
  authorLabel: string;
  body: string;
  createdAt: string;
}

export function toComment(row: feedback.CommentRow): ReviewComment {
  return {
    id: row.id,
    reviewId: row.review_id,
    authorUserId: row.author_user_id,
    authorLabel: row.author_label,
    body: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

export async function addComment(trx: Executor, actor: Actor, id: string, input: { body: string }): Promise<ReviewComment> {
  const body = input.body.trim();
  if (body.length === 0) throw invalid([{ path: '/body', message: 'Write a comment.' }]);
  if (body.length > 4000) throw invalid([{ path: '/body', message: 'At most 4000 characters.' }]);
  const review = await loadReview(trx, id);
  const row = await feedback.insertComment(trx, review, { userId: actor.userId, label: actor.label }, body);
  await audit(trx, actor, { action: 'review.comment', entityType: 'review', entityId: id, vendorId: review.vendor_id, details: { commentId: row.id } });
  return toComment(row);
}

export interface FeedbackState {
  reviewId: string;
  /** The caller is the agent the review is about. */
  isAgent: boolean;
  acknowledgedAt: string | null;
  disputeWindowEndsAt: string;
  disputeWindowOpen: boolean;
  openDisputeId: string | null;
  /** The questions a dispute can name, from the review's own scorecard version. */
  questions: Array<{ key: string; text: string; sectionTitle: string }>;
}

/** What the review screen needs to offer acknowledgement and disputes. */
export async function feedbackState(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<FeedbackState> {
  const review = await loadReview(trx, id);
  const end = disputeWindowEnd(review.submitted_at, review.dispute_window_hours);
  const definition = review.definition as ScorecardDefinition;
  return {
    reviewId: id,
    isAgent: actor.personId !== null && actor.personId === review.agent_id,
    acknowledgedAt: review.acknowledged_at?.toISOString() ?? null,
    disputeWindowEndsAt: end.toISOString(),
    disputeWindowOpen: now.getTime() <= end.getTime(),
    openDisputeId: (await findOpenDisputeId(trx, id)) ?? null,
    questions: definition.sections.flatMap((s) => s.questions.map((q) => ({ key: q.key, text: q.text, sectionTitle: s.title }))),
  };
}

/**
 * Query hooks for reviews as their agents and QA leads see them: the list,
 * one review with its history, comments and disputes, and the feedback
 * actions (acknowledge, comment, dispute).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import type { ListResponse } from './types';
import type { DisputeDetail } from './disputes';

export interface VerdictValue {
  labels: string[];
  action: string;
}

export interface ReviewSummary {
  id: string;
  taskId: string;
  decisionId: string;
  workflowId: string;
  workflowName: string;
  vendorId: string;
  vendorName: string | null;
  agentId: string;
  agentName: string | null;
  reviewerId: string;
  reviewerName: string | null;
  scorecardVersionId: string;
  scorecardVersion: number | null;
  revision: number;
  verdict: VerdictValue;
  decision: VerdictValue & { decidedAt: string };
  score: number;
  passed: boolean;
  criticalFailed: boolean;
  correct: boolean;
  errorTypes: string[];
  rootCauses: string[];
  submittedAt: string;
  acknowledgedAt: string | null;
}

export interface ReviewAnswer {
  questionKey: string;
  value: string | number;
  comment?: string;
  rootCause?: string;
  questionText: string | null;
  sectionTitle: string | null;
}

export interface ReviewRevision {
  revision: number;
  reason: string;
  disputeId: string | null;
  score: number;
  passed: boolean;
  correct: boolean;
  verdict: VerdictValue;
  errorTypes: string[];
  createdAt: string;
}

export interface ReviewCommentItem {
  id: string;
  authorLabel: string;
  body: string;
  createdAt: string;
}

export interface ReviewDisputeItem {
  id: string;
  raisedByLabel: string;
  questionKeys: string[];
  reason: string;
  status: string;
  dueAt: string;
  outcome: string | null;
  outcomeReason: string | null;
  scoreBefore: number;
  scoreAfter: number | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface ReviewDetail extends ReviewSummary {
  answers: ReviewAnswer[];
  revisions: ReviewRevision[];
  comments: ReviewCommentItem[];
  disputes: ReviewDisputeItem[];
}

export interface FeedbackState {
  reviewId: string;
  isAgent: boolean;
  acknowledgedAt: string | null;
  disputeWindowEndsAt: string;
  disputeWindowOpen: boolean;
  openDisputeId: string | null;
  questions: Array<{ key: string; text: string; sectionTitle: string }>;
}

export const reviewsKeys = {
  all: ['reviews'] as const,
  list: (params: QueryParams) => ['reviews', 'list', params] as const,
  detail: (id: string) => ['reviews', 'detail', id] as const,
  feedback: (id: string) => ['reviews', 'feedback', id] as const,
};

export function useReviews(params: QueryParams) {
  return useQuery({
    queryKey: reviewsKeys.list(params),
    queryFn: ({ signal }) => api.get<ListResponse<ReviewSummary>>('/reviews', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReview(id: string | undefined) {
  return useQuery({
    queryKey: reviewsKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<ReviewDetail>(`/reviews/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useReviewFeedback(id: string | undefined) {
  return useQuery({
    queryKey: reviewsKeys.feedback(id ?? ''),
    queryFn: ({ signal }) => api.get<FeedbackState>(`/reviews/${id}/feedback`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** The list, the review, its feedback state and its disputes all change together. */
function useInvalidateReview() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: reviewsKeys.all }), client.invalidateQueries({ queryKey: ['disputes'] })]).then(() => undefined);
}

export function useAcknowledgeReview(id: string) {
  const invalidate = useInvalidateReview();
  return useMutation({
    mutationFn: () => api.post<{ reviewId: string; acknowledgedAt: string }>(`/reviews/${id}/acknowledge`),
    onSuccess: invalidate,
  });
}

export function useCommentOnReview(id: string) {
  const invalidate = useInvalidateReview();
  return useMutation({
    mutationFn: (body: string) => api.post<ReviewCommentItem>(`/reviews/${id}/comments`, { body }),
    onSuccess: invalidate,
  });
}

export function useRaiseDispute(id: string) {
  const invalidate = useInvalidateReview();
  return useMutation({
    mutationFn: (body: { reason: string; questionKeys: string[] }) => api.post<DisputeDetail>(`/reviews/${id}/disputes`, body),
    onSuccess: invalidate,
  });
}

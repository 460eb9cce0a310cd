/**
 * Query hooks for disputes: the arbiter's queue, one dispute with the review
 * it is about, resolving and withdrawing, and the dispute and overturn rates.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import type { ListResponse } from './types';

export type DisputeStatus = 'open' | 'resolved' | 'withdrawn';
export type DisputeOutcome = 'upheld' | 'overturned' | 'partly';

export interface DisputeAnswer {
  questionKey: string;
  value: string | number;
  comment?: string;
  rootCause?: string;
}

export interface Dispute {
  id: string;
  reviewId: string;
  status: DisputeStatus;
  raisedByUserId: string | null;
  raisedByLabel: string;
  questionKeys: string[];
  reason: string;
  arbiterId: string | null;
  arbiterName: string | null;
  dueAt: string;
  slaRemainingMs: number | null;
  overdue: boolean;
  outcome: DisputeOutcome | null;
  outcomeReason: string | null;
  scoreBefore: number;
  scoreAfter: number | null;
  createdAt: string;
  resolvedAt: string | null;
  workflowId: string;
  workflowName: string;
  vendorId: string;
  vendorName: string | null;
  agentId: string;
  agentName: string | null;
}

export interface DisputeQuestion {
  sectionTitle: string;
  key: string;
  text: string;
  kind: 'correct_label' | 'correct_action' | 'yes_no' | 'choice' | 'scale' | string;
  weight: number;
  critical: boolean;
  allowNotApplicable: boolean;
  options: Array<{ key: string; label: string }>;
  disputed: boolean;
  answer: DisputeAnswer | null;
}

export interface DisputeDetail extends Dispute {
  review: {
    id: string;
    revision: number;
    score: number;
    reviewerId: string;
    scorecardVersionId: string;
    submittedAt: string;
    qaVerdict: { labels: string[]; action: string };
    decision: { labels: string[]; action: string };
    answers: DisputeAnswer[];
  };
  questions: DisputeQuestion[];
  canResolve: boolean;
}

export interface ResolveBody {
  outcome: DisputeOutcome;
  reason: string;
  verdict?: { labels: string[]; action: string };
  answers?: DisputeAnswer[];
}

export const disputesKeys = {
  all: ['disputes'] as const,
  list: (params: QueryParams) => ['disputes', 'list', params] as const,
  detail: (id: string) => ['disputes', 'detail', id] as const,
};

export function useDisputes(params: QueryParams) {
  return useQuery({
    queryKey: disputesKeys.list(params),
    queryFn: ({ signal }) => api.get<ListResponse<Dispute>>('/disputes', params, signal),
    placeholderData: keepPreviousData,
    // The server computes the SLA clock: refresh it each minute.
    refetchInterval: 60_000,
  });
}

export function useDispute(id: string | undefined) {
  return useQuery({
    queryKey: disputesKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<DisputeDetail>(`/disputes/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

function useInvalidateDisputes() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: disputesKeys.all }), client.invalidateQueries({ queryKey: ['reviews'] })]).then(() => undefined);
}

export function useResolveDispute(id: string) {
  const invalidate = useInvalidateDisputes();
  return useMutation({ mutationFn: (body: ResolveBody) => api.post<DisputeDetail>(`/disputes/${id}/resolve`, body), onSuccess: invalidate });
}

export function useWithdrawDispute(id: string) {
  const invalidate = useInvalidateDisputes();
  return useMutation({ mutationFn: () => api.post<DisputeDetail>(`/disputes/${id}/withdraw`), onSuccess: invalidate });
}

/** "5 h 20 min left" or "overdue by 2 h". */
export function formatSla(ms: number | null): string {
  if (ms === null) return 'Closed';
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const text = hours >= 48 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return ms < 0 ? `Overdue by ${text}` : `${text} left`;
}

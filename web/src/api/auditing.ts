/**
 * Query hooks for auditing the auditors: the gold set (internal QA only),
 * per-workflow auditing settings, double-review results with paired
 * intervals, and reviewer quality. Every figure carries n and an interval.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export interface Interval {
  estimate: number | null;
  lower: number;
  upper: number;
  x: number;
  n: number;
  confidence: number;
  method: string;
}

export interface Coefficient {
  value: number | null;
  lower: number | null;
  upper: number | null;
  reason: string | null;
}

export interface Agreement {
  percentAgreement: Interval;
  ac1: Coefficient;
  kappa: Coefficient;
}

export interface Difference {
  estimate: number | null;
  lower: number;
  upper: number;
  vendorRate: number | null;
  internalRate: number | null;
  n: number;
  discordant: { vendorOnly: number; internalOnly: number };
}

export interface DoubleReviewGroup {
  vendorId: string;
  vendorName: string | null;
  reviewerId: string | null;
  reviewerName: string | null;
  n: number;
  correctness: Agreement;
  label: Agreement;
  leniency: Difference;
  accuracyGap: Difference;
  /** The flag to show (for a reviewer: after Holm's adjustment over the vendor's reviewers). */
  inflated: boolean;
  /** The leniency interval alone lies above the tolerance. */
  inflatedAlone: boolean;
  leniencyP: number;
  tooFew: boolean;
  tolerance: number;
}

export interface DoubleReviewResults {
  tolerance: number;
  confidence: number;
  vendors: Array<DoubleReviewGroup & { reviewers: DoubleReviewGroup[] }>;
  progress: Array<{ workflowId: string; drawn: number; selected: number; openTasks: number; completed: number }>;
}

export interface ReviewerQualityRow {
  reviewerId: string;
  name: string;
  vendorId: string;
  vendorName: string | null;
  inHouse: boolean;
  reviews: number;
  goldAccuracy: Interval & { tooFew: boolean };
  goldLabelAccuracy: Interval;
  goldActionAccuracy: Interval;
  peerAgreement: Interval & { tooFew: boolean };
  disputeRate: Interval;
  overturnRate: Interval & { tooFew: boolean };
}

export interface AuditingSettings {
  workflowId: string;
  workflowName: string;
  goldRate: number;
  doubleReviewRate: number;
  leniencyTolerance: number;
  seed: string;
  activeGoldItems: number;
  updatedAt: string | null;
}

export interface GoldItem {
  id: string;
  workflowId: string;
  sourceDecisionId: string | null;
  vendorId: string | null;
  content: { kind: string; text: string | null; url: string | null; language: string | null };
  severity: string | null;
  expert: { labels: string[]; action: string; rationale: string; policyVersionIds: string[] };
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  usage: { reviewerAnswers: number; reviewerCorrect: number; agentAnswers: number; agentCorrect: number; openTasks: number } | null;
}

export interface AuditingFilter {
  workflowId?: string | null;
  vendorId?: string | null;
  from?: string | null;
  to?: string | null;
}

const keys = {
  all: ['auditing'] as const,
  settings: () => ['auditing', 'settings'] as const,
  gold: (workflowId: string | null, status: string | null) => ['auditing', 'gold', workflowId, status] as const,
  doubleReview: (f: AuditingFilter) => ['auditing', 'double-review', f] as const,
  reviewers: (f: AuditingFilter) => ['auditing', 'reviewers', f] as const,
};

const query = (f: AuditingFilter) => ({ workflowId: f.workflowId, vendorId: f.vendorId, from: f.from, to: f.to });

export function useAuditingSettings() {
  return useQuery({ queryKey: keys.settings(), queryFn: () => api.get<{ items: AuditingSettings[] }>('/auditing/settings') });
}

export function useUpdateAuditingSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ workflowId, ...body }: { workflowId: string; goldRate?: number; doubleReviewRate?: number; leniencyTolerance?: number }) =>
      apiRequest<AuditingSettings>('PUT', `/auditing/settings/${workflowId}`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useGoldItems(workflowId: string | null, status: 'active' | 'retired' | null) {
  return useQuery({
    queryKey: keys.gold(workflowId, status),
    queryFn: () => api.get<{ items: GoldItem[] }>('/auditing/gold-items', { workflowId, status }),
    placeholderData: keepPreviousData,
  });
}

export interface NewGoldItem {
  workflowId: string;
  sourceDecisionId?: string | null;
  content?: { kind: string; text?: string | null; url?: string | null; language?: string | null };
  severity?: string | null;
  labels: string[];
  action: string;
  rationale?: string;
}

export function useCreateGoldItem() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewGoldItem) => api.post<GoldItem>('/auditing/gold-items', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useRetireGoldItem() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<GoldItem>(`/auditing/gold-items/${id}/retire`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useInjectGold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workflowId: string | null) => api.post<{ day: string; workflows: Array<{ workflowId: string; tasks: number }> }>('/auditing/gold-injections', workflowId ? { workflowId } : {}),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useRunDoubleReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workflowId: string | null) =>
      api.post<{ workflows: Array<{ workflowId: string; drawn: number; selected: number; tasks: number; assigned: number }> }>('/auditing/double-reviews/run', workflowId ? { workflowId } : {}),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useDoubleReviewResults(filter: AuditingFilter) {
  return useQuery({
    queryKey: keys.doubleReview(filter),
    queryFn: () => api.get<DoubleReviewResults>('/auditing/double-reviews/results', query(filter)),
    placeholderData: keepPreviousData,
  });
}

export function useReviewerQuality(filter: AuditingFilter) {
  return useQuery({
    queryKey: keys.reviewers(filter),
    queryFn: () => api.get<{ confidence: number; minN: number; items: ReviewerQualityRow[] }>('/auditing/reviewer-quality', query(filter)),
    placeholderData: keepPreviousData,
  });
}

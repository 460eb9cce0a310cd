/**
 * Query hooks for decisions (the upstream tool's moderation and support
 * actions) and the daily production aggregates. Reading one decision's content
 * is audited by the server, so it is only ever fetched on an explicit request.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import type { ListResponse } from './types';

export const DECISION_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type DecisionSeverity = (typeof DECISION_SEVERITIES)[number];

export type QaTaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

export interface DecisionSample {
  stratumKey: string;
  inclusionProbability: number;
  method: 'all' | 'rate' | 'capped_rate' | 'quota' | (string & {});
}

export interface DecisionTaskRef {
  id: string;
  status: QaTaskStatus;
  dueAt: string;
}

export interface DecisionSummary {
  id: string;
  source: string;
  externalId: string;
  workflowId: string;
  workflowName: string;
  agentId: string;
  agentName: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  teamId: string | null;
  teamName: string | null;
  decidedAt: string;
  labels: string[];
  /** The highest severity among the labels; null without labels. */
  severity: Exclude<DecisionSeverity, 'none'> | null;
  action: string;
  handleTimeMs: number;
  contentKind: string;
  contentLanguage: string | null;
  modelScore: number | null;
  tenureDays: number;
  /** The version of each labelled policy in force when the decision was made. */
  policyVersionIds: string[];
  sample: DecisionSample | null;
  task: DecisionTaskRef | null;
}

export interface DecisionContent {
  kind: string;
  text: string | null;
  url: string | null;
  language: string | null;
}

export interface DecisionPolicyVersion {
  id: string;
  policyKey: string;
  policyName: string;
  version: number;
  effectiveFrom: string;
}

export interface DecisionSampling {
  planVersionId: string;
  planVersion: number | null;
  stratumKey: string | null;
  /** Design probability (null for quota strata: fixed when the day closes). */
  p: number | null;
  /** The seeded uniform draw. */
  u: number | null;
}

export interface DecisionDetail extends DecisionSummary {
  content: DecisionContent;
  metadata: Record<string, unknown>;
  policyVersions: DecisionPolicyVersion[];
  sampling: DecisionSampling | null;
  ingestedAt: string;
}

export interface ProductionDay {
  day: string;
  decisions: number;
  /** Average handle time of the day's decisions; null without decisions. */
  ahtMs: number | null;
}

export const decisionKeys = {
  list: (params: QueryParams) => ['decisions', 'list', params] as const,
  detail: (id: string) => ['decisions', 'detail', id] as const,
  daily: (params: QueryParams) => ['production', 'daily', params] as const,
};

export function useDecisions(params: QueryParams, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: decisionKeys.list(params),
    queryFn: ({ signal }) => api.get<ListResponse<DecisionSummary>>('/decisions', params, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/**
 * One decision with its content. Every fetch writes an audit entry ("viewed
 * content"), so it runs only when `enabled` (after "Show content") and is
 * never refetched in the background.
 */
export function useDecisionContent(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: decisionKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<DecisionDetail>(`/decisions/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id) && enabled,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}

export function useProductionDaily(params: QueryParams) {
  return useQuery({
    queryKey: decisionKeys.daily(params),
    queryFn: ({ signal }) => api.get<{ items: ProductionDay[] }>('/production/daily', params, signal),
    placeholderData: keepPreviousData,
  });
}

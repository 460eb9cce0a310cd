/**
 * Query hooks for sampling plans: one plan per workflow, versioned. A draft is
 * editable; activating it fixes it (it takes effect at once and can never
 * change again). The preview runs a definition over recent production.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import type { ListResponse } from './types';

// The plan definition's shape is the server's own (a declarations-only module the web may import).
export { STRATIFY_DIMENSIONS } from '../../../src/domain/sampling/plan.types.ts';
export type { Band, Conditions, RiskWeight, SamplingPlanDefinition, SeverityValue, StratifyDimension, StratumMode, StratumRule } from '../../../src/domain/sampling/plan.types.ts';
import type { SamplingPlanDefinition, SeverityValue, StratumMode, StratumRule } from '../../../src/domain/sampling/plan.types.ts';

export const SEVERITY_VALUES: SeverityValue[] = ['critical', 'high', 'medium', 'low', 'none'];
export type QuotaPeriod = NonNullable<StratumRule['quota']>['period'];

export type PlanVersionStatus = 'draft' | 'active' | 'superseded';

export interface PlanVersionSummary {
  id: string;
  version: number;
  status: PlanVersionStatus;
  name: string;
  effectiveFrom: string | null;
  createdAt: string;
  activatedAt: string | null;
  /** Whether this version places the decisions made now (an activation can be scheduled). */
  inForce: boolean;
}

export interface PlanVersion extends PlanVersionSummary {
  workflowId: string;
  notes: string;
  definition: SamplingPlanDefinition;
  /** Only for users who may change plans for every vendor. */
  seed: string | null;
  createdBy: string | null;
  activatedBy: string | null;
  updatedAt: string;
}

export interface SamplingPlanSummary {
  workflowId: string;
  workflowKey: string;
  workflowName: string;
  active: PlanVersionSummary | null;
  draft: PlanVersionSummary | null;
  /** Number of versions, the draft included. */
  versions: number;
}

export interface PreviewStratum {
  stratumKey: string;
  ruleKey: string;
  name: string;
  mode: StratumMode | (string & {});
  dailyPopulation: number;
  dailyExpectedSample: number;
  expectedRate: number;
  marginOfErrorWeek: number;
}

export interface PlanPreview {
  /** First and last UTC day of the history read. */
  from: string;
  to: string;
  days: number;
  /** Days averaged over: from the first day with decisions to `to`. */
  observedDays: number;
  decisions: number;
  /** 1 when every decision was read; less on very large queues (a deterministic subset, scaled up). */
  sampledFraction: number;
  assumedAccuracy: number;
  strata: PreviewStratum[];
  total: {
    dailyPopulation: number;
    dailyExpectedSample: number;
    marginOfErrorDay: number;
    marginOfErrorWeek: number;
    marginOfErrorMonth: number;
  };
  note: string | null;
}

export interface VersionBody {
  name: string;
  notes?: string;
  definition: SamplingPlanDefinition;
}

const planKeys = {
  plans: ['sampling', 'plans'] as const,
  versions: (workflowId: string) => ['sampling', 'versions', workflowId] as const,
  version: (id: string) => ['sampling', 'version', id] as const,
};

export function useSamplingPlans() {
  return useQuery({
    queryKey: planKeys.plans,
    queryFn: ({ signal }) => api.get<ListResponse<SamplingPlanSummary>>('/sampling-plans', undefined, signal),
  });
}

export function usePlanVersions(workflowId: string | undefined) {
  return useQuery({
    queryKey: planKeys.versions(workflowId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ListResponse<PlanVersion>>(`/sampling-plans/${encodeURIComponent(workflowId ?? '')}/versions`, undefined, signal),
    enabled: Boolean(workflowId),
  });
}

export function usePlanVersion(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.version(id ?? ''),
    queryFn: ({ signal }) => api.get<PlanVersion>(`/sampling-plan-versions/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

function useSamplingMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['sampling'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

/** A new draft, copied from the active version or from the default plan. */
export const useCreateDraft = (workflowId: string) =>
  useSamplingMutation((body: { from: 'active' | 'default'; name?: string }) =>
    api.post<PlanVersion>(`/sampling-plans/${encodeURIComponent(workflowId)}/versions`, body),
  );

export const useSaveDraft = () =>
  useSamplingMutation(({ id, body }: { id: string; body: VersionBody }) =>
    apiRequest<PlanVersion>('PUT', `/sampling-plan-versions/${encodeURIComponent(id)}`, { body }),
  );

export const useDiscardDraft = () =>
  useSamplingMutation((id: string) => api.delete(`/sampling-plan-versions/${encodeURIComponent(id)}`));

export const useActivateDraft = () =>
  useSamplingMutation((id: string) => api.post<PlanVersion>(`/sampling-plan-versions/${encodeURIComponent(id)}/activate`));

export function usePreviewPlan() {
  return useMutation({
    mutationFn: (body: { workflowId: string; definition: SamplingPlanDefinition; days?: number }) =>
      api.post<PlanPreview>('/sampling-plans/preview', body),
  });
}

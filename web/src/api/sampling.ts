/**
 * Query hooks for sampling plans: one plan per workflow, versioned. A draft is
 * editable; activating it fixes it (it takes effect at once and can never
 * change again). The preview runs a definition over recent production.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import type { ListResponse } from './types';

/*
 * The plan definition, as in src/domain/sampling/plan.types.ts. The web UI may
 * import only src/domain/access/ (tests/unit/architecture.test.ts), so the
 * shape is restated here; the server validates every definition it receives.
 */
export type SeverityValue = 'critical' | 'high' | 'medium' | 'low' | 'none';
export const SEVERITY_VALUES: SeverityValue[] = ['critical', 'high', 'medium', 'low', 'none'];

export const STRATIFY_DIMENSIONS = ['label', 'severity', 'vendor', 'site', 'tenureBand', 'modelScoreBand'] as const;
export type StratifyDimension = (typeof STRATIFY_DIMENSIONS)[number];

export interface Conditions {
  positive?: boolean;
  labels?: string[];
  severities?: SeverityValue[];
  vendorIds?: string[];
  siteIds?: string[];
  tenureBands?: string[];
  modelScoreBands?: string[];
}

export type StratumMode = 'all' | 'rate' | 'quota';
export type QuotaPeriod = 'day' | 'week' | 'month';

export interface StratumRule {
  key: string;
  name: string;
  when: Conditions;
  stratifyBy: StratifyDimension[];
  mode: StratumMode;
  rate?: number;
  quota?: { perAgent: number; period: QuotaPeriod };
  dailyCap?: number | null;
}

export interface RiskWeight {
  when: Conditions;
  weight: number;
}

export interface Band {
  key: string;
  below: number | null;
}

export interface SamplingPlanDefinition {
  tenureBands: Band[];
  modelScoreBands: Band[];
  strata: StratumRule[];
  riskWeights: RiskWeight[];
  assumedAccuracy: number;
}

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

/** Query hooks for workflows, policies (with versions) and enforcement actions. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import { POLICY_RESOURCES, invalidate, useCreate, useDetail, useList, useUpdate } from './resource';
import type {
  ActiveStatus,
  EnforcementAction,
  PolicyDetail,
  PolicyLabel,
  PolicySummary,
  PolicyVersion,
  Workflow,
  WorkflowKind,
} from './types';

export interface WorkflowBody {
  key: string;
  name: string;
  kind: WorkflowKind;
  description: string;
  policyIds: string[];
  status?: ActiveStatus;
}

export interface ActionBody {
  key: string;
  name: string;
  description: string;
  status?: ActiveStatus;
}

export interface PolicyBody {
  key: string;
  name: string;
  description: string;
}

export interface PolicyPatch {
  name?: string;
  description?: string;
  status?: ActiveStatus;
}

export interface PolicyVersionBody {
  effectiveFrom: string;
  summary: string;
  labels: PolicyLabel[];
  allowedActions: string[];
}

export const useWorkflows = (params: QueryParams = {}, enabled = true) =>
  useList<Workflow>('workflows', params, { enabled });
export const useWorkflow = (id: string | undefined) => useDetail<Workflow>('workflows', id);
export const useCreateWorkflow = () => useCreate<WorkflowBody, Workflow>('workflows', POLICY_RESOURCES);
export const useUpdateWorkflow = () =>
  useUpdate<Partial<Omit<WorkflowBody, 'key'>>, Workflow>('workflows', POLICY_RESOURCES);

export const useActions = (params: QueryParams = {}, enabled = true) =>
  useList<EnforcementAction>('actions', params, { enabled });
export const useCreateAction = () => useCreate<ActionBody, EnforcementAction>('actions', POLICY_RESOURCES);
/** Actions are addressed by key: PATCH /api/actions/:key. */
export const useUpdateAction = () =>
  useUpdate<Partial<Omit<ActionBody, 'key'>>, EnforcementAction>('actions', POLICY_RESOURCES);

export const usePolicies = (params: QueryParams = {}, enabled = true) =>
  useList<PolicySummary>('policies', params, { enabled });
export const usePolicy = (id: string | undefined) => useDetail<PolicyDetail>('policies', id);
export const useCreatePolicy = () => useCreate<PolicyBody, PolicySummary>('policies', POLICY_RESOURCES);
export const useUpdatePolicy = () => useUpdate<PolicyPatch, PolicySummary>('policies', POLICY_RESOURCES);

export function useCreatePolicyVersion(policyId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyVersionBody) =>
      api.post<PolicyVersion>(`/policies/${encodeURIComponent(policyId)}/versions`, body),
    onSuccess: () => invalidate(client, POLICY_RESOURCES),
  });
}

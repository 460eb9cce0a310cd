/**
 * Query hooks for the QA task queue: the per-workflow summary, tasks, the
 * reviewer's own next task (claimed with a lease), settings and capacity.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, type QueryParams } from './client';
import type { ListResponse } from './types';
import type { QaTaskStatus } from './decisions';

export type { QaTaskStatus };

export interface WorkflowQueue {
  workflowId: string;
  workflowName: string;
  open: number;
  claimed: number;
  overdue: number;
  dueNext24h: number;
  unassigned: number;
  completedLast7d: number;
  oldestDueAt: string | null;
}

export interface Reviewer {
  personId: string;
  name: string;
  vendorId: string;
  vendorName: string;
  vendorIsInHouse: boolean;
  siteId: string;
  siteName: string | null;
  teamId: string | null;
  teamName: string | null;
  jobRole: string;
  status: string;
  languages: string[];
  workflowIds: string[];
  /** Tasks automatic assignment gives them per UTC day. */
  dailyCapacity: number;
  capacityIsDefault: boolean;
  /** Assigned to them and open (not claimed). */
  assignedOpen: number;
  /** Claimed by them under a live lease. */
  claimed: number;
  overdue: number;
  /** Tasks created today (UTC) and assigned to them, across workflows. */
  assignedToday: number;
}

export interface QueueSummary {
  generatedAt: string;
  workflows: WorkflowQueue[];
  reviewers: Reviewer[];
}

export interface QaTask {
  id: string;
  decisionId: string;
  workflowId: string;
  workflowName: string;
  agentId: string;
  agentName: string | null;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  siteName: string | null;
  teamId: string | null;
  teamName: string | null;
  decidedAt: string;
  labels: string[];
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  action: string;
  /** BCP 47, '' when unknown. */
  language: string;
  stratumKey: string | null;
  inclusionProbability: number | null;
  dueAt: string;
  /** A claim whose lease ran out reads as open. */
  status: QaTaskStatus;
  overdue: boolean;
  assigneeId: string | null;
  /** Null also when the assignee is outside the viewer's scope. */
  assigneeName: string | null;
  claimedById: string | null;
  claimedByName: string | null;
  claimedAt: string | null;
  leaseExpiresAt: string | null;
  createdAt: string;
  completedAt: string | null;
  updatedAt: string;
}

export interface QaSettings {
  workflowId: string;
  workflowName: string;
  workflowStatus: 'active' | 'inactive';
  turnaroundHours: number;
  leaseMinutes: number;
  internalReviewsVendorWork: boolean;
  /** Nothing set yet: the defaults apply. */
  isDefault: boolean;
  updatedAt: string | null;
}

export interface QaSettingsBody {
  turnaroundHours: number;
  leaseMinutes: number;
  internalReviewsVendorWork: boolean;
}

const qaKeys = {
  summary: (params: QueryParams) => ['qa', 'summary', params] as const,
  tasks: (params: QueryParams) => ['qa', 'tasks', params] as const,
  settings: ['qa', 'settings'] as const,
  reviewers: (params: QueryParams) => ['qa', 'reviewers', params] as const,
};

export function useQueueSummary(params: QueryParams = {}) {
  return useQuery({
    queryKey: qaKeys.summary(params),
    queryFn: ({ signal }) => api.get<QueueSummary>('/qa/queue/summary', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useQaTasks(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: qaKeys.tasks(params),
    queryFn: ({ signal }) => api.get<ListResponse<QaTask>>('/qa/tasks', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useQaSettings(enabled = true) {
  return useQuery({
    queryKey: qaKeys.settings,
    queryFn: ({ signal }) => api.get<{ items: QaSettings[] }>('/qa/settings', undefined, signal),
    enabled,
  });
}

export function useReviewers(params: QueryParams = {}, enabled = true) {
  return useQuery({
    queryKey: qaKeys.reviewers(params),
    queryFn: ({ signal }) => api.get<ListResponse<Reviewer>>('/qa/reviewers', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useQaMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['qa'] }),
        client.invalidateQueries({ queryKey: ['decisions'] }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}

/**
 * Claims the next task for the signed-in reviewer: the one they already hold
 * (lease renewed), else their oldest-due assigned task, else the oldest-due
 * pool task they may review. Undefined (204) when there is nothing to take.
 */
export const useTakeNextTask = () =>
  useQaMutation((body: { workflowId?: string }) => api.post<QaTask | undefined>('/qa/tasks/next', body));

export const useReleaseTask = () =>
  useQaMutation((id: string) => api.post<QaTask>(`/qa/tasks/${encodeURIComponent(id)}/release`));

export const useRenewTask = () =>
  useQaMutation((id: string) => api.post<QaTask>(`/qa/tasks/${encodeURIComponent(id)}/renew`));

export const useReassignTask = () =>
  useQaMutation(({ id, assigneeId }: { id: string; assigneeId: string | null }) =>
    api.patch<QaTask>(`/qa/tasks/${encodeURIComponent(id)}`, { assigneeId }),
  );

export const useUpdateQaSettings = () =>
  useQaMutation(({ workflowId, body }: { workflowId: string; body: QaSettingsBody }) =>
    apiRequest<QaSettings>('PUT', `/qa/settings/${encodeURIComponent(workflowId)}`, { body }),
  );

export const useUpdateCapacity = () =>
  useQaMutation(({ personId, dailyCapacity }: { personId: string; dailyCapacity: number }) =>
    apiRequest<Reviewer>('PUT', `/qa/reviewers/${encodeURIComponent(personId)}/capacity`, { body: { dailyCapacity } }),
  );

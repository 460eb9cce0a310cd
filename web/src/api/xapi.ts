/** Query hooks for the xAPI Learning Record Store's credentials (admin). */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { XapiCredential, XapiCredentialCreated, XapiCredentialInput, XapiStatementPage } from '../../../src/domain/xapi/xapi.types.ts';
import { api, apiRequest } from './client';

export type { XapiCredential, XapiCredentialAccess, XapiCredentialCreated, XapiCredentialInput, XapiStatementSummary } from '../../../src/domain/xapi/xapi.types.ts';

const KEY = ['xapi', 'credentials'] as const;

export function useXapiCredentials() {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.get<{ items: XapiCredential[] }>('/xapi/credentials', undefined, signal),
  });
}

export function useCreateXapiCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: XapiCredentialInput) => api.post<XapiCredentialCreated>('/xapi/credentials', body),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRevokeXapiCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<XapiCredential>(`/xapi/credentials/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export const XAPI_STATEMENTS_PAGE = 25;

/** The latest statements in the LRS, newest first, a page at a time. */
export function useXapiStatements() {
  return useInfiniteQuery({
    queryKey: ['xapi', 'statements'],
    queryFn: ({ pageParam, signal }) => api.get<XapiStatementPage>('/xapi/statements', { limit: XAPI_STATEMENTS_PAGE, before: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

// Links to training: settings, forwarding of Assay's own statements, activity → course mappings.
export type { XapiActivityMapping, XapiForwarding, XapiForwardingInput, XapiSettings } from '../../../src/domain/xapi/xapi.types.ts';
import type { XapiActivityMapping, XapiForwarding, XapiForwardingInput, XapiSettings } from '../../../src/domain/xapi/xapi.types.ts';

export function useXapiSettings() {
  return useQuery({ queryKey: ['xapi', 'settings'], queryFn: ({ signal }) => api.get<XapiSettings>('/xapi/settings', undefined, signal) });
}

export function useUpdateXapiSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { activityBase?: string; employeeRefHomePage?: string | null }) => apiRequest<XapiSettings>('PUT', '/xapi/settings', { body }),
    onSuccess: (data) => client.setQueryData(['xapi', 'settings'], data),
  });
}

export function useXapiForwarding() {
  return useQuery({ queryKey: ['xapi', 'forwarding'], queryFn: ({ signal }) => api.get<XapiForwarding>('/xapi/forwarding', undefined, signal) });
}

export function useUpdateXapiForwarding() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: XapiForwardingInput) => apiRequest<XapiForwarding>('PUT', '/xapi/forwarding', { body }),
    onSuccess: (data) => client.setQueryData(['xapi', 'forwarding'], data),
  });
}

const MAPPINGS = ['xapi', 'activity-mappings'] as const;

export function useXapiActivityMappings() {
  return useQuery({ queryKey: MAPPINGS, queryFn: ({ signal }) => api.get<{ items: XapiActivityMapping[] }>('/xapi/activity-mappings', undefined, signal) });
}

export function useCreateXapiActivityMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { activityId: string; courseId: string }) => api.post<XapiActivityMapping>('/xapi/activity-mappings', body),
    onSuccess: () => client.invalidateQueries({ queryKey: MAPPINGS }),
  });
}

export function useDeleteXapiActivityMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/xapi/activity-mappings/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: MAPPINGS }),
  });
}

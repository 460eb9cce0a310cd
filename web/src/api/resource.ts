/**
 * Generic TanStack Query hooks for the API's list / detail / create / update
 * endpoints. Query keys are `[resource, 'list' | 'detail', ...]` so a mutation
 * can invalidate everything about a resource with the `[resource]` prefix.
 */
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import type { ListResponse } from './types';

export type Resource =
  | 'vendors'
  | 'sites'
  | 'teams'
  | 'people'
  | 'workflows'
  | 'actions'
  | 'policies'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'overview'
  | 'auth';

/** Resources whose rows show each other's names and counts. */
export const ORG_RESOURCES: Resource[] = ['vendors', 'sites', 'teams', 'people', 'overview', 'users'];
export const POLICY_RESOURCES: Resource[] = ['workflows', 'policies', 'actions', 'teams', 'people'];

export const queryKeys = {
  list: (resource: Resource, params: QueryParams = {}) => [resource, 'list', params] as const,
  detail: (resource: Resource, id: string) => [resource, 'detail', id] as const,
};

export async function invalidate(client: QueryClient, resources: Resource[]): Promise<void> {
  await Promise.all(
    [...resources, 'audit' as const].map((resource) => client.invalidateQueries({ queryKey: [resource] })),
  );
}

export interface ListOptions {
  enabled?: boolean;
}

export function useList<T>(resource: Resource, params: QueryParams = {}, options: ListOptions = {}) {
  return useQuery({
    queryKey: queryKeys.list(resource, params),
    queryFn: ({ signal }) => api.get<ListResponse<T>>(`/${resource}`, params, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** Only the `total` of a list (asks for a single row). */
export function useTotal(resource: Resource, params: QueryParams = {}, options: ListOptions = {}) {
  const query = useList<unknown>(resource, { ...params, limit: 1 }, options);
  return { ...query, total: query.data?.total };
}

export function useDetail<T>(resource: Resource, id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.detail(resource, id ?? ''),
    queryFn: ({ signal }) => api.get<T>(`/${resource}/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCreate<TBody, TResult>(resource: Resource, alsoInvalidate: Resource[] = []) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => api.post<TResult>(`/${resource}`, body),
    onSuccess: () => invalidate(client, [resource, ...alsoInvalidate]),
  });
}

export function useUpdate<TBody, TResult>(resource: Resource, alsoInvalidate: Resource[] = []) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TBody }) =>
      api.patch<TResult>(`/${resource}/${encodeURIComponent(id)}`, body),
    onSuccess: () => invalidate(client, [resource, ...alsoInvalidate]),
  });
}

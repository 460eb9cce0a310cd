/** Query hooks for users, own API tokens and the audit log. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import { invalidate, useCreate, useDetail, useList, useUpdate } from './resource';
import type { ApiToken, AuditPage, CreatedApiToken, Role, ScopeKind, User } from './types';

export interface ScopeBody {
  kind: ScopeKind;
  refId: string | null;
}

export interface CreateUserBody {
  email: string;
  displayName: string;
  password: string;
  role: Role;
  scope: ScopeBody;
  personId?: string | null;
}

export interface UpdateUserBody {
  displayName?: string;
  role?: Role;
  scope?: ScopeBody;
  status?: User['status'];
  password?: string;
  personId?: string | null;
}

export const useUsers = (params: QueryParams = {}, enabled = true) => useList<User>('users', params, { enabled });
export const useUser = (id: string | undefined) => useDetail<User>('users', id);
export const useCreateUser = () => useCreate<CreateUserBody, User>('users');
/** Also refreshes the session, in case the user edited themselves. */
export const useUpdateUser = () => useUpdate<UpdateUserBody, User>('users', ['auth']);

export const useTokens = () => useList<ApiToken>('tokens');

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays: number | null }) => api.post<CreatedApiToken>('/tokens', body),
    onSuccess: () => invalidate(client, ['tokens']),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => invalidate(client, ['tokens']),
  });
}

export const AUDIT_PAGE_SIZE = 50;

export function useAuditLog(filters: QueryParams) {
  return useInfiniteQuery({
    queryKey: ['audit', 'infinite', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/audit', { ...filters, limit: AUDIT_PAGE_SIZE, before: pageParam ?? undefined }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

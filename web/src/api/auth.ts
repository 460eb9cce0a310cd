/** Session, sign-in / sign-out and first-run setup. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, isApiError, setCsrfToken } from './client';
import type { Session } from './types';

export const SESSION_KEY = ['auth', 'me'] as const;
export const SETUP_KEY = ['auth', 'setup'] as const;

async function fetchSession(signal: AbortSignal): Promise<Session | null> {
  try {
    const session = await apiRequest<Session>('GET', '/auth/me', { signal, quietUnauthenticated: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in session, or null when nobody is signed in. */
export function useSessionQuery() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
  });
}

/**
 * The session as already known, without asking the server. Used by the
 * sign-in and setup pages so a signed-out visitor's first page load does not
 * start with a (console-logged) 401 from /api/auth/me.
 */
export function useKnownSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: ({ signal }) => fetchSession(signal), enabled: false });
}

/** True after an explicit sign-out: the sign-in page then keeps no "return to" link. */
export const SIGNED_OUT_KEY = ['auth', 'signedOut'] as const;

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      apiRequest<Session>('POST', '/auth/sign-in', { body, quietUnauthenticated: true }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      client.setQueryData(SESSION_KEY, session);
      client.setQueryData(SIGNED_OUT_KEY, false);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('POST', '/auth/sign-out', { body: {}, quietUnauthenticated: true }),
    onSettled: () => {
      setCsrfToken(null);
      client.setQueryData(SIGNED_OUT_KEY, true);
      client.setQueryData(SESSION_KEY, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
    },
  });
}

export function useSetupStatus() {
  return useQuery({
    queryKey: SETUP_KEY,
    queryFn: ({ signal }) => api.get<{ needed: boolean }>('/setup', undefined, signal),
    staleTime: 60_000,
  });
}

export interface SetupBody {
  setupCode: string;
  email: string;
  displayName: string;
  password: string;
}

export function useCompleteSetup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SetupBody) => apiRequest<unknown>('POST', '/setup', { body, quietUnauthenticated: true }),
    onSuccess: () => client.setQueryData(SETUP_KEY, { needed: false }),
  });
}

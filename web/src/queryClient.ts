/** The app's QueryClient: retry policy, 401 -> signed out, CSRF refresh. */
import { MutationCache, QueryClient } from '@tanstack/react-query';
import { isApiError, onUnauthenticated } from './api/client';
import { SESSION_KEY } from './api/auth';

function shouldRetry(failureCount: number, error: unknown): boolean {
  // 4xx answers will not change by asking again; 5xx and network errors might.
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (error) => {
        // A stale CSRF token: fetch a fresh one so the next attempt works.
        if (isApiError(error) && error.code === 'CSRF_FAILED') {
          void client.invalidateQueries({ queryKey: SESSION_KEY });
        }
      },
    }),
  });

  // Any 401 means the session is gone: drop it and the router sends the
  // person to the sign-in page (remembering where they were).
  onUnauthenticated(() => {
    client.setQueryData(SESSION_KEY, null);
  });

  return client;
}

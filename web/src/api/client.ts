/**
 * The one place that talks HTTP to the Assay server. Every request is
 * same-origin JSON with the session cookie; every non-GET request carries the
 * CSRF token handed out by sign-in and /api/auth/me. Non-2xx answers become an
 * ApiError carrying the server's `{ error: { code, message, details } }`.
 */

export type ApiErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'NETWORK'
  | (string & {});

export interface ApiErrorDetail {
  /** JSON pointer into the request body, e.g. `/scope/refId`. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: ApiErrorCode, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isNotFound(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/** A message fit for a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called whenever a request (other than the session probes) answers 401. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string>;
export type QueryParams = Record<string, QueryValue>;

export function buildQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(key, item);
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not broadcast a 401 (used by the session probe and sign-in itself). */
  quietUnauthenticated?: boolean;
}

async function parseError(response: Response): Promise<ApiError> {
  let code: ApiErrorCode = response.status >= 500 ? 'INTERNAL' : 'UNKNOWN';
  let message = response.statusText || `Request failed (${response.status})`;
  let details: ApiErrorDetail[] = [];
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: ApiErrorDetail[] };
    };
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      details = Array.isArray(body.error.details) ? body.error.details : [];
    }
  } catch {
    // Not JSON (a proxy error page, for instance): keep the status text.
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    message = 'The Assay server is not reachable. Try again in a moment.';
  }
  return new ApiError(response.status, code, message, details);
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['x-csrf-token'] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(`/api${path}${buildQuery(options.query)}`, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the Assay server. Check your connection and try again.');
  }

  if (!response.ok) {
    const error = await parseError(response);
    if (response.status === 401 && !options.quietUnauthenticated) {
      for (const listener of unauthenticatedListeners) listener(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};

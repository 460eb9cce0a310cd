import { describeDatabaseError } from '../db/errors.ts';

/**
 * One typed error for everything a caller can get wrong. The HTTP edge maps
 * `code` to a status (src/api/errors.ts); the CLI prints `message` and details.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** A problem with one field; `path` is a JSON pointer into the input ('/scope/refId'). */
export interface FieldIssue {
  path: string;
  message: string;
  line?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldIssue[];
  readonly meta: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: FieldIssue[] = [], meta: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.meta = meta;
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found.`);
}

export function invalid(issues: FieldIssue[], message = 'Some fields are not valid.'): AppError {
  return new AppError('VALIDATION_FAILED', message, issues);
}

export function conflict(message: string, path?: string): AppError {
  return new AppError('CONFLICT', message, path ? [{ path, message }] : []);
}

/** Collects field issues and throws them together, so a form shows every problem at once. */
export class Issues {
  private readonly list: FieldIssue[] = [];

  add(path: string, message: string): this {
    this.list.push({ path, message });
    return this;
  }

  check(condition: boolean, path: string, message: string): this {
    if (!condition) this.add(path, message);
    return this;
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  throwIfAny(message?: string): void {
    if (this.list.length > 0) throw invalid(this.list, message);
  }
}

/** An AppError for anything a caller could have caused, including database refusals; null for bugs. */
export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const problem = describeDatabaseError(error);
  return problem ? new AppError(problem.code, problem.message, problem.details) : null;
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, asAppError, ERROR_STATUS, type FieldIssue } from '../domain/errors.ts';

/**
 * Every error leaves the server as {error:{code,message,details}} with a
 * status from ERROR_STATUS. Nothing else leaves: unexpected errors are logged
 * with their stack and answered with a request id to quote, never the stack.
 */

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function pointerOf(issue: AjvIssue): string {
  const base = issue.instancePath ?? '';
  if (issue.keyword === 'required' && typeof issue.params?.missingProperty === 'string') {
    return `${base}/${issue.params.missingProperty}`;
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params?.additionalProperty === 'string') {
    return `${base}/${issue.params.additionalProperty}`;
  }
  return base || '/';
}

function messageOf(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'This field is required.';
    case 'additionalProperties':
      return 'This field is not recognised.';
    case 'enum':
    case 'anyOf':
      return Array.isArray(issue.params?.allowedValues)
        ? `Choose one of: ${(issue.params.allowedValues as unknown[]).join(', ')}.`
        : 'This value is not one of the allowed choices.';
    case 'format':
      return `Must be a valid ${String(issue.params?.format ?? 'value')}.`;
    default: {
      const text = issue.message ?? 'is not valid';
      return text.charAt(0).toUpperCase() + text.slice(1) + '.';
    }
  }
}

function fromValidation(error: FastifyError): AppError {
  const context = (error as FastifyError & { validationContext?: string }).validationContext;
  // A malformed id in the path is simply not found: it names nothing.
  if (context === 'params') return new AppError('NOT_FOUND', 'Not found.');
  const issues = (error.validation ?? []) as AjvIssue[];
  // A union of literals fails once per branch ("must be equal to constant") and once as anyOf:
  // fold those into one message that lists the allowed values.
  const allowedAt = new Map<string, unknown[]>();
  for (const issue of issues) {
    if (issue.keyword === 'const') {
      const path = pointerOf(issue);
      allowedAt.set(path, [...(allowedAt.get(path) ?? []), issue.params?.allowedValue]);
    }
  }
  const seen = new Set<string>();
  const details: FieldIssue[] = [];
  for (const issue of issues) {
    const path = pointerOf(issue);
    if ((issue.keyword === 'const' || issue.keyword === 'type') && allowedAt.has(path) && issues.some((i) => i.keyword === 'anyOf' && pointerOf(i) === path)) continue;
    const allowed = issue.keyword === 'anyOf' ? allowedAt.get(path) : undefined;
    const message = allowed ? `Choose one of: ${allowed.join(', ')}.` : messageOf(issue);
    const key = `${path}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ path: context === 'querystring' ? `?${path.slice(1)}` : path, message });
  }
  return new AppError('VALIDATION_FAILED', context === 'querystring' ? 'Some query parameters are not valid.' : 'Some fields are not valid.', details);
}

function fromFastify(error: FastifyError): AppError | null {
  if (error.validation) return fromValidation(error);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_REQUEST', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
    return new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('BAD_REQUEST', error.message);
  }
  return null;
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const retry = error.meta.retryAfterSeconds;
  if (typeof retry === 'number') reply.header('retry-after', String(retry));
  return reply.status(ERROR_STATUS[error.code]).send({
    error: { code: error.code, message: error.message, details: error.details },
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = asAppError(error) ?? fromFastify(error);
    if (known) {
      if (ERROR_STATUS[known.code] >= 500) request.log.error({ err: error }, known.message);
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(
      reply,
      new AppError('INTERNAL', `Something went wrong on our side. Quote request id ${String(request.id)} when reporting it.`),
    );
  });
}

import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import type { XapiVersion } from '../../domain/xapi/xapi-validation.rules.ts';

/**
 * One LRS request, whatever syntax it came in: the method, the resource parameters, the headers
 * that matter and the body. xAPI 1.0.3's alternate request syntax (a POST whose `method` query
 * parameter names the real method, with headers, parameters and content as form fields) is
 * unfolded into the same shape; xAPI 2.0.0 removed that syntax, so it is refused there.
 */
export interface LrsRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
  contentType: string;
}

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
const HEADER_FIELDS = new Set(['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match']);

function bad(message: string, path = '/'): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ path, message }]);
}

function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

function record(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) out[key] = value;
  return out;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function lrsRequestOf(request: FastifyRequest): LrsRequest {
  const query = record(queryOf(request.url));
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const headers: Record<string, string | undefined> = {};
  for (const name of [...HEADER_FIELDS, 'accept-language']) headers[name] = header(request, name);
  const method = request.method as LrsRequest['method'];
  if (query.method === undefined) return { method, params: query, headers, body, contentType: headers['content-type'] ?? '' };

  const version = headers['x-experience-api-version'];
  if (version?.startsWith('2.')) throw bad('xAPI 2.0.0 has no alternate request syntax: send the real method and headers.', '?method');
  if (method !== 'POST') throw bad('The alternate request syntax is a POST with ?method=...', '?method');
  const extra = Object.keys(query).filter((k) => k !== 'method');
  if (extra.length > 0) throw bad('With the alternate request syntax, every parameter except method goes in the form body.', `?${extra[0]}`);
  const real = query.method.toUpperCase();
  if (!METHODS.has(real) || real === 'HEAD') throw bad('method must be GET, PUT, POST or DELETE.', '?method');
  if (!/^application\/x-www-form-urlencoded\b/i.test(headers['content-type'] ?? '')) throw bad('The alternate request syntax sends application/x-www-form-urlencoded.', '/');
  const form = new URLSearchParams(body.toString('utf8'));
  const params: Record<string, string> = {};
  const unfolded: Record<string, string | undefined> = { ...headers, 'content-type': undefined, 'content-length': undefined };
  let content: string | undefined;
  for (const [key, value] of form) {
    const lower = key.toLowerCase();
    if (HEADER_FIELDS.has(lower)) unfolded[lower] = value;
    else if (key === 'content') content = value;
    else params[key] = value;
  }
  if ((real === 'PUT' || real === 'POST') && content === undefined) throw bad('Send the document or statement as the form field "content".', '/content');
  return {
    method: real as LrsRequest['method'],
    params,
    headers: unfolded,
    body: Buffer.from(content ?? '', 'utf8'),
    contentType: unfolded['content-type'] ?? (content !== undefined ? 'application/json' : ''),
  };
}

/** The version the client speaks: 1.0.x is served as 1.0.3, 2.0.x as 2.0.0. */
export function versionOf(request: LrsRequest): XapiVersion {
  const value = request.headers['x-experience-api-version'];
  if (value === undefined) throw bad('Send the X-Experience-API-Version header (1.0.3 or 2.0.0).', 'X-Experience-API-Version');
  if (/^1\.0(\.[0-3])?$/.test(value.trim())) return '1.0.3';
  if (/^2\.0(\.0)?$/.test(value.trim())) return '2.0.0';
  throw bad(`This LRS speaks xAPI 1.0.x and 2.0.0, not "${value}".`, 'X-Experience-API-Version');
}

export function basicCredentials(request: LrsRequest): { key: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

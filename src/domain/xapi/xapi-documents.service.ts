import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-documents.repository.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { LrsClient } from './xapi-credentials.service.ts';
import { isIri, isObject, isUuid, parseTimestamp } from './xapi-primitives.rules.ts';
import { agentIfi } from './xapi-statement.rules.ts';
import { agentIssues, type XapiVersion } from './xapi-validation.rules.ts';

/**
 * The State, Activity Profile and Agent Profile resources (xAPI 1.0.3 Part Three 2.2-2.7): opaque
 * documents keyed by activity, agent, registration and id, with ETag concurrency and a JSON
 * merge on POST.
 */

export type DocumentKind = repo.DocumentKind;

const SHAPES: Record<DocumentKind, { id: string; required: string[]; optional: string[] }> = {
  state: { id: 'stateId', required: ['activityId', 'agent'], optional: ['registration'] },
  activity_profile: { id: 'profileId', required: ['activityId'], optional: [] },
  agent_profile: { id: 'profileId', required: ['agent'], optional: [] },
};

export interface DocumentRequest {
  kind: DocumentKind;
  params: Record<string, string>;
  version: XapiVersion;
}

export interface Preconditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

function bad(message: string, details: FieldIssue[] = []): AppError {
  return new AppError('VALIDATION_FAILED', message, details);
}

function precondition(status: 409 | 412 | 428, message: string): AppError {
  return new AppError('CONFLICT', message, [], { xapiStatus: status });
}

function keyOf(client: LrsClient, request: DocumentRequest, method: 'GET' | 'PUT' | 'POST' | 'DELETE'): { key: repo.DocumentKey; documentId: string | null; since: Date | null } {
  const { kind, params } = request;
  const shape = SHAPES[kind];
  const allowed = new Set([...shape.required, ...shape.optional, shape.id, ...(method === 'GET' ? ['since'] : [])]);
  const issues: FieldIssue[] = [];
  for (const name of Object.keys(params)) if (!allowed.has(name)) issues.push({ path: `?${name}`, message: 'Not a parameter of this resource.' });
  for (const name of shape.required) if (params[name] === undefined) issues.push({ path: `?${name}`, message: 'This parameter is required.' });
  if ((method === 'PUT' || method === 'POST') && params[shape.id] === undefined) issues.push({ path: `?${shape.id}`, message: 'This parameter is required.' });
  if (kind === 'agent_profile' && method === 'DELETE' && params.profileId === undefined) issues.push({ path: '?profileId', message: 'This parameter is required.' });
  if (kind === 'activity_profile' && method === 'DELETE' && params.profileId === undefined) issues.push({ path: '?profileId', message: 'This parameter is required.' });
  if (params.activityId !== undefined && !isIri(params.activityId)) issues.push({ path: '?activityId', message: 'activityId must be an IRI.' });
  if (params.registration !== undefined && !isUuid(params.registration)) issues.push({ path: '?registration', message: 'registration must be a UUID.' });
  let since: Date | null = null;
  if (params.since !== undefined) {
    since = parseTimestamp(params.since);
    if (!since) issues.push({ path: '?since', message: 'since must be an ISO 8601 timestamp.' });
    if (params[shape.id] !== undefined) issues.push({ path: '?since', message: `since lists documents; it cannot be used with ${shape.id}.` });
  }
  let ifi = '';
  if (params.agent !== undefined) {
    let agent: unknown = null;
    try {
      agent = JSON.parse(params.agent);
    } catch {
      /* reported below */
    }
    const problems = isObject(agent) ? agentIssues(agent) : [{ path: '', message: 'agent must be a JSON agent.' }];
    if (problems.length > 0) issues.push(...problems.map((p) => ({ path: `?agent${p.path === '/' ? '' : p.path}`, message: p.message })));
    else ifi = agentIfi(agent as never) ?? '';
  }
  if (issues.length > 0) throw bad('Some parameters are not valid.', issues);
  return {
    key: { scopeKey: client.scopeKey, kind, activityId: params.activityId ?? '', agentIfi: ifi, registration: params.registration?.toLowerCase() ?? '' },
    documentId: params[shape.id] ?? null,
    since,
  };
}

export function etagOf(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

function tags(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
}

function checkPreconditions(current: { etag: string } | undefined, pre: Preconditions): void {
  if (pre.ifMatch !== undefined) {
    const wanted = tags(pre.ifMatch);
    if (!current || !(wanted.includes('*') || wanted.includes(current.etag))) throw precondition(412, 'If-Match does not match the document\'s current ETag; read it again and retry.');
  }
  if (pre.ifNoneMatch !== undefined && current) {
    const wanted = tags(pre.ifNoneMatch);
    if (wanted.includes('*') || wanted.includes(current.etag)) throw precondition(412, 'The document already exists (If-None-Match).');
  }
}

export interface DocumentRead {
  kind: 'document' | 'ids';
  content: Buffer;
  contentType: string;
  etag: string;
  updatedAt: Date | null;
}

export async function readDocuments(trx: Executor, client: LrsClient, request: DocumentRequest): Promise<DocumentRead> {
  const { key, documentId, since } = keyOf(client, request, 'GET');
  if (documentId === null) {
    const ids = await repo.listDocumentIds(trx, key, since);
    const content = Buffer.from(JSON.stringify(ids));
    return { kind: 'ids', content, contentType: 'application/json', etag: etagOf(content), updatedAt: null };
  }
  const doc = await repo.findDocument(trx, key, documentId);
  if (!doc) throw new AppError('NOT_FOUND', 'No document has this id.');
  return { kind: 'document', content: doc.content, contentType: doc.content_type, etag: doc.etag, updatedAt: new Date(doc.updated_at) };
}

function isJsonType(contentType: string): boolean {
  return /^application\/json\b/i.test(contentType.trim());
}

function parseJsonObject(content: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export async function writeDocument(
  trx: Executor,
  client: LrsClient,
  request: DocumentRequest & { method: 'PUT' | 'POST'; content: Buffer; contentType: string; preconditions: Preconditions },
): Promise<void> {
  const { key, documentId } = keyOf(client, request, request.method);
  const current = await repo.findDocument(trx, key, documentId!);
  checkPreconditions(current, request.preconditions);
  const { ifMatch, ifNoneMatch } = request.preconditions;
  const guarded = request.kind !== 'state' || request.version === '2.0.0';
  if (request.method === 'PUT' && guarded && ifMatch === undefined && ifNoneMatch === undefined) {
    if (current) throw precondition(409, 'This document exists: send If-Match with its ETag (or If-None-Match: *) to say which version you mean to replace.');
    // xAPI 1.0.3 asks profile writers to always state their expectation (If-None-Match: * for a new document).
    if (request.version === '1.0.3') throw bad('Send If-Match with the document\'s ETag, or If-None-Match: * for a new document.', [{ path: 'If-None-Match', message: 'Required for profile documents.' }]);
  }
  let content = request.content;
  let contentType = request.contentType || 'application/octet-stream';
  if (isJsonType(contentType) && request.method === 'POST' && parseJsonObject(content) === null) {
    throw bad('A JSON document posted for merging must be a JSON object.', [{ path: '/', message: 'Not a JSON object.' }]);
  }
  if (request.method === 'POST' && current) {
    const before = isJsonType(current.content_type) ? parseJsonObject(current.content) : null;
    const incoming = isJsonType(contentType) ? parseJsonObject(content) : null;
    if (!before || !incoming) throw bad('POST merges JSON objects; the stored document or this one is not JSON. Use PUT to replace it.', [{ path: '/', message: 'Both documents must be JSON objects.' }]);
    content = Buffer.from(JSON.stringify({ ...before, ...incoming }));
    contentType = 'application/json';
  }
  await repo.saveDocument(trx, { ...key, vendorId: client.vendorId }, documentId!, { content, contentType, etag: etagOf(content) });
}

export async function deleteDocuments(trx: Executor, client: LrsClient, request: DocumentRequest & { preconditions: Preconditions }): Promise<void> {
  const { key, documentId } = keyOf(client, request, 'DELETE');
  if (documentId === null) return repo.deleteDocuments(trx, key);
  const current = await repo.findDocument(trx, key, documentId);
  checkPreconditions(current, request.preconditions);
  return repo.deleteDocument(trx, key, documentId);
}

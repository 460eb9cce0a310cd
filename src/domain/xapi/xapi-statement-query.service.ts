import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-statements.repository.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { credentialActor, type LrsClient } from './xapi-credentials.service.ts';
import type { AttachmentPayload } from './xapi-multipart.rules.ts';
import { isIri, isUuid, parseTimestamp, type JsonObject } from './xapi-primitives.rules.ts';
import { agentIfi, canonicalFormat, idsFormat, preferredLanguages } from './xapi-statement.rules.ts';
import { agentIssues } from './xapi-validation.rules.ts';

/**
 * Reading statements (xAPI 1.0.3 Part Three 2.1.3): one by statementId/voidedStatementId, or a
 * filtered page with a `more` link. The link carries the query and a cursor (the last seq seen
 * and the high-water mark of the first page), so a walk is stable under concurrent inserts:
 * every statement that matched when the walk began is returned exactly once.
 */

export const PAGE_LIMIT = 100;
const SINGLE_PARAMS = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);
const QUERY_PARAMS = new Set(['agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending', 'more']);

export interface StatementReadResult {
  body: JsonObject;
  /** The stored time of a single statement (Last-Modified). */
  lastModified: Date | null;
  attachments: AttachmentPayload[] | null;
}

type Format = 'exact' | 'ids' | 'canonical';

function bad(message: string, details: FieldIssue[] = []): AppError {
  return new AppError('VALIDATION_FAILED', message, details);
}

function flag(params: Record<string, string>, name: string): boolean {
  const value = params[name];
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw bad(`${name} must be true or false.`, [{ path: `?${name}`, message: 'Use true or false.' }]);
  return value === 'true';
}

function formatOf(params: Record<string, string>): Format {
  const format = params.format ?? 'exact';
  if (format !== 'exact' && format !== 'ids' && format !== 'canonical') throw bad('format must be ids, exact or canonical.', [{ path: '?format', message: 'Use ids, exact or canonical.' }]);
  return format;
}

function present(statement: JsonObject, format: Format, languages: string[]): JsonObject {
  if (format === 'ids') return idsFormat(statement);
  if (format === 'canonical') return canonicalFormat(statement, languages) as JsonObject;
  return statement;
}

async function withAttachments(trx: Executor, rows: repo.StatementRow[], wanted: boolean): Promise<AttachmentPayload[] | null> {
  if (!wanted) return null;
  const found = await repo.findAttachments(trx, [...new Set(rows.flatMap((r) => r.attachment_hashes))]);
  const unique = new Map(found.map((a) => [a.sha2, { sha2: a.sha2, contentType: a.content_type, content: a.content }]));
  return [...unique.values()];
}

/**
 * A credential's read of the Statement resource, audited once per request with what it asked and how
 * many statements it received: learning records are personal data, and an integration's reads are
 * exports out of Assay. A refused query (400, 404) reads nothing and is not recorded.
 */
export async function readStatementsAs(trx: Executor, client: LrsClient, params: Record<string, string>, acceptLanguage: string | undefined): Promise<StatementReadResult> {
  const result = await readStatements(trx, params, acceptLanguage);
  const statements = (result.body as { statements?: unknown[] }).statements;
  await audit(trx, credentialActor(client), {
    action: 'xapi_statements.read',
    entityType: 'xapi_statement',
    entityId: params.statementId ?? params.voidedStatementId,
    details: { query: params, statements: Array.isArray(statements) ? statements.length : 1, attachments: result.attachments?.length ?? 0 },
  });
  return result;
}

export async function readStatements(trx: Executor, params: Record<string, string>, acceptLanguage: string | undefined): Promise<StatementReadResult> {
  const languages = preferredLanguages(acceptLanguage);
  const single = params.statementId ?? params.voidedStatementId;
  if (params.statementId !== undefined || params.voidedStatementId !== undefined) {
    const extra = Object.keys(params).filter((k) => !SINGLE_PARAMS.has(k));
    if (params.statementId !== undefined && params.voidedStatementId !== undefined) extra.push('voidedStatementId');
    if (extra.length > 0) throw bad('statementId and voidedStatementId take no other parameters than format and attachments.', extra.map((k) => ({ path: `?${k}`, message: 'Not allowed with a statement id.' })));
    const format = formatOf(params);
    const attachments = flag(params, 'attachments');
    if (!isUuid(single)) throw new AppError('NOT_FOUND', 'No statement has this id.');
    const [row] = await repo.findStatements(trx, [single.toLowerCase()]);
    const voided = params.voidedStatementId !== undefined;
    if (!row || row.voided !== voided) throw new AppError('NOT_FOUND', voided ? 'No voided statement has this id.' : 'No statement has this id (a voided statement is read with voidedStatementId).');
    const stored = (row.statement as JsonObject).stored;
    return {
      body: present(row.statement as JsonObject, format, languages),
      lastModified: typeof stored === 'string' ? new Date(stored) : null,
      attachments: await withAttachments(trx, [row], attachments),
    };
  }

  const unknown = Object.keys(params).filter((k) => !QUERY_PARAMS.has(k));
  if (unknown.length > 0) throw bad('Some query parameters are not recognised.', unknown.map((k) => ({ path: `?${k}`, message: 'Not a Statement Resource parameter.' })));
  const query = params.more !== undefined ? decodeMore(params.more) : await parseQuery(trx, params);
  const rows = await repo.queryStatements(trx, query.filter);
  const page = rows.slice(0, query.filter.limit);
  const more = rows.length > query.filter.limit ? encodeMore({ ...query, filter: { ...query.filter, afterSeq: page[page.length - 1]!.seq } }) : '';
  return {
    body: { statements: page.map((r) => present(r.statement as JsonObject, query.format, languages)), more },
    lastModified: null,
    attachments: await withAttachments(trx, page, query.attachments),
  };
}

interface ParsedQuery {
  filter: repo.StatementQuery;
  format: Format;
  attachments: boolean;
}

async function parseQuery(trx: Executor, params: Record<string, string>): Promise<ParsedQuery> {
  const issues: FieldIssue[] = [];
  let agent: string | undefined;
  if (params.agent !== undefined) {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(params.agent);
    } catch {
      /* reported below */
    }
    const problems = parsed === null ? [{ path: '', message: 'agent must be a JSON agent or group.' }] : agentIssues(parsed);
    if (problems.length > 0) issues.push(...problems.map((p) => ({ path: `?agent${p.path === '/' ? '' : p.path}`, message: p.message })));
    else agent = agentIfi(parsed as JsonObject) ?? undefined;
  }
  if (params.verb !== undefined && !isIri(params.verb)) issues.push({ path: '?verb', message: 'verb must be an IRI.' });
  if (params.activity !== undefined && !isIri(params.activity)) issues.push({ path: '?activity', message: 'activity must be an IRI.' });
  if (params.registration !== undefined && !isUuid(params.registration)) issues.push({ path: '?registration', message: 'registration must be a UUID.' });
  const since = params.since !== undefined ? parseTimestamp(params.since) : null;
  const until = params.until !== undefined ? parseTimestamp(params.until) : null;
  if (params.since !== undefined && !since) issues.push({ path: '?since', message: 'since must be an ISO 8601 timestamp.' });
  if (params.until !== undefined && !until) issues.push({ path: '?until', message: 'until must be an ISO 8601 timestamp.' });
  let limit = PAGE_LIMIT;
  if (params.limit !== undefined) {
    if (!/^\d+$/.test(params.limit)) issues.push({ path: '?limit', message: 'limit must be a whole number (0 = the server maximum).' });
    else limit = Number(params.limit) === 0 ? PAGE_LIMIT : Math.min(Number(params.limit), PAGE_LIMIT);
  }
  if (issues.length > 0) throw bad('Some query parameters are not valid.', issues);
  return {
    format: formatOf(params),
    attachments: flag(params, 'attachments'),
    filter: {
      ...(agent !== undefined && { agentIfi: agent }),
      relatedAgents: flag(params, 'related_agents'),
      ...(params.verb !== undefined && { verbId: params.verb }),
      ...(params.activity !== undefined && { activityId: params.activity }),
      relatedActivities: flag(params, 'related_activities'),
      ...(params.registration !== undefined && { registration: params.registration.toLowerCase() }),
      ...(since && { since }),
      ...(until && { until }),
      ascending: flag(params, 'ascending'),
      afterSeq: null,
      upTo: await repo.maxSeq(trx),
      limit,
    },
  };
}

function encodeMore(query: ParsedQuery): string {
  const { since, until, ...rest } = query.filter;
  const token = Buffer.from(JSON.stringify({ ...query, filter: { ...rest, since: since?.toISOString(), until: until?.toISOString() } })).toString('base64url');
  return `/xapi/statements?more=${token}`;
}

function decodeMore(token: string): ParsedQuery {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ParsedQuery & { filter: { since?: string; until?: string } };
    const { since, until, ...rest } = parsed.filter;
    if (!/^\d+$/.test(String(rest.upTo)) || (rest.afterSeq !== null && !/^\d+$/.test(String(rest.afterSeq)))) throw new Error('bad cursor');
    const limit = Math.min(Math.max(1, Number(rest.limit) || PAGE_LIMIT), PAGE_LIMIT);
    return { ...parsed, filter: { ...rest, limit, ...(since && { since: new Date(since) }), ...(until && { until: new Date(until) }) } as repo.StatementQuery };
  } catch {
    throw bad('This more link is not valid; start the query again.', [{ path: '?more', message: 'Not a link this LRS issued.' }]);
  }
}

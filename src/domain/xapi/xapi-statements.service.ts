import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-statements.repository.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { completeMappedEnrolments, linkActors } from './xapi-linking.service.ts';
import { CREDENTIAL_HOME_PAGE, type LrsClient } from './xapi-credentials.service.ts';
import { attachmentIssues, signatureIssues, type MultipartPart } from './xapi-multipart.rules.ts';
import { isObject, type JsonObject } from './xapi-primitives.rules.ts';
import { indexStatement, mergeDefinition, sameStatement, storedForm, timestampOf } from './xapi-statement.rules.ts';
import { SIGNATURE_USAGE, statementIssues, type XapiVersion } from './xapi-validation.rules.ts';

/**
 * Storing statements (xAPI 1.0.3 Part Three 2.1; 2.0.0 Part Three 4.1.6.1). Called by the /xapi
 * routes and, for Assay's own training events, by other services: `client` says who writes
 * (its authority is stamped on the statement) and in which scope.
 */

/** The authority of the statements Assay emits itself (its own training events). */
export const ASSAY_AUTHORITY = { objectType: 'Agent', name: 'Assay', account: { homePage: CREDENTIAL_HOME_PAGE, name: 'assay' } };

/**
 * The LRS client other services use to store statements (`storeStatements(trx, assayClient(vendorId), ...)`,
 * in their own transaction): organisation-wide when vendorId is null, otherwise that vendor's.
 */
export function assayClient(vendorId: string | null, authority: Record<string, unknown> = ASSAY_AUTHORITY): LrsClient {
  return { credentialId: null, vendorId, scopeKey: vendorId ?? 'all', canRead: true, canWrite: true, authority };
}

export interface StoreOptions {
  version: XapiVersion;
  /** The attachment parts of a multipart/mixed request, in order. */
  parts?: MultipartPart[];
  /** The person the statements are about (Assay's own training events), or a lookup from an actor's IFI. */
  personId?: string | null;
}

function invalid(message: string, details: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', message, details);
}

function checkAttachments(statements: JsonObject[], parts: MultipartPart[], multi: boolean): void {
  const issues = attachmentIssues(statements, parts);
  statements.forEach((s, i) => {
    for (const [j, a] of (Array.isArray(s.attachments) ? s.attachments : []).entries()) {
      if (!isObject(a) || a.usageType !== SIGNATURE_USAGE) continue;
      const at = `${multi ? `/${i}` : ''}/attachments/${j}`;
      if (a.contentType !== 'application/octet-stream') {
        issues.push({ path: `${at}/contentType`, message: 'A signature attachment has contentType application/octet-stream.' });
        continue;
      }
      const part = parts.find((p) => p.headers['x-experience-api-hash'] === a.sha2);
      if (part) issues.push(...signatureIssues(s, part.body, at));
    }
  });
  if (issues.length > 0) throw invalid('The attachments do not match the statements.', issues);
}

/**
 * Validates and stores statements. Statements already stored with the same id are skipped
 * when equivalent and refused (409) when not; a voiding statement voids its target unless the
 * target is itself a voiding statement (refused). Returns the ids in request order.
 */
export async function storeStatements(trx: Executor, client: LrsClient, input: unknown[], options: StoreOptions & { multi: boolean }): Promise<string[]> {
  const issues: FieldIssue[] = [];
  input.forEach((s, i) => issues.push(...statementIssues(s, options.version, options.multi ? `/${i}` : '')));
  if (issues.length > 0) throw invalid(issues.length === 1 ? issues[0]!.message : 'The statement is not valid xAPI.', issues);
  const statements = input as JsonObject[];
  checkAttachments(statements, options.parts ?? [], options.multi);

  const ids = statements.map((s) => (typeof s.id === 'string' ? s.id.toLowerCase() : randomUUID()));
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined) throw invalid('Two statements in this request share an id.', [{ path: `/${i}/id`, message: `Same id as statement ${first}.` }]);
    seen.set(id, i);
  });

  const existing = new Map((await repo.findStatements(trx, [...seen.keys()])).map((r) => [r.id, r]));
  const stored = new Date();
  // Statements from an external tool are linked to the people Assay knows (Assay's own carry theirs).
  const people = client.credentialId !== null && options.personId === undefined ? await linkActors(trx, client, statements) : statements.map(() => options.personId ?? null);
  const rows: repo.NewStatement[] = [];
  const toVoid: string[] = [];
  const definitions: Array<{ activityId: string; definition: JsonObject }> = [];
  const voidTargets = statements.flatMap((s) => {
    const index = indexStatement(s);
    return index.isVoiding && index.objectStatementRef ? [index.objectStatementRef] : [];
  });
  const targets = new Map((await repo.findStatements(trx, voidTargets)).map((r) => [r.id, r]));

  for (const [i, s] of statements.entries()) {
    const id = ids[i]!;
    if (seen.get(id) !== i) continue;
    const before = existing.get(id);
    if (before) {
      if (sameStatement(before.statement as JsonObject, s)) continue;
      throw new AppError('CONFLICT', `A different statement with id ${id} is already stored; statements are immutable.`, [{ path: options.multi ? `/${i}/id` : '/id', message: 'This id is taken.' }]);
    }
    const index = indexStatement(s);
    if (index.isVoiding && index.objectStatementRef) {
      const target = targets.get(index.objectStatementRef) ?? rows.find((r) => r.id === index.objectStatementRef);
      const targetIsVoiding = target ? ('is_voiding' in target ? target.is_voiding : target.isVoiding) : false;
      if (targetIsVoiding) throw invalid('A voiding statement cannot be voided.', [{ path: options.multi ? `/${i}/object/id` : '/object/id', message: 'This statement is itself a voiding statement.' }]);
      toVoid.push(index.objectStatementRef);
    }
    const full = storedForm(s, { id, stored, authority: client.authority as JsonObject, version: options.version });
    rows.push({
      id,
      vendorId: client.vendorId,
      credentialId: client.credentialId,
      statement: full,
      actorIfi: index.actorIfi,
      verbId: index.verbId,
      objectActivityId: index.objectActivityId,
      objectAgentIfi: index.objectAgentIfi,
      objectStatementRef: index.objectStatementRef,
      registration: index.registration,
      stored,
      timestamp: timestampOf(full),
      isVoiding: index.isVoiding,
      attachmentHashes: index.attachmentHashes,
      agents: [...index.agents, ...authorityAgents(index, full)],
      activities: index.activities,
      personId: people[i] ?? null,
    });
    definitions.push(...index.definitions);
  }

  await repo.insertStatements(trx, rows);
  await repo.markVoided(trx, toVoid);
  const wanted = new Set(rows.flatMap((r) => r.attachmentHashes));
  const parts = (options.parts ?? []).filter((p) => wanted.has(p.headers['x-experience-api-hash'] ?? ''));
  await repo.storeAttachments(
    trx,
    { vendorId: client.vendorId, scopeKey: client.scopeKey },
    parts.map((p) => ({ sha2: p.headers['x-experience-api-hash']!, contentType: p.headers['content-type'] ?? 'application/octet-stream', content: p.body })),
  );
  await saveDefinitions(trx, client, definitions);
  if (client.credentialId !== null) {
    await completeMappedEnrolments(trx, client, rows.map((r) => ({ id: r.id, personId: r.personId ?? null, statement: r.statement as JsonObject, timestamp: r.timestamp })));
  }
  return ids;
}

/** The authority joins the related agents (it is set by the LRS, after indexing the client's statement). */
function authorityAgents(index: ReturnType<typeof indexStatement>, full: JsonObject): Array<{ ifi: string; direct: boolean }> {
  const known = new Set(index.agents.map((a) => a.ifi));
  return indexStatement({ ...full, actor: full.authority!, object: { id: 'urn:x' }, context: {} }).agents
    .filter((a) => !a.direct && !known.has(a.ifi))
    .map((a) => ({ ifi: a.ifi, direct: false }));
}

async function saveDefinitions(trx: Executor, client: LrsClient, definitions: Array<{ activityId: string; definition: JsonObject }>): Promise<void> {
  if (definitions.length === 0) return;
  const current = new Map(
    (await repo.findActivityDefinitions(trx, client.scopeKey, [...new Set(definitions.map((d) => d.activityId))])).map((r) => [r.activity_id, r.definition as JsonObject | null]),
  );
  const merged = new Map<string, JsonObject>();
  for (const d of definitions) merged.set(d.activityId, mergeDefinition(merged.get(d.activityId) ?? current.get(d.activityId) ?? null, d.definition));
  for (const [activityId, definition] of merged) await repo.upsertActivityDefinition(trx, { vendorId: client.vendorId, scopeKey: client.scopeKey }, activityId, definition);
}

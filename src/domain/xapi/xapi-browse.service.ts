import type { Executor } from '../../db/database.ts';
import { listRecentStatements } from '../../db/repositories/xapi-statements.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError } from '../errors.ts';
import { isObject, type JsonObject } from './xapi-primitives.rules.ts';
import type { XapiStatementPage, XapiStatementSummary } from './xapi.types.ts';

/**
 * What the LRS holds, for the people who manage its credentials: the latest statements in their
 * scope, one line each. Learners' results are content, so every page viewed is audited.
 */

function firstText(map: unknown): string | null {
  if (!isObject(map)) return null;
  const value = map['en-US'] ?? map['en-GB'] ?? map.en ?? Object.values(map)[0];
  return typeof value === 'string' ? value : null;
}

function agentLabel(agent: unknown): string {
  if (!isObject(agent)) return '';
  if (typeof agent.name === 'string') return agent.name;
  if (typeof agent.mbox === 'string') return agent.mbox.replace(/^mailto:/, '');
  if (isObject(agent.account)) return `${String(agent.account.name)} (${String(agent.account.homePage)})`;
  return String(agent.openid ?? agent.mbox_sha1sum ?? (agent.objectType === 'Group' ? 'Anonymous group' : ''));
}

function objectLabel(object: unknown): string {
  if (!isObject(object)) return '';
  if (object.objectType === 'StatementRef') return `Statement ${String(object.id)}`;
  if (object.objectType === 'SubStatement') return 'A sub-statement';
  if (object.objectType === 'Agent' || object.objectType === 'Group') return agentLabel(object);
  return firstText(isObject(object.definition) ? object.definition.name : null) ?? String(object.id);
}

export async function browseStatements(trx: Executor, actor: Actor, input: { limit?: number; before?: string }): Promise<XapiStatementPage> {
  const limit = input.limit ?? 50;
  if (input.before !== undefined && !/^\d{1,18}$/.test(input.before)) throw new AppError('VALIDATION_FAILED', 'before must be a page cursor from a previous answer.', [{ path: '?before', message: 'Not a cursor.' }]);
  const rows = await listRecentStatements(trx, { limit, beforeSeq: input.before ?? null });
  const page = rows.slice(0, limit);
  const items: XapiStatementSummary[] = page.map((row) => {
    const s = row.statement as JsonObject;
    const result = isObject(s.result) ? s.result : {};
    const score = isObject(result.score) ? result.score : {};
    return {
      id: row.id,
      stored: new Date(row.stored).toISOString(),
      timestamp: new Date(row.timestamp).toISOString(),
      actor: agentLabel(s.actor),
      verb: firstText(isObject(s.verb) ? s.verb.display : null) ?? String(isObject(s.verb) ? s.verb.id : ''),
      object: objectLabel(s.object),
      success: typeof result.success === 'boolean' ? result.success : null,
      scaled: typeof score.scaled === 'number' ? score.scaled : null,
      voided: row.voided,
      credentialName: row.credential_name ?? null,
      vendorName: row.vendor_name ?? null,
    };
  });
  await audit(trx, actor, { action: 'xapi_statements.view', entityType: 'xapi_statement', details: { count: items.length, before: input.before ?? null } });
  return { items, nextBefore: rows.length > limit ? String(page[page.length - 1]!.seq) : null };
}

import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-statements.repository.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { LrsClient } from './xapi-credentials.service.ts';
import { isIri, isObject, type JsonObject } from './xapi-primitives.rules.ts';
import { agentIssues } from './xapi-validation.rules.ts';

/** The Activities, Agents and About resources (xAPI 1.0.3 Part Three 2.4, 2.5, 2.8). */

export const SUPPORTED_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'];

function only(params: Record<string, string>, allowed: string[], required: string): void {
  const issues: FieldIssue[] = Object.keys(params)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: `?${k}`, message: 'Not a parameter of this resource.' }));
  if (params[required] === undefined) issues.push({ path: `?${required}`, message: 'This parameter is required.' });
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'Some parameters are not valid.', issues);
}

/** The activity with its canonical definition, merged from the statements that defined it. */
export async function readActivity(trx: Executor, client: LrsClient, params: Record<string, string>): Promise<JsonObject> {
  only(params, ['activityId'], 'activityId');
  const id = params.activityId!;
  if (!isIri(id)) throw new AppError('VALIDATION_FAILED', 'activityId must be an IRI.', [{ path: '?activityId', message: 'Not an IRI.' }]);
  const [row] = await repo.findActivityDefinitions(trx, client.scopeKey, [id]);
  const definition = row?.definition as JsonObject | null | undefined;
  return { objectType: 'Activity', id, ...(definition && { definition }) };
}

/** The Person object of an agent: every identifier known for it (Assay keeps one per agent). */
export function readPerson(params: Record<string, string>): JsonObject {
  only(params, ['agent'], 'agent');
  let agent: unknown = null;
  try {
    agent = JSON.parse(params.agent!);
  } catch {
    /* reported below */
  }
  const issues = isObject(agent) ? agentIssues(agent) : [{ path: '', message: 'agent must be a JSON agent.' }];
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'agent is not a valid agent.', issues.map((i) => ({ path: `?agent${i.path === '/' ? '' : i.path}`, message: i.message })));
  const a = agent as JsonObject;
  if (a.objectType === 'Group') throw new AppError('VALIDATION_FAILED', 'The Agents resource describes agents, not groups.', [{ path: '?agent/objectType', message: 'Use an agent.' }]);
  const person: JsonObject = { objectType: 'Person' };
  if (typeof a.name === 'string') person.name = [a.name];
  for (const key of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (a[key] !== undefined) person[key] = [a[key]!];
  return person;
}

export function about(): JsonObject {
  return { version: SUPPORTED_VERSIONS, extensions: { 'https://assay.example/xapi/about': { product: 'Assay', scopes: ['all', 'vendor'] } } };
}

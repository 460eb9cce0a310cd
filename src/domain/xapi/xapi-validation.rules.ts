import type { FieldIssue } from '../errors.ts';
import {
  isDuration,
  isIri,
  isIrl,
  isLanguageTag,
  isMbox,
  isObject,
  isSha1Hex,
  isSha2Hex,
  isTimestamp,
  isUuid,
  type Json,
  type JsonObject,
} from './xapi-primitives.rules.ts';

/**
 * Strict validation of xAPI statements (1.0.3 Part Two section 2; 2.0.0 Part Two 4.2).
 * Pure: returns every problem with a JSON pointer into the statement
 * (`/object/definition/name/en-US`), so a client learns all it must fix at once.
 */

export type XapiVersion = '1.0.3' | '2.0.0';

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

const INTERACTION_TYPES = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other'];
const COMPONENTS_OF: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];

class Check {
  readonly issues: FieldIssue[] = [];
  constructor(readonly version: XapiVersion) {}
  add(path: string, message: string): void {
    this.issues.push({ path: path || '/', message });
  }
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function onlyKeys(c: Check, value: JsonObject, path: string, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) c.add(pointer(path, key), `"${key}" is not a property allowed here.`);
  }
}

function noNulls(c: Check, value: Json, path: string): void {
  if (value === null) {
    c.add(path, 'Null is not allowed; leave the property out instead.');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => noNulls(c, item, pointer(path, i)));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'extensions') continue; // extension values are free JSON
      noNulls(c, item, pointer(path, key));
    }
  }
}

function object(c: Check, value: Json | undefined, path: string, what: string): value is JsonObject {
  if (!isObject(value)) {
    c.add(path, `${what} must be a JSON object.`);
    return false;
  }
  return true;
}

function iri(c: Check, value: Json | undefined, path: string, what = 'This'): void {
  if (!isIri(value)) c.add(path, `${what} must be an absolute IRI (like "http://example.com/verbs/answered").`);
}

function languageMap(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'A language map')) return;
  for (const [tag, text] of Object.entries(value)) {
    if (!isLanguageTag(tag)) c.add(pointer(path, tag), `"${tag}" is not an RFC 5646 language tag.`);
    if (typeof text !== 'string') c.add(pointer(path, tag), 'A language map value must be a string.');
  }
}

function extensions(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'Extensions')) return;
  for (const key of Object.keys(value)) if (!isIri(key)) c.add(pointer(path, key), 'An extension key must be an absolute IRI.');
}

function account(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'An account')) return;
  onlyKeys(c, value, path, ['homePage', 'name']);
  if (!isIrl(value.homePage)) c.add(pointer(path, 'homePage'), 'An account needs a homePage IRL.');
  if (typeof value.name !== 'string') c.add(pointer(path, 'name'), 'An account needs a name (a string).');
}

const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function ifis(c: Check, value: JsonObject, path: string): number {
  let count = 0;
  for (const key of IFIS) {
    if (value[key] === undefined) continue;
    count += 1;
    const at = pointer(path, key);
    if (key === 'mbox' && !isMbox(value.mbox)) c.add(at, 'mbox must be a mailto IRI ("mailto:name@example.com").');
    if (key === 'mbox_sha1sum' && !isSha1Hex(value.mbox_sha1sum)) c.add(at, 'mbox_sha1sum must be the SHA-1 of a mailto IRI, in hexadecimal.');
    if (key === 'openid' && !isIri(value.openid)) c.add(at, 'openid must be an absolute URI.');
    if (key === 'account') account(c, value.account, at);
  }
  return count;
}

export function validateAgent(c: Check, value: Json | undefined, path: string, requireType = false): void {
  if (!object(c, value, path, 'An agent')) return;
  if (value.objectType === 'Group') return validateGroup(c, value, path);
  onlyKeys(c, value, path, ['objectType', 'name', ...IFIS]);
  if (requireType ? value.objectType !== 'Agent' : value.objectType !== undefined && value.objectType !== 'Agent') {
    c.add(pointer(path, 'objectType'), 'objectType must be "Agent" or "Group".');
  }
  if (value.name !== undefined && typeof value.name !== 'string') c.add(pointer(path, 'name'), 'name must be a string.');
  if (ifis(c, value, path) !== 1) c.add(path, 'An agent needs exactly one of mbox, mbox_sha1sum, openid or account.');
}

function validateGroup(c: Check, value: JsonObject, path: string): void {
  onlyKeys(c, value, path, ['objectType', 'name', 'member', ...IFIS]);
  if (value.name !== undefined && typeof value.name !== 'string') c.add(pointer(path, 'name'), 'name must be a string.');
  const count = ifis(c, value, path);
  if (count > 1) c.add(path, 'A group has at most one of mbox, mbox_sha1sum, openid or account.');
  if (value.member !== undefined) {
    if (!Array.isArray(value.member)) c.add(pointer(path, 'member'), 'member must be an array of agents.');
    else
      value.member.forEach((m, i) => {
        const at = pointer(pointer(path, 'member'), i);
        if (isObject(m) && m.objectType === 'Group') c.add(at, 'A group member must be an agent, not a group.');
        else validateAgent(c, m, at);
      });
  }
  if (count === 0 && (!Array.isArray(value.member) || value.member.length === 0)) {
    c.add(pointer(path, 'member'), 'An anonymous group (no identifier) must list its members.');
  }
}

function validateGroupOnly(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'A group')) return;
  if (value.objectType !== 'Group') c.add(pointer(path, 'objectType'), 'objectType must be "Group".');
  else validateGroup(c, value, path);
}

function validateVerb(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'The verb')) return;
  onlyKeys(c, value, path, ['id', 'display']);
  iri(c, value.id, pointer(path, 'id'), 'The verb id');
  if (value.display !== undefined) languageMap(c, value.display, pointer(path, 'display'));
}

function interactionComponents(c: Check, value: Json | undefined, path: string): void {
  if (!Array.isArray(value)) return c.add(path, 'Interaction components must be an array.');
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const at = pointer(path, i);
    if (!object(c, item, at, 'An interaction component')) return;
    onlyKeys(c, item, at, ['id', 'description']);
    if (typeof item.id !== 'string' || item.id.length === 0) c.add(pointer(at, 'id'), 'An interaction component needs an id.');
    else if (seen.has(item.id)) c.add(pointer(at, 'id'), 'Interaction component ids must be unique.');
    else seen.add(item.id);
    if (item.description !== undefined) languageMap(c, item.description, pointer(at, 'description'));
  });
}

function validateDefinition(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'An activity definition')) return;
  onlyKeys(c, value, path, ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...COMPONENT_LISTS]);
  if (value.name !== undefined) languageMap(c, value.name, pointer(path, 'name'));
  if (value.description !== undefined) languageMap(c, value.description, pointer(path, 'description'));
  if (value.type !== undefined) iri(c, value.type, pointer(path, 'type'), 'The activity type');
  if (value.moreInfo !== undefined && !isIrl(value.moreInfo)) c.add(pointer(path, 'moreInfo'), 'moreInfo must be an IRL.');
  if (value.extensions !== undefined) extensions(c, value.extensions, pointer(path, 'extensions'));
  const type = value.interactionType;
  if (type !== undefined && (typeof type !== 'string' || !INTERACTION_TYPES.includes(type))) {
    c.add(pointer(path, 'interactionType'), `interactionType must be one of: ${INTERACTION_TYPES.join(', ')}.`);
  }
  if (value.correctResponsesPattern !== undefined) {
    if (type === undefined) c.add(pointer(path, 'correctResponsesPattern'), 'correctResponsesPattern needs an interactionType.');
    if (!Array.isArray(value.correctResponsesPattern) || value.correctResponsesPattern.some((p) => typeof p !== 'string')) {
      c.add(pointer(path, 'correctResponsesPattern'), 'correctResponsesPattern must be an array of strings.');
    }
  }
  for (const list of COMPONENT_LISTS) {
    if (value[list] === undefined) continue;
    const at = pointer(path, list);
    if (typeof type !== 'string' || !(COMPONENTS_OF[type] ?? []).includes(list)) {
      c.add(at, `${list} is not used with interactionType "${String(type)}".`);
    }
    interactionComponents(c, value[list], at);
  }
}

function validateActivity(c: Check, value: JsonObject, path: string): void {
  onlyKeys(c, value, path, ['objectType', 'id', 'definition']);
  iri(c, value.id, pointer(path, 'id'), 'The activity id');
  if (value.definition !== undefined) validateDefinition(c, value.definition, pointer(path, 'definition'));
}

function validateStatementRef(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'A statement reference')) return;
  onlyKeys(c, value, path, ['objectType', 'id']);
  if (value.objectType !== 'StatementRef') c.add(pointer(path, 'objectType'), 'objectType must be "StatementRef".');
  if (!isUuid(value.id)) c.add(pointer(path, 'id'), 'A statement reference id must be a UUID.');
}

function validateObject(c: Check, value: Json | undefined, path: string, inSubStatement: boolean): void {
  if (!object(c, value, path, 'The object')) return;
  switch (value.objectType) {
    case undefined:
    case 'Activity':
      return validateActivity(c, value, path);
    case 'Agent':
    case 'Group':
      return validateAgent(c, value, path, true);
    case 'StatementRef':
      return validateStatementRef(c, value, path);
    case 'SubStatement':
      if (inSubStatement) return c.add(pointer(path, 'objectType'), 'A SubStatement cannot contain another SubStatement.');
      return validateSubStatement(c, value, path);
    default:
      c.add(pointer(path, 'objectType'), 'objectType must be Activity, Agent, Group, StatementRef or SubStatement.');
  }
}

function validateScore(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'A score')) return;
  onlyKeys(c, value, path, ['scaled', 'raw', 'min', 'max']);
  for (const key of ['scaled', 'raw', 'min', 'max']) {
    if (value[key] !== undefined && typeof value[key] !== 'number') c.add(pointer(path, key), `${key} must be a number.`);
  }
  const { scaled, raw, min, max } = value as Record<string, number | undefined>;
  if (typeof scaled === 'number' && (scaled < -1 || scaled > 1)) c.add(pointer(path, 'scaled'), 'scaled must be between -1 and 1.');
  if (typeof min === 'number' && typeof max === 'number' && min >= max) c.add(pointer(path, 'max'), 'max must be greater than min.');
  if (typeof raw === 'number' && typeof min === 'number' && raw < min) c.add(pointer(path, 'raw'), 'raw must not be below min.');
  if (typeof raw === 'number' && typeof max === 'number' && raw > max) c.add(pointer(path, 'raw'), 'raw must not be above max.');
}

function validateResult(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'The result')) return;
  onlyKeys(c, value, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
  if (value.score !== undefined) validateScore(c, value.score, pointer(path, 'score'));
  for (const key of ['success', 'completion']) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') c.add(pointer(path, key), `${key} must be true or false.`);
  }
  if (value.response !== undefined && typeof value.response !== 'string') c.add(pointer(path, 'response'), 'response must be a string.');
  if (value.duration !== undefined && !isDuration(value.duration)) c.add(pointer(path, 'duration'), 'duration must be an ISO 8601 duration like "PT1H30M".');
  if (value.extensions !== undefined) extensions(c, value.extensions, pointer(path, 'extensions'));
}

function contextActivityList(c: Check, value: Json | undefined, path: string): void {
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? pointer(path, i) : path;
    if (!object(c, item, at, 'A context activity')) return;
    if (item.objectType !== undefined && item.objectType !== 'Activity') c.add(pointer(at, 'objectType'), 'Context activities are activities.');
    validateActivity(c, item, at);
  });
}

function contextParticipants(c: Check, value: Json | undefined, path: string, kind: 'contextAgent' | 'contextGroup'): void {
  if (!Array.isArray(value)) return c.add(path, `${kind}s must be an array.`);
  value.forEach((item, i) => {
    const at = pointer(path, i);
    if (!object(c, item, at, `A ${kind}`)) return;
    const member = kind === 'contextAgent' ? 'agent' : 'group';
    onlyKeys(c, item, at, ['objectType', member, 'relevantTypes']);
    if (item.objectType !== kind) c.add(pointer(at, 'objectType'), `objectType must be "${kind}".`);
    if (kind === 'contextAgent') {
      if (isObject(item.agent) && item.agent.objectType === 'Group') c.add(pointer(at, 'agent'), 'A context agent is an agent, not a group.');
      else validateAgent(c, item.agent, pointer(at, 'agent'));
    } else validateGroupOnly(c, item.group, pointer(at, 'group'));
    if (item.relevantTypes !== undefined) {
      if (!Array.isArray(item.relevantTypes) || item.relevantTypes.length === 0) c.add(pointer(at, 'relevantTypes'), 'relevantTypes must be a non-empty array of IRIs.');
      else item.relevantTypes.forEach((t, j) => iri(c, t, pointer(pointer(at, 'relevantTypes'), j)));
    }
  });
}

function validateContext(c: Check, value: Json | undefined, path: string, objectType: string): void {
  if (!object(c, value, path, 'The context')) return;
  const allowed = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions'];
  if (c.version === '2.0.0') allowed.push('contextAgents', 'contextGroups');
  onlyKeys(c, value, path, allowed);
  if (value.registration !== undefined && !isUuid(value.registration)) c.add(pointer(path, 'registration'), 'registration must be a UUID.');
  if (value.instructor !== undefined) validateAgent(c, value.instructor, pointer(path, 'instructor'));
  if (value.team !== undefined) validateGroupOnly(c, value.team, pointer(path, 'team'));
  if (value.contextActivities !== undefined) {
    const at = pointer(path, 'contextActivities');
    if (object(c, value.contextActivities, at, 'contextActivities')) {
      onlyKeys(c, value.contextActivities, at, ['parent', 'grouping', 'category', 'other']);
      for (const [key, list] of Object.entries(value.contextActivities)) contextActivityList(c, list, pointer(at, key));
    }
  }
  for (const key of ['revision', 'platform']) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'string') c.add(pointer(path, key), `${key} must be a string.`);
    if (objectType !== 'Activity') c.add(pointer(path, key), `${key} is only allowed when the object is an activity.`);
  }
  if (value.language !== undefined && !isLanguageTag(value.language)) c.add(pointer(path, 'language'), 'language must be an RFC 5646 language tag.');
  if (value.statement !== undefined) validateStatementRef(c, value.statement, pointer(path, 'statement'));
  if (value.extensions !== undefined) extensions(c, value.extensions, pointer(path, 'extensions'));
  if (value.contextAgents !== undefined) contextParticipants(c, value.contextAgents, pointer(path, 'contextAgents'), 'contextAgent');
  if (value.contextGroups !== undefined) contextParticipants(c, value.contextGroups, pointer(path, 'contextGroups'), 'contextGroup');
}

function validateAttachments(c: Check, value: Json | undefined, path: string): void {
  if (!Array.isArray(value)) return c.add(path, 'attachments must be an array.');
  value.forEach((item, i) => {
    const at = pointer(path, i);
    if (!object(c, item, at, 'An attachment')) return;
    onlyKeys(c, item, at, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);
    iri(c, item.usageType, pointer(at, 'usageType'), 'usageType');
    languageMap(c, item.display, pointer(at, 'display'));
    if (item.description !== undefined) languageMap(c, item.description, pointer(at, 'description'));
    if (typeof item.contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(item.contentType)) c.add(pointer(at, 'contentType'), 'contentType must be an Internet media type.');
    if (typeof item.length !== 'number' || !Number.isInteger(item.length) || item.length < 0) c.add(pointer(at, 'length'), 'length must be a whole number of octets.');
    if (!isSha2Hex(item.sha2)) c.add(pointer(at, 'sha2'), 'sha2 must be the SHA-2 hash of the attachment, in hexadecimal.');
    if (item.fileUrl !== undefined && !isIrl(item.fileUrl)) c.add(pointer(at, 'fileUrl'), 'fileUrl must be an IRL.');
  });
}

function objectTypeOf(value: Json | undefined): string {
  return isObject(value) && typeof value.objectType === 'string' ? value.objectType : 'Activity';
}

function validateCore(c: Check, s: JsonObject, path: string, inSubStatement: boolean): void {
  if (s.actor === undefined) c.add(pointer(path, 'actor'), 'A statement needs an actor.');
  else validateAgent(c, s.actor, pointer(path, 'actor'));
  if (s.verb === undefined) c.add(pointer(path, 'verb'), 'A statement needs a verb.');
  else validateVerb(c, s.verb, pointer(path, 'verb'));
  if (s.object === undefined) c.add(pointer(path, 'object'), 'A statement needs an object.');
  else validateObject(c, s.object, pointer(path, 'object'), inSubStatement);
  if (s.result !== undefined) validateResult(c, s.result, pointer(path, 'result'));
  if (s.context !== undefined) validateContext(c, s.context, pointer(path, 'context'), objectTypeOf(s.object));
  if (s.timestamp !== undefined && !isTimestamp(s.timestamp)) c.add(pointer(path, 'timestamp'), 'timestamp must be an ISO 8601 date and time with a time zone.');
  if (s.attachments !== undefined) validateAttachments(c, s.attachments, pointer(path, 'attachments'));
}

function validateSubStatement(c: Check, value: JsonObject, path: string): void {
  onlyKeys(c, value, path, ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments']);
  validateCore(c, value, path, true);
}

function validVersion(version: XapiVersion, value: Json | undefined): boolean {
  if (typeof value !== 'string') return false;
  if (/^1\.0(\.\d+)?$/.test(value)) return true;
  return version === '2.0.0' && /^2\.0(\.\d+)?$/.test(value);
}

/** Every problem with one statement, as JSON pointers relative to `path`. */
export function statementIssues(value: unknown, version: XapiVersion, path = ''): FieldIssue[] {
  const c = new Check(version);
  if (!object(c, value as Json, path, 'A statement')) return c.issues;
  const s = value as JsonObject;
  noNulls(c, s, path);
  if (c.issues.length > 0) return c.issues;
  onlyKeys(c, s, path, ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments', 'objectType']);
  if (s.objectType !== undefined && s.objectType !== 'Statement') c.add(pointer(path, 'objectType'), 'A statement\'s objectType, if given, is "Statement".');
  if (s.id !== undefined && !isUuid(s.id)) c.add(pointer(path, 'id'), 'id must be a UUID.');
  validateCore(c, s, path, false);
  if (s.stored !== undefined && !isTimestamp(s.stored)) c.add(pointer(path, 'stored'), 'stored must be an ISO 8601 timestamp.');
  if (s.version !== undefined && !validVersion(version, s.version)) c.add(pointer(path, 'version'), `version must be ${version === '2.0.0' ? '1.0.x or 2.0.x' : '1.0.x'}.`);
  if (s.authority !== undefined) validateAuthority(c, s.authority, pointer(path, 'authority'));
  if (isObject(s.verb) && s.verb.id === VOIDED_VERB && objectTypeOf(s.object) !== 'StatementRef') {
    c.add(pointer(path, 'object'), 'A voiding statement\'s object must be a StatementRef to the statement it voids.');
  }
  return c.issues;
}

function validateAuthority(c: Check, value: Json | undefined, path: string): void {
  if (!object(c, value, path, 'The authority')) return;
  if (value.objectType === 'Group') {
    // OAuth authority: an anonymous group of exactly two agents (application and user).
    validateGroup(c, value, path);
    if (IFIS.some((key) => value[key] !== undefined)) c.add(path, 'A group authority is anonymous: its two members identify it.');
    if (!Array.isArray(value.member) || value.member.length !== 2) c.add(pointer(path, 'member'), 'A group authority has exactly two members.');
  } else validateAgent(c, value, path);
}

/** The document-level checks that are not about a statement's shape. */
export function agentIssues(value: unknown, path = ''): FieldIssue[] {
  const c = new Check('2.0.0');
  validateAgent(c, value as Json, path);
  return c.issues;
}

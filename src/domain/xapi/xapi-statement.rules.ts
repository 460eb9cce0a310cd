import { isObject, parseTimestamp, type Json, type JsonObject } from './xapi-primitives.rules.ts';
import { VOIDED_VERB, type XapiVersion } from './xapi-validation.rules.ts';

/**
 * What the LRS derives from a valid statement: the agent identifier (IFI) used to match
 * agents, the columns and related agents/activities stored for queries, the stored form
 * (id, stored, authority, version, timestamp), statement equivalence for PUT conflicts, and
 * the `ids` / `canonical` formats of GET. Pure.
 */

/** One string per agent identity: "mbox:mailto:a@b", "account:https://home|name", ... */
export function agentIfi(agent: Json | undefined): string | null {
  if (!isObject(agent)) return null;
  if (typeof agent.mbox === 'string') return `mbox:${agent.mbox.toLowerCase()}`;
  if (typeof agent.mbox_sha1sum === 'string') return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `openid:${agent.openid}`;
  if (isObject(agent.account)) return `account:${String(agent.account.homePage)}|${String(agent.account.name)}`;
  return null;
}

function membersOf(agent: Json | undefined): Json[] {
  return isObject(agent) && Array.isArray(agent.member) ? agent.member : [];
}

/** The IFIs of an agent or group and, for a group, of its members. */
function identities(agent: Json | undefined): string[] {
  const own = agentIfi(agent);
  return [...(own ? [own] : []), ...membersOf(agent).map(agentIfi).filter((x): x is string => x !== null)];
}

function activityIdsOfContext(context: Json | undefined): string[] {
  if (!isObject(context) || !isObject(context.contextActivities)) return [];
  const ids: string[] = [];
  for (const list of Object.values(context.contextActivities)) {
    for (const item of Array.isArray(list) ? list : [list]) if (isObject(item) && typeof item.id === 'string') ids.push(item.id);
  }
  return ids;
}

function agentsOfContext(context: Json | undefined): string[] {
  if (!isObject(context)) return [];
  const found = [...identities(context.instructor), ...identities(context.team)];
  for (const item of Array.isArray(context.contextAgents) ? context.contextAgents : []) if (isObject(item)) found.push(...identities(item.agent));
  for (const item of Array.isArray(context.contextGroups) ? context.contextGroups : []) if (isObject(item)) found.push(...identities(item.group));
  return found;
}

function isAgentObject(object: Json | undefined): object is JsonObject {
  return isObject(object) && (object.objectType === 'Agent' || object.objectType === 'Group');
}

function isActivityObject(object: Json | undefined): object is JsonObject {
  return isObject(object) && (object.objectType === undefined || object.objectType === 'Activity');
}

export interface StatementIndex {
  actorIfi: string | null;
  verbId: string;
  objectActivityId: string | null;
  objectAgentIfi: string | null;
  objectStatementRef: string | null;
  registration: string | null;
  isVoiding: boolean;
  /** [ifi, direct] pairs: direct = actor or object, otherwise mentioned anywhere. */
  agents: Array<{ ifi: string; direct: boolean }>;
  activities: Array<{ activityId: string; direct: boolean }>;
  /** Activities with a definition in this statement, for the canonical activity store. */
  definitions: Array<{ activityId: string; definition: JsonObject }>;
  attachmentHashes: string[];
}

export function indexStatement(s: JsonObject): StatementIndex {
  const object = s.object;
  const verbId = String((s.verb as JsonObject).id);
  const direct = new Set<string>([...identities(s.actor), ...(isAgentObject(object) ? identities(object) : [])]);
  const related = new Set<string>([...direct, ...identities(s.authority), ...agentsOfContext(s.context)]);
  const directActivities = new Set<string>(isActivityObject(object) ? [String(object.id)] : []);
  const relatedActivities = new Set<string>([...directActivities, ...activityIdsOfContext(s.context)]);
  const definitions: StatementIndex['definitions'] = [];
  const collectDefinition = (activity: Json | undefined) => {
    if (isActivityObject(activity) && isObject(activity.definition)) definitions.push({ activityId: String(activity.id), definition: activity.definition });
  };
  collectDefinition(object);
  if (isObject(s.context) && isObject(s.context.contextActivities)) {
    for (const list of Object.values(s.context.contextActivities)) for (const item of Array.isArray(list) ? list : [list]) collectDefinition(item);
  }
  if (isObject(object) && object.objectType === 'SubStatement') {
    for (const ifi of [...identities(object.actor), ...(isAgentObject(object.object) ? identities(object.object) : []), ...agentsOfContext(object.context)]) related.add(ifi);
    if (isActivityObject(object.object)) relatedActivities.add(String(object.object.id));
    for (const id of activityIdsOfContext(object.context)) relatedActivities.add(id);
  }
  const context = isObject(s.context) ? s.context : {};
  return {
    actorIfi: agentIfi(s.actor),
    verbId,
    objectActivityId: isActivityObject(object) ? String(object.id) : null,
    objectAgentIfi: isAgentObject(object) ? agentIfi(object) : null,
    objectStatementRef: isObject(object) && object.objectType === 'StatementRef' ? String(object.id).toLowerCase() : null,
    registration: typeof context.registration === 'string' ? context.registration.toLowerCase() : null,
    isVoiding: verbId === VOIDED_VERB,
    agents: [
      ...[...direct].map((ifi) => ({ ifi, direct: true })),
      ...[...related].map((ifi) => ({ ifi, direct: false })),
    ],
    activities: [
      ...[...directActivities].map((activityId) => ({ activityId, direct: true })),
      ...[...relatedActivities].map((activityId) => ({ activityId, direct: false })),
    ],
    definitions,
    attachmentHashes: Array.isArray(s.attachments) ? s.attachments.filter(isObject).map((a) => String(a.sha2)) : [],
  };
}

/** Context activities are stored as arrays, even when the client sent a single activity. */
function withContextArrays(s: JsonObject): JsonObject {
  const out: JsonObject = { ...s };
  if (isObject(s.context) && isObject(s.context.contextActivities)) {
    const lists: JsonObject = {};
    for (const [key, list] of Object.entries(s.context.contextActivities)) lists[key] = Array.isArray(list) ? list : [list];
    out.context = { ...s.context, contextActivities: lists };
  }
  if (isObject(s.object) && s.object.objectType === 'SubStatement') out.object = withContextArrays(s.object);
  return out;
}

/** The statement as stored: the LRS sets id, stored, authority and version, and timestamp when absent. */
export function storedForm(
  s: JsonObject,
  input: { id: string; stored: Date; authority: JsonObject; version: XapiVersion },
): JsonObject {
  const stored = input.stored.toISOString();
  return {
    ...withContextArrays(s),
    id: input.id,
    timestamp: s.timestamp ?? stored,
    stored,
    authority: input.authority,
    version: typeof s.version === 'string' ? s.version : input.version === '2.0.0' ? '2.0.0' : '1.0.0',
  };
}

export function timestampOf(s: JsonObject): Date {
  return parseTimestamp(s.timestamp) ?? new Date();
}

function canonicalJson(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Statement equivalence (xAPI 2.0.0 Part Two 2.3): the same statement apart from what the LRS
 * sets (id, stored, authority, version) and, when the new copy has none, the timestamp.
 */
export function sameStatement(stored: JsonObject, incoming: JsonObject): boolean {
  const strip = (s: JsonObject, dropTimestamp: boolean): JsonObject => {
    const { id: _id, stored: _stored, authority: _authority, version: _version, timestamp, ...rest } = s;
    return dropTimestamp || timestamp === undefined ? rest : { ...rest, timestamp: normaliseTime(timestamp) };
  };
  const dropTimestamp = incoming.timestamp === undefined;
  const normal = (s: JsonObject) => canonicalJson(strip(normaliseDurations(withContextArrays(s)), dropTimestamp));
  return normal(stored) === normal(incoming);
}

/** Durations compare to the hundredth of a second (xAPI 2.0.0 Part Two 4.2.7). */
function normaliseDurations(s: JsonObject): JsonObject {
  const out: JsonObject = { ...s };
  if (isObject(s.result) && typeof s.result.duration === 'string') {
    out.result = { ...s.result, duration: s.result.duration.replace(/(\d+)(?:\.(\d+))?S$/, (_m, whole: string, fraction?: string) => {
      const kept = (fraction ?? '').slice(0, 2).replace(/0+$/, '');
      return `${Number(whole)}${kept ? `.${kept}` : ''}S`;
    }) };
  }
  if (isObject(s.object) && s.object.objectType === 'SubStatement') out.object = normaliseDurations(s.object);
  return out;
}

function normaliseTime(value: Json): Json {
  const date = parseTimestamp(value);
  return date ? date.toISOString() : value;
}

// ---------------------------------------------------------------- formats

function idsAgent(agent: Json | undefined): Json | undefined {
  if (!isObject(agent)) return agent;
  const out: JsonObject = {};
  if (agent.objectType !== undefined) out.objectType = agent.objectType;
  for (const key of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (agent[key] !== undefined) out[key] = agent[key]!;
  if (agent.objectType === 'Group' && agentIfi(agent) === null && Array.isArray(agent.member)) out.member = agent.member.map((m) => idsAgent(m)!);
  return out;
}

function idsActivity(activity: Json): Json {
  return isObject(activity) ? { id: activity.id! } : activity;
}

function idsContext(context: Json | undefined): Json | undefined {
  if (!isObject(context)) return context;
  const out: JsonObject = { ...context };
  if (context.instructor !== undefined) out.instructor = idsAgent(context.instructor)!;
  if (context.team !== undefined) out.team = idsAgent(context.team)!;
  if (isObject(context.contextActivities)) {
    const lists: JsonObject = {};
    for (const [key, list] of Object.entries(context.contextActivities)) lists[key] = (Array.isArray(list) ? list : [list]).map(idsActivity);
    out.contextActivities = lists;
  }
  return out;
}

function idsCore(s: JsonObject): JsonObject {
  const out: JsonObject = { ...s, actor: idsAgent(s.actor)!, verb: { id: (s.verb as JsonObject).id! } };
  const object = s.object;
  if (isActivityObject(object)) out.object = idsActivity(object);
  else if (isAgentObject(object)) out.object = idsAgent(object)!;
  else if (isObject(object) && object.objectType === 'SubStatement') out.object = idsCore(object);
  if (s.context !== undefined) out.context = idsContext(s.context)!;
  if (s.authority !== undefined) out.authority = idsAgent(s.authority)!;
  return out;
}

/** format=ids: agents, activities and verbs reduced to their identifiers. */
export function idsFormat(s: JsonObject): JsonObject {
  return idsCore(s);
}

/** The language tags a client prefers, best first, from an Accept-Language header. */
export function preferredLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag!.trim(), q: q ? Number(q) : 1, index };
    })
    .filter((x) => x.tag.length > 0 && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.tag);
}

function pickLanguage(map: JsonObject, languages: string[]): JsonObject {
  const keys = Object.keys(map);
  if (keys.length <= 1) return map;
  for (const wanted of languages) {
    if (wanted === '*') break;
    const exact = keys.find((k) => k.toLowerCase() === wanted.toLowerCase());
    if (exact) return { [exact]: map[exact]! };
    const prefix = keys.find((k) => k.toLowerCase().startsWith(`${wanted.toLowerCase()}-`) || wanted.toLowerCase().startsWith(`${k.toLowerCase()}-`));
    if (prefix) return { [prefix]: map[prefix]! };
  }
  const fallback = keys.find((k) => k === 'und') ?? keys.find((k) => k.toLowerCase().startsWith('en')) ?? keys[0]!;
  return { [fallback]: map[fallback]! };
}

const LANGUAGE_MAP_KEYS = new Set(['display', 'name', 'description']);

/** format=canonical: every language map narrowed to the one language that suits the client. */
export function canonicalFormat(value: Json, languages: string[], key = ''): Json {
  if (Array.isArray(value)) return value.map((item) => canonicalFormat(item, languages));
  if (!isObject(value)) return value;
  if (LANGUAGE_MAP_KEYS.has(key) && Object.values(value).every((v) => typeof v === 'string')) return pickLanguage(value, languages);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'extensions' ? v : canonicalFormat(v, languages, k);
  return out;
}

/** Merges a newer activity definition into the canonical one (language maps merge, the rest replaces). */
export function mergeDefinition(current: JsonObject | null, incoming: JsonObject): JsonObject {
  if (!current) return incoming;
  const out: JsonObject = { ...current };
  for (const [key, value] of Object.entries(incoming)) {
    const before = current[key];
    out[key] = (key === 'name' || key === 'description' || key === 'extensions') && isObject(before) && isObject(value) ? { ...before, ...value } : value;
  }
  return out;
}

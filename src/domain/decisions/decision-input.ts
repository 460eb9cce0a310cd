import { hash } from 'node:crypto';

/**
 * One decision as the upstream tool sends it (an NDJSON line, or a CSV row
 * mapped to this shape by csv-decisions.ts), and its first check: shape and
 * types only. References (workflow, agent, labels, action) are resolved
 * against the catalogue by decision-resolver.ts.
 */
export interface DecisionInput {
  source: string;
  external_id: string;
  /** Workflow key ('video_moderation') or id. */
  workflow: string;
  /** The agent: Assay person id, employee reference, or email. */
  agent: string;
  /** ISO 8601 with an offset: '2026-10-01T14:03:22+08:00' or '...Z'. */
  decided_at: string;
  /** Policy label keys; empty means "no violation". */
  labels: string[];
  action: string;
  handle_time_ms: number;
  content: { kind: string; text?: string | null; url?: string | null; language?: string | null };
  model_score?: number | null;
  metadata?: Record<string, unknown>;
}

/** A problem with one line: the field is a dotted path into the record ('content.language'). */
export interface LineIssue {
  field: string;
  message: string;
}

export const CONTENT_KINDS = ['video', 'image', 'comment', 'text', 'livestream', 'account', 'ticket', 'ad', 'audio'] as const;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const KNOWN_FIELDS = new Set([
  'source', 'external_id', 'workflow', 'agent', 'decided_at', 'labels', 'action', 'handle_time_ms', 'content', 'model_score', 'metadata',
]);
const MAX_TEXT = 100_000;
const MAX_METADATA = 16_384;

export interface CheckedDecision {
  input: DecisionInput;
  decidedAt: Date;
  /** Canonical JSON of what the decision says; equal payloads give equal hashes. */
  canonical: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, issues: LineIssue[], max: number, required = true): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) issues.push({ field, message: 'Required.' });
    return null;
  }
  if (typeof value !== 'string') {
    issues.push({ field, message: 'Must be a string.' });
    return null;
  }
  if (value.length > max) issues.push({ field, message: `At most ${max} characters.` });
  return value;
}

/** Key-sorted JSON, so two equal objects serialise alike whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function payloadHash(canonical: string): string {
  return hash('md5', canonical);
}

/** Shape and type checks for one parsed record. Returns the issues, or the checked decision. */
export function checkDecision(raw: unknown): { ok: true; decision: CheckedDecision } | { ok: false; issues: LineIssue[] } {
  const issues: LineIssue[] = [];
  if (!isObject(raw)) return { ok: false, issues: [{ field: '', message: 'Each line must be a JSON object.' }] };
  for (const key of Object.keys(raw)) if (!KNOWN_FIELDS.has(key)) issues.push({ field: key, message: 'Unknown field.' });
  const source = text(raw.source, 'source', issues, 100);
  const externalId = text(raw.external_id, 'external_id', issues, 200);
  const workflow = text(raw.workflow, 'workflow', issues, 100);
  const agent = text(raw.agent, 'agent', issues, 320);
  const decidedAtText = text(raw.decided_at, 'decided_at', issues, 40);
  let decidedAt = new Date(NaN);
  if (decidedAtText !== null) {
    decidedAt = new Date(decidedAtText);
    if (!ISO_WITH_OFFSET.test(decidedAtText) || Number.isNaN(decidedAt.getTime())) {
      issues.push({ field: 'decided_at', message: 'Use ISO 8601 with an offset, e.g. 2026-10-01T14:03:22+08:00.' });
    } else if (decidedAt.getTime() > Date.now() + 5 * 60_000) {
      issues.push({ field: 'decided_at', message: 'Is in the future.' });
    }
  }
  const labels = raw.labels;
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || l.length === 0 || l.length > 120)) {
    issues.push({ field: 'labels', message: 'A list of policy label keys ([] for no violation).' });
  } else if (new Set(labels).size !== labels.length) {
    issues.push({ field: 'labels', message: 'Lists a label twice.' });
  } else if (labels.length > 20) {
    issues.push({ field: 'labels', message: 'At most 20 labels.' });
  }
  const action = text(raw.action, 'action', issues, 50);
  const handle = raw.handle_time_ms;
  if (typeof handle !== 'number' || !Number.isInteger(handle) || handle < 0 || handle > 86_400_000) {
    issues.push({ field: 'handle_time_ms', message: 'Whole milliseconds from 0 to 86400000 (24 h).' });
  }
  const content = raw.content;
  if (!isObject(content)) {
    issues.push({ field: 'content', message: 'Required: {kind, text or url, language}.' });
  } else {
    for (const key of Object.keys(content)) if (!['kind', 'text', 'url', 'language'].includes(key)) issues.push({ field: `content.${key}`, message: 'Unknown field.' });
    const kind = text(content.kind, 'content.kind', issues, 30);
    if (kind !== null && !(CONTENT_KINDS as readonly string[]).includes(kind)) issues.push({ field: 'content.kind', message: `One of ${CONTENT_KINDS.join(', ')}.` });
    const body = text(content.text, 'content.text', issues, MAX_TEXT, false);
    const url = text(content.url, 'content.url', issues, 2000, false);
    if (body === null && url === null) issues.push({ field: 'content', message: 'Give the content text or its url.' });
    if (url !== null && !/^https?:\/\/\S+$/.test(url)) issues.push({ field: 'content.url', message: 'An http(s) URL.' });
    const language = text(content.language, 'content.language', issues, 35, false);
    if (language !== null && !LANGUAGE.test(language)) issues.push({ field: 'content.language', message: 'A BCP 47 language tag such as en or pt-BR.' });
  }
  const score = raw.model_score;
  if (score !== undefined && score !== null && (typeof score !== 'number' || !(score >= 0 && score <= 1))) {
    issues.push({ field: 'model_score', message: 'A number from 0 to 1, or null.' });
  }
  const metadata = raw.metadata;
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) issues.push({ field: 'metadata', message: 'An object.' });
  if (issues.length > 0) return { ok: false, issues };
  const c = content as Record<string, unknown>;
  const input: DecisionInput = {
    source: source!,
    external_id: externalId!,
    workflow: workflow!,
    agent: agent!,
    decided_at: decidedAtText!,
    labels: [...(labels as string[])].sort(),
    action: action!,
    handle_time_ms: handle as number,
    content: {
      kind: c.kind as string,
      text: (c.text as string | undefined) || null,
      url: (c.url as string | undefined) || null,
      language: (c.language as string | undefined) || null,
    },
    model_score: (score as number | null | undefined) ?? null,
    metadata: (metadata as Record<string, unknown> | undefined) ?? {},
  };
  const metadataJson = canonicalJson(input.metadata);
  if (metadataJson.length > MAX_METADATA) {
    return { ok: false, issues: [{ field: 'metadata', message: `At most ${MAX_METADATA} characters as JSON.` }] };
  }
  // Equal to canonicalJson of the whole record (keys in sorted order), built
  // directly because it runs for every line. The instant, not its spelling:
  // 12:00+02:00 and 10:00Z are the same decision.
  const canonical =
    `{"action":${JSON.stringify(input.action)},"agent":${JSON.stringify(input.agent)},` +
    `"content":{"kind":${JSON.stringify(input.content.kind)},"language":${JSON.stringify(input.content.language)},` +
    `"text":${JSON.stringify(input.content.text)},"url":${JSON.stringify(input.content.url)}},` +
    `"decided_at":${JSON.stringify(decidedAt.toISOString())},"external_id":${JSON.stringify(input.external_id)},` +
    `"handle_time_ms":${input.handle_time_ms},"labels":${JSON.stringify(input.labels)},"metadata":${metadataJson},` +
    `"model_score":${JSON.stringify(input.model_score)},"source":${JSON.stringify(input.source)},"workflow":${JSON.stringify(input.workflow)}}`;
  return { ok: true, decision: { input, decidedAt, canonical } };
}

/** The decision's id: a name-based uuid (RFC 9562 v5 layout) of source and external id. */
export function decisionId(source: string, externalId: string): string {
  const digest = hash('sha1', `assay-decision\u0000${source}\u0000${externalId}`, 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

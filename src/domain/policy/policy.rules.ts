import type { Issues } from '../errors.ts';

/** Pure rules for the policy taxonomy: workflows, policies, versions, labels, actions. No I/O. */

/** Keys of workflows, policies and enforcement actions (matches the CHECK in migrations/0001). */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{1,48}$/;
/** Label keys: dotted lower-case paths such as `hate.slur` or `violent_content.graphic`. */
export const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MAX_LABELS = 200;
export const MAX_LABEL_KEY_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 4000;

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** A required name: trimmed, 1 to `max` characters. */
export function checkName(issues: Issues, path: string, value: string, max = 120): string {
  const name = value.trim();
  issues.check(name.length > 0, path, 'Enter a name.');
  issues.check(name.length <= max, path, `Use at most ${max} characters.`);
  return name;
}

export function checkDescription(issues: Issues, path: string, value: string, max = MAX_DESCRIPTION_LENGTH): string {
  const text = value.trim();
  issues.check(text.length <= max, path, `Use at most ${max} characters.`);
  return text;
}

/** A workflow, policy or action key: what exports, imports and decisions refer to; never changes once created. */
export function checkKey(issues: Issues, path: string, value: string): string {
  const key = value.trim();
  issues.check(
    KEY_PATTERN.test(key),
    path,
    'Use 2 to 49 lower-case letters, digits or underscores, starting with a letter, like hate_speech.',
  );
  return key;
}

const OFFSET_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with an explicit offset ('2025-03-01T00:00:00Z',
 * '2025-03-01T09:00:00+08:00'); null for anything else, including a time with
 * no offset (whose moment would depend on the server's zone) and impossible
 * dates such as 31 February. Sub-millisecond digits are dropped.
 */
export function parseOffsetDateTime(value: string): Date | null {
  const match = OFFSET_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? '0');
  const millis = Number((frac ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const probe = new Date(local);
  // Date.UTC rolls 31 February over into March; a real date survives the round trip. (Years 0-99 map to 19xx.)
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return new Date(local - offsetMinutes * 60_000);
}

/** Checks an effective date: a valid offset date-time in a plausible range. */
export function checkEffectiveFrom(issues: Issues, path: string, value: string): Date | null {
  const at = parseOffsetDateTime(value);
  if (!at) {
    issues.add(path, 'Use an ISO date and time with an offset, like 2025-03-01T00:00:00Z or 2025-03-01T09:00:00+08:00.');
    return null;
  }
  const year = at.getUTCFullYear();
  if (year < 1990 || year > 2100) {
    issues.add(path, 'A date before 1990 or after 2100 is probably a typo.');
    return null;
  }
  return at;
}

export interface LabelInput {
  key: string;
  name: string;
  severity: string;
  description?: string;
}

export interface Label {
  key: string;
  name: string;
  severity: Severity;
  description: string;
}

/** Validates a version's labels: at least one, keys well-formed and unique within the version. */
export function checkLabels(issues: Issues, path: string, labels: readonly LabelInput[]): Label[] {
  if (labels.length === 0) issues.add(path, 'Add at least one label.');
  if (labels.length > MAX_LABELS) issues.add(path, `Use at most ${MAX_LABELS} labels.`);
  const seen = new Map<string, number>();
  return labels.map((label, index) => {
    const at = `${path}/${index}`;
    const key = label.key.trim();
    if (!LABEL_KEY_PATTERN.test(key)) {
      issues.add(`${at}/key`, 'Use lower-case letters, digits and underscores, dot-separated, like hate.slur.');
    } else if (key.length > MAX_LABEL_KEY_LENGTH) {
      issues.add(`${at}/key`, `Use at most ${MAX_LABEL_KEY_LENGTH} characters.`);
    } else if (seen.has(key)) {
      issues.add(`${at}/key`, `Label ${seen.get(key)! + 1} already uses this key; keys are unique within a version.`);
    } else {
      seen.set(key, index);
    }
    const name = checkName(issues, `${at}/name`, label.name);
    if (!isSeverity(label.severity)) issues.add(`${at}/severity`, `Choose one of: ${SEVERITIES.join(', ')}.`);
    const description = checkDescription(issues, `${at}/description`, label.description ?? '');
    return { key, name, severity: label.severity as Severity, description };
  });
}

/** Validates the shape of a version's allowed actions (existence is the service's to check); repeats are dropped. */
export function checkAllowedActions(issues: Issues, path: string, keys: readonly string[]): string[] {
  if (keys.length === 0) issues.add(path, 'Allow at least one enforcement action.');
  const out: string[] = [];
  keys.forEach((raw, index) => {
    const key = raw.trim();
    if (!KEY_PATTERN.test(key)) issues.add(`${path}/${index}`, `"${raw}" is not an action key.`);
    else if (!out.includes(key)) out.push(key);
  });
  return out;
}

export interface VersionInput {
  effectiveFrom: string;
  summary: string;
  labels: LabelInput[];
  allowedActions: string[];
}

export interface CheckedVersion {
  effectiveFrom: Date | null;
  summary: string;
  labels: Label[];
  allowedActions: string[];
}

/** Everything about a new version that needs no lookups; `base` prefixes paths ('' or '/initialVersion'). */
export function checkVersionInput(issues: Issues, base: string, input: VersionInput): CheckedVersion {
  return {
    effectiveFrom: checkEffectiveFrom(issues, `${base}/effectiveFrom`, input.effectiveFrom),
    summary: checkDescription(issues, `${base}/summary`, input.summary),
    labels: checkLabels(issues, `${base}/labels`, input.labels),
    allowedActions: checkAllowedActions(issues, `${base}/allowedActions`, input.allowedActions),
  };
}

/**
 * The timeline is append-only: a new version takes effect strictly after the
 * latest existing one, so no decision already judged under a version is
 * silently re-assigned to a new one inserted before it.
 */
export function checkTimeline(
  issues: Issues,
  path: string,
  effectiveFrom: Date,
  latest: { version: number; effectiveFrom: Date } | null,
): void {
  if (latest && effectiveFrom.getTime() <= latest.effectiveFrom.getTime()) {
    issues.add(
      path,
      `Version ${latest.version} takes effect at ${latest.effectiveFrom.toISOString()}; a new version must take effect after it.`,
    );
  }
}

function timeOf(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

/**
 * The version in force at `at`: the one with the latest effectiveFrom not after
 * `at`; null before the first version takes effect. Order of `versions` does not matter.
 */
export function versionInForce<T extends { effectiveFrom: Date | string }>(versions: readonly T[], at: Date): T | null {
  const moment = at.getTime();
  if (Number.isNaN(moment)) return null;
  let best: T | null = null;
  let bestTime = -Infinity;
  for (const version of versions) {
    const time = timeOf(version.effectiveFrom);
    if (Number.isNaN(time) || time > moment) continue;
    if (best === null || time > bestTime) {
      best = version;
      bestTime = time;
    }
  }
  return best;
}

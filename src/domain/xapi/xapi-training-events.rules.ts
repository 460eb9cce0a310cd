import { createHash } from 'node:crypto';

/**
 * Assay's own training events as xAPI statements (issue 8 item 3; docs/decisions/0011, "Assay's
 * own statements"). Pure: the service gathers the facts, this builds the statement.
 *
 * - Verbs: ADL's registered / attempted / passed / failed / completed; "certified" and
 *   "certification revoked" have no ADL verb, so they are Assay IRIs under the install's base
 *   (`{base}verbs/certified`, `{base}verbs/certification-revoked`).
 * - Activities: `{base}courses/{id}`, `{base}assessments/{courseId}`, `{base}certifications/{id}`,
 *   `{base}programs/{id}`, each with a name and an ADL activity type.
 * - Actor: an Agent identified by an account {homePage: base, name: person id}. xAPI allows exactly
 *   one inverse functional identifier, and the person id never changes while an email can (and may
 *   be missing), so the account is the identifier; the email is not sent.
 * - Statement ids are derived from the event (kind + the ids it is about), so emitting the same
 *   event again stores nothing new and a forwarded statement can be re-sent safely.
 */

export const ADL_VERBS = {
  registered: 'http://adlnet.gov/expapi/verbs/registered',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
} as const;

const ACTIVITY_TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  certification: 'https://w3id.org/xapi/cmi5/activitytype/block',
  program: 'http://adlnet.gov/expapi/activities/module',
} as const;

export type TrainingEventKind = 'registered' | 'attempted' | 'passed' | 'failed' | 'completed' | 'certified' | 'certification-revoked';

export interface TrainingEventFacts {
  kind: TrainingEventKind;
  /** Makes the statement id: the same event (kind + key) always has the same id. */
  key: string;
  at: Date;
  person: { id: string; name: string };
  course?: { id: string; title: string };
  program?: { id: string; name: string } | null;
  certification?: { id: string; name: string };
  enrolmentId?: string | null;
  /** Scaled 0..1 score, success, completion, ISO 8601 duration: whatever is known. */
  result?: { scaled?: number | null; success?: boolean; completion?: boolean; durationMs?: number | null; response?: string };
}

/** A name-based UUID (version 5 layout) from the event: stable across retries and re-sends. */
export function eventStatementId(kind: TrainingEventKind, key: string): string {
  const h = createHash('sha1').update(`assay-xapi:${kind}:${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** ISO 8601 duration with seconds to centisecond precision (xAPI's format). */
export function isoDuration(ms: number): string {
  const total = Math.max(0, ms) / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round((total % 60) * 100) / 100;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s}S`;
}

const display = (text: string) => ({ 'en-US': text });

function activity(base: string, kind: keyof typeof ACTIVITY_TYPES, id: string, name: string) {
  const path = { course: 'courses', assessment: 'assessments', certification: 'certifications', program: 'programs' }[kind];
  return { objectType: 'Activity', id: `${base}${path}/${id}`, definition: { name: display(name), type: ACTIVITY_TYPES[kind] } };
}

export function verbFor(base: string, kind: TrainingEventKind): { id: string; display: Record<string, string> } {
  if (kind === 'certified') return { id: `${base}verbs/certified`, display: display('certified') };
  if (kind === 'certification-revoked') return { id: `${base}verbs/certification-revoked`, display: display('certification revoked') };
  return { id: ADL_VERBS[kind], display: display(kind) };
}

/** The person as an xAPI Agent on the install's account home page. */
export function personAgent(base: string, person: { id: string; name: string }) {
  return { objectType: 'Agent', name: person.name, account: { homePage: base, name: person.id } };
}

export function buildTrainingStatement(base: string, facts: TrainingEventFacts): Record<string, unknown> {
  const course = facts.course;
  let object: ReturnType<typeof activity>;
  if (facts.kind === 'certified' || facts.kind === 'certification-revoked') object = activity(base, 'certification', facts.certification!.id, facts.certification!.name);
  else if (facts.kind === 'attempted' || facts.kind === 'passed' || facts.kind === 'failed') object = activity(base, 'assessment', course!.id, `${course!.title}: assessment`);
  else object = activity(base, 'course', course!.id, course!.title);

  const parents = [
    ...(course && object.id !== `${base}courses/${course.id}` ? [activity(base, 'course', course.id, course.title)] : []),
    ...(facts.program ? [activity(base, 'program', facts.program.id, facts.program.name)] : []),
  ];
  const context: Record<string, unknown> = { platform: 'Assay', language: 'en-US' };
  if (facts.enrolmentId) context.registration = facts.enrolmentId;
  if (parents.length > 0) context.contextActivities = { parent: parents };

  const statement: Record<string, unknown> = {
    id: eventStatementId(facts.kind, facts.key),
    actor: personAgent(base, facts.person),
    verb: verbFor(base, facts.kind),
    object,
    context,
    timestamp: facts.at.toISOString(),
  };
  const r = facts.result;
  if (r) {
    const result: Record<string, unknown> = {};
    if (r.scaled !== undefined && r.scaled !== null) result.score = { scaled: Math.min(1, Math.max(0, Math.round(r.scaled * 10000) / 10000)) };
    if (r.success !== undefined) result.success = r.success;
    if (r.completion !== undefined) result.completion = r.completion;
    if (r.durationMs !== undefined && r.durationMs !== null) result.duration = isoDuration(r.durationMs);
    if (r.response !== undefined) result.response = r.response;
    if (Object.keys(result).length > 0) statement.result = result;
  }
  return statement;
}

import type { FieldIssue } from '../errors.ts';
import type { Answer, ScorecardDefinition, Verdict } from '../reviews/scorecard.types.ts';
import { checkAnswers } from '../reviews/scoring.rules.ts';
import type { ParticipantGroupKey } from './calibration.types.ts';

/**
 * Rules of a calibration session, pure: the options a session freezes, the
 * participant's group, checking one rating against the session's scorecard,
 * and the answer values the results compare.
 */

export interface LabelOption {
  policyKey: string;
  policyName: string;
  labels: Array<{ key: string; name: string; severity: string }>;
}

export interface ActionOption {
  key: string;
  name: string;
}

/** The agent's decision on an item, when the item is a decided one. */
export interface AgentDecision {
  labels: string[];
  action: string;
}

export const MAX_ITEMS = 200;
export const MAX_PARTICIPANTS = 100;

/** A participant's default group, from their job and employer: the lead may override it. */
export function defaultGroup(person: { job_role: string; is_in_house: boolean }): ParticipantGroupKey {
  if (person.job_role === 'policy_sme') return 'sme';
  if (person.job_role === 'trainer') return 'trainer';
  return person.is_in_house ? 'internal_qa' : 'vendor_qa';
}

export function labelKeys(options: readonly LabelOption[]): Set<string> {
  return new Set(options.flatMap((p) => p.labels.map((l) => l.key)));
}

export function checkVerdict(options: { labels: ReadonlySet<string>; actions: ReadonlySet<string> }, verdict: Verdict, base = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  verdict.labels.forEach((label, i) => {
    if (!options.labels.has(label)) issues.push({ path: `${base}/labels/${i}`, message: `"${label}" is not a label offered in this calibration.` });
    else if (verdict.labels.indexOf(label) !== i) issues.push({ path: `${base}/labels/${i}`, message: 'Listed twice.' });
  });
  if (!options.actions.has(verdict.action)) issues.push({ path: `${base}/action`, message: `"${verdict.action}" is not an action offered in this calibration.` });
  return issues;
}

/**
 * A participant's scorecard answers, checked as the review workspace checks them, except that a comment on a
 * failed question is optional (calibration compares judgements; the discussion comes after the reveal). The
 * derived questions (correct label / action) compare the verdict with the agent's decision; without one (an
 * uploaded or gold item) they do not apply.
 */
export function checkRatingAnswers(definition: ScorecardDefinition, answers: Answer[], verdict: Verdict, agent: AgentDecision | null): FieldIssue[] {
  return checkAnswers(definition, answers, agent ?? verdict, verdict).filter((issue) => !issue.path.endsWith('/comment') || issue.message.startsWith('At most'));
}

/** questionKey -> value as compared across raters; derived questions computed from the verdict and the agent's decision. */
export function answerValues(definition: ScorecardDefinition, answers: readonly Answer[], verdict: Verdict, agent: AgentDecision | null): Record<string, string> {
  const given = new Map(answers.map((a) => [a.questionKey, a]));
  const values: Record<string, string> = {};
  for (const q of definition.sections.flatMap((s) => s.questions)) {
    if (q.kind === 'correct_label') {
      if (agent) values[q.key] = sameSet(agent.labels, verdict.labels) ? 'yes' : 'no';
    } else if (q.kind === 'correct_action') {
      if (agent) values[q.key] = agent.action === verdict.action ? 'yes' : 'no';
    } else {
      const a = given.get(q.key);
      if (a !== undefined) values[q.key] = String(a.value);
    }
  }
  return values;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** Stored answers (Answer[] or a values record) as a values record. */
export function storedValues(stored: unknown): Record<string, string> {
  if (Array.isArray(stored)) {
    const out: Record<string, string> = {};
    for (const a of stored as Answer[]) if (a && typeof a.questionKey === 'string') out[a.questionKey] = String(a.value);
    return out;
  }
  if (stored && typeof stored === 'object') return Object.fromEntries(Object.entries(stored as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return {};
}

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * What an item exposes its viewer to, for the exposure record: the policy of the most severe of the agent's
 * labels, from the labels the session froze, as the review workspace records a decision by its worst label;
 * 'none' for an item the agent found no violation in. A label no longer offered names its policy by
 * prefix ("policy.label").
 */
export function itemHarm(options: readonly LabelOption[], labels: readonly string[], itemSeverity: string | null): { harmType: string; severity: string | null } {
  if (labels.length === 0) return { harmType: 'none', severity: itemSeverity };
  const known = options.flatMap((p) => p.labels.filter((l) => labels.includes(l.key)).map((l) => ({ policyKey: p.policyKey, severity: l.severity })));
  const worst = known.sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0))[0];
  return worst ? { harmType: worst.policyKey, severity: worst.severity } : { harmType: labels[0]!.split('.')[0]!, severity: itemSeverity };
}

import type { FieldIssue } from '../errors.ts';
import { wilson, type ProportionInterval } from '../stats/proportions.ts';
import type { Answer, ScorecardDefinition } from './scorecard.types.ts';

/**
 * Disputes, pure: the window a review can be contested in, which question
 * keys a dispute may name, who arbitrates, the SLA clock and the dispute and
 * overturn rates metrics read.
 */

export const DISPUTE_DEFAULTS = { windowHours: 168, slaHours: 72 } as const;

const HOUR_MS = 3_600_000;

/** The last moment a review submitted at `submittedAt` can be disputed. */
export function disputeWindowEnd(submittedAt: Date, windowHours: number): Date {
  return new Date(submittedAt.getTime() + windowHours * HOUR_MS);
}

export function disputeWindowOpen(submittedAt: Date, windowHours: number, now: Date): boolean {
  return now.getTime() <= disputeWindowEnd(submittedAt, windowHours).getTime();
}

export function disputeDueAt(now: Date, slaHours: number): Date {
  return new Date(now.getTime() + slaHours * HOUR_MS);
}

/** Question keys a dispute names must be on the review's own scorecard version; none = the whole review. */
export function checkDisputedQuestions(definition: ScorecardDefinition, keys: readonly string[]): FieldIssue[] {
  const known = new Set(definition.sections.flatMap((s) => s.questions.map((q) => q.key)));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (!known.has(key)) issues.push({ path: `/questionKeys/${i}`, message: `No question "${key}" on this review's scorecard version.` });
    else if (seen.has(key)) issues.push({ path: `/questionKeys/${i}`, message: 'Named twice.' });
    seen.add(key);
  });
  return issues;
}

export interface ArbiterCandidate {
  personId: string;
  /** In-house QA lead skilled in the review's workflow: the first choice. */
  preferred: boolean;
  openDisputes: number;
}

/**
 * The arbiter: never the original reviewer nor the person who raised the
 * dispute. Preferred candidates first, then the fewest open disputes, then
 * the person id, so the same state always picks the same person.
 */
export function pickArbiter(candidates: readonly ArbiterCandidate[], excluded: ReadonlyArray<string | null>): string | null {
  const barred = new Set(excluded.filter((id): id is string => id !== null));
  const eligible = candidates.filter((c) => !barred.has(c.personId));
  eligible.sort((a, b) => Number(b.preferred) - Number(a.preferred) || a.openDisputes - b.openDisputes || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
  return eligible[0]?.personId ?? null;
}

export interface SlaClock {
  /** Milliseconds left until due (negative once overdue); null when the dispute is closed. */
  remainingMs: number | null;
  overdue: boolean;
}

export function slaClock(status: string, dueAt: Date, now: Date, resolvedAt: Date | null): SlaClock {
  if (status !== 'open') return { remainingMs: null, overdue: resolvedAt !== null && resolvedAt > dueAt };
  const remainingMs = dueAt.getTime() - now.getTime();
  return { remainingMs, overdue: remainingMs < 0 };
}

export interface DisputeCounts {
  groupId: string;
  groupName: string;
  reviews: number;
  disputed: number;
  /** Resolved disputes overturned in full or in part. */
  overturned: number;
}

export interface DisputeRates extends DisputeCounts {
  /** Disputed reviews / reviews, with its Wilson 95% interval. */
  disputeRate: ProportionInterval;
  /** Overturned (or partly) / disputed reviews. */
  overturnRate: ProportionInterval;
}

export function disputeRates(counts: DisputeCounts): DisputeRates {
  return { ...counts, disputeRate: wilson(counts.disputed, counts.reviews), overturnRate: wilson(counts.overturned, counts.disputed) };
}

/**
 * The "correct label" and "correct action" answers follow from the verdict
 * (scoring.rules.ts). When an arbiter corrects the verdict, their stored
 * yes/no must follow it too, or the review would show "Correct action? No"
 * beside a corrected verdict that agrees with the agent; the reviewer's
 * comment on a question that no longer fails goes with the failure.
 */
export function alignDerivedAnswers(definition: ScorecardDefinition, answers: readonly Answer[], failedQuestions: readonly string[]): Answer[] {
  const derived = new Set(definition.sections.flatMap((s) => s.questions.filter((q) => q.kind === 'correct_label' || q.kind === 'correct_action').map((q) => q.key)));
  const failed = new Set(failedQuestions);
  const align = (key: string, previous?: Answer): Answer => (failed.has(key) ? { ...previous, questionKey: key, value: 'no' } : { questionKey: key, value: 'yes' });
  const aligned = answers.map((a) => (derived.has(a.questionKey) ? align(a.questionKey, a) : a));
  for (const key of derived) if (!answers.some((a) => a.questionKey === key)) aligned.push(align(key));
  return aligned;
}

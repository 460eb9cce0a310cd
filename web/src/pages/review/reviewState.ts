/**
 * The workspace's pure logic: which questions are derived from the verdict,
 * when a question counts as failed, what a key press means, and where the
 * server's validation messages belong. Mirrors src/domain/reviews/scoring.rules.ts
 * so the reviewer sees what the server will compute.
 */
import type { Answer, Question, ScorecardDefinition, Verdict } from '../../api/review';
import type { ApiErrorDetail } from '../../api/client';

export const isDerived = (q: Question) => q.kind === 'correct_label' || q.kind === 'correct_action';

export function allQuestions(definition: ScorecardDefinition): Question[] {
  return definition.sections.flatMap((s) => s.questions);
}

export function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export interface AgentDecision {
  labels: string[];
  action: string;
}

/** 'yes' | 'no' for derived questions once both verdict and decision are known; null before. */
export function derivedValue(q: Question, verdict: Verdict | null, decision: AgentDecision | null): 'yes' | 'no' | null {
  if (!verdict || !decision) return null;
  if (q.kind === 'correct_label') return sameSet(verdict.labels, decision.labels) ? 'yes' : 'no';
  if (q.kind === 'correct_action') return verdict.action === decision.action ? 'yes' : 'no';
  return null;
}

export function isFailed(q: Question, answer: Answer | undefined, verdict: Verdict | null, decision: AgentDecision | null): boolean {
  if (isDerived(q)) return derivedValue(q, verdict, decision) === 'no';
  if (!answer) return false;
  if (q.kind === 'yes_no') return answer.value === 'no';
  if (q.kind === 'choice') return (q.options?.find((o) => o.key === answer.value)?.credit ?? 1) < 1;
  if (q.kind === 'scale') return typeof answer.value === 'number' && answer.value <= (q.failAtOrBelow ?? 2);
  return false;
}

export function isAnswered(q: Question, answer: Answer | undefined): boolean {
  return isDerived(q) || (answer !== undefined && answer.value !== '');
}

/** The answer value a key press gives the focused question, or null when the key means nothing there. */
export function valueForKey(q: Question, key: string): string | number | null {
  const k = key.toLowerCase();
  if (q.kind === 'yes_no') {
    if (k === 'y') return 'yes';
    if (k === 'n') return 'no';
    if (k === 'a' && q.allowNotApplicable) return 'na';
    return null;
  }
  if (q.kind === 'scale' && /^[1-5]$/.test(k)) return Number(k);
  if (q.kind === 'choice' && /^[1-9]$/.test(k)) return q.options?.[Number(k) - 1]?.key ?? null;
  return null;
}

/** The keys a question answers to, for the legend and the question's own hint. */
export function keysHint(q: Question): string {
  if (isDerived(q)) return 'computed from your verdict';
  if (q.kind === 'yes_no') return q.allowNotApplicable ? 'Y yes · N no · A N/A' : 'Y yes · N no';
  if (q.kind === 'scale') return '1–5';
  if (q.kind === 'choice') return (q.options ?? []).map((o, i) => `${i + 1} ${o.label}`).join(' · ');
  return '';
}

/** Field errors from a 422, by question key: /answers/<key>/<field> (or /answers/<index>/...). */
export function answerErrors(details: ApiErrorDetail[], questionKeys: string[], submittedKeys: string[]): {
  byQuestion: Map<string, { value?: string; comment?: string; rootCause?: string }>;
  other: ApiErrorDetail[];
} {
  const byQuestion = new Map<string, { value?: string; comment?: string; rootCause?: string }>();
  const other: ApiErrorDetail[] = [];
  for (const detail of details) {
    const match = /^\/answers\/([^/]+)\/(value|comment|rootCause|questionKey)$/.exec(detail.path);
    let key = match?.[1];
    if (key && /^\d+$/.test(key) && !questionKeys.includes(key)) key = submittedKeys[Number(key)];
    if (!match || !key || !questionKeys.includes(key)) {
      other.push(detail);
      continue;
    }
    const field = match[2] === 'questionKey' ? 'value' : (match[2] as 'value' | 'comment' | 'rootCause');
    byQuestion.set(key, { ...byQuestion.get(key), [field]: detail.message });
  }
  return { byQuestion, other };
}

/** True when the key event comes from a place that types text (keep shortcuts out of the way). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit'].includes(type);
  }
  return false;
}

import { checkAnswers, scoreReview, type DecisionUnderReview } from '../domain/reviews/scoring.rules.ts';
import type { Answer, Question, ScoredReview, ScorecardDefinition, Verdict } from '../domain/reviews/scorecard.types.ts';
import type { Draw } from './demo-draw.ts';
import type { DemoDecisionError } from './demo-decisions.ts';

/**
 * How one demo QA reviewer judges one sampled decision: their verdict (the
 * truth, up to reviewer noise, and a lenient vendor's habit of passing the
 * agent's wrong decisions), the scorecard answers that follow, and how long
 * it took. Pure; every draw comes from the caller's seeded stream.
 */

export const DEMO_REVIEW_STORY = {
  /** This vendor's QA often passes the agent's wrong decision: its self-reported accuracy is inflated. */
  lenientQaVendorKey: 'vayuteq',
  /** Chance a lenient reviewer records a wrong decision as correct. */
  lenientMissRate: 0.45,
  /** Chance any other reviewer misses an agent's error. */
  missRate: 0.1,
  /** Chance a reviewer "finds" an error in a correct decision (a lenient one half as often). */
  falseFindingRate: 0.012,
} as const;

/** Demo root causes (demo-judgement.ts) to the scorecard's root-cause keys where they are spelled differently. */
const ROOT_CAUSE_KEYS: Record<string, string> = { language_context: 'language_cultural_context' };

/** Alternatives a reviewer wrongly prefers to an agent's action, most likely first. */
const OTHER_ACTIONS: Record<string, string[]> = {
  remove: ['limit_reach', 'warn_user', 'age_restrict'],
  age_restrict: ['remove', 'limit_reach'],
  limit_reach: ['remove', 'label'],
  label: ['limit_reach', 'remove'],
  warn_user: ['remove', 'suspend_account'],
  suspend_account: ['ban_account', 'remove'],
  ban_account: ['suspend_account'],
  send_resources: ['label', 'remove'],
  escalate_ncmec: ['remove'],
  escalate_law_enforcement: ['escalate_policy'],
  escalate_policy: ['remove'],
  reply_macro: ['escalate_tier2', 'close_no_action'],
  escalate_tier2: ['reply_macro'],
  close_no_action: ['reply_macro'],
  refund: ['reply_macro'],
  restore_content: ['reply_macro', 'escalate_tier2'],
  reinstate_account: ['escalate_tier2'],
  no_action: ['remove', 'limit_reach'],
};

const FAIL_COMMENTS: Record<string, string[]> = {
  correct_label: [
    'Label does not match the policy: see the verdict for the right one.',
    'The content meets the definition of the label in the verdict.',
    'Wrong label for this content; check the policy examples.',
  ],
  correct_label_fp: ['Nothing here violates: this is over-enforcement.', 'Counter-speech / news context, not a violation.'],
  correct_label_fn: ['Missed violation: the content meets the policy definition.', 'Under-enforced: the violating part is in the second half.'],
  correct_action: ['Action too lenient for the severity.', 'Action too harsh for a first strike.', 'Wrong enforcement action for this label.'],
  process: ['Escalation path not followed.', 'Reason code missing.', 'Did not add the required internal note.'],
  scale: ['Curt reply, no acknowledgement of the user\'s frustration.', 'Template pasted without personalisation.'],
  other: ['Not done as the process requires.', 'See the support playbook for this case.'],
};

export interface ReviewedDecision extends DecisionUnderReview {
  workflowKind: 'moderation' | 'support';
  severity: string | null;
}

export interface ReviewTruth {
  truth: Verdict;
  error: DemoDecisionError | null;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
export const sameVerdict = (a: Verdict, b: Verdict): boolean => sameSet(a.labels, b.labels) && a.action === b.action;

/**
 * The verdict a reviewer records. `fallbackLabels` are labels of the
 * workflow a reviewer might wrongly apply to clean content.
 */
export function reviewerVerdict(draw: Draw, decision: ReviewedDecision, known: ReviewTruth, lenient: boolean, fallbackLabels: readonly string[]): Verdict {
  const agentRight = sameVerdict(decision, known.truth);
  if (!agentRight) {
    const miss = lenient ? DEMO_REVIEW_STORY.lenientMissRate : DEMO_REVIEW_STORY.missRate;
    return draw.chance(miss) ? { labels: [...decision.labels], action: decision.action } : { labels: [...known.truth.labels], action: known.truth.action };
  }
  if (!draw.chance(DEMO_REVIEW_STORY.falseFindingRate * (lenient ? 0.5 : 1))) return { labels: [...known.truth.labels], action: known.truth.action };
  return mistakenVerdict(draw, decision, fallbackLabels);
}

function otherAction(draw: Draw, action: string): string {
  const options = OTHER_ACTIONS[action] ?? ['remove'];
  return options[Math.min(options.length - 1, Math.floor(draw.u() * draw.u() * options.length))]!;
}

function mistakenVerdict(draw: Draw, decision: ReviewedDecision, fallbackLabels: readonly string[]): Verdict {
  if (decision.workflowKind === 'support' || draw.chance(0.5)) return { labels: [...decision.labels], action: otherAction(draw, decision.action) };
  if (decision.labels.length > 0) return { labels: [], action: 'no_action' };
  if (fallbackLabels.length === 0) return { labels: [], action: otherAction(draw, decision.action) };
  return { labels: [draw.pick(fallbackLabels)], action: 'remove' };
}

function rootCauseKey(definition: ScorecardDefinition, cause: string): string | undefined {
  const key = ROOT_CAUSE_KEYS[cause] ?? cause;
  return definition.rootCauses.some((r) => r.key === key) ? key : undefined;
}

function verdictComment(draw: Draw, question: Question, decision: ReviewedDecision, verdict: Verdict): string {
  if (question.kind === 'correct_action') return draw.pick(FAIL_COMMENTS.correct_action!);
  if (decision.labels.length > 0 && verdict.labels.length === 0) return draw.pick(FAIL_COMMENTS.correct_label_fp!);
  if (decision.labels.length === 0 && verdict.labels.length > 0) return draw.pick(FAIL_COMMENTS.correct_label_fn!);
  return draw.pick(FAIL_COMMENTS.correct_label!);
}

/** Answers to the questions other than label and action: mostly clean, failing now and then. */
export function otherAnswers(draw: Draw, definition: ScorecardDefinition, decisionFailed: boolean): Answer[] {
  const answers: Answer[] = [];
  const processCause = rootCauseKey(definition, 'process_not_followed');
  for (const question of definition.sections.flatMap((s) => s.questions)) {
    if (question.kind === 'correct_label' || question.kind === 'correct_action') continue;
    const failChance = (question.critical ? 0.006 : question.errorType === 'wrong_action' ? (decisionFailed ? 0.5 : 0.03) : 0.03) * (decisionFailed ? 2 : 1);
    let value: string | number;
    let failed = false;
    if (question.kind === 'yes_no') {
      failed = draw.chance(failChance);
      value = failed ? 'no' : question.allowNotApplicable && draw.chance(0.35) ? 'na' : 'yes';
    } else if (question.kind === 'choice') {
      const options = [...(question.options ?? [])].sort((a, b) => b.credit - a.credit);
      const best = options[0]!;
      failed = options.length > 1 && draw.chance(failChance * 2);
      value = failed ? options[1 + Math.floor(draw.u() * draw.u() * (options.length - 1))]!.key : best.key;
    } else {
      const u = draw.u();
      value = u < 0.35 ? 5 : u < 0.75 ? 4 : u < 0.92 ? 3 : u < 0.98 ? 2 : 1;
      failed = value <= (question.failAtOrBelow ?? 2);
    }
    const answer: Answer = { questionKey: question.key, value };
    if (failed) {
      answer.comment = draw.pick(question.kind === 'scale' ? FAIL_COMMENTS.scale! : question.errorType === 'process' ? FAIL_COMMENTS.process! : FAIL_COMMENTS.other!);
      if (processCause && draw.chance(0.8)) answer.rootCause = processCause;
    }
    answers.push(answer);
  }
  return answers;
}

/** The label and action answers, which follow from the verdict; failed ones carry a comment and a root cause. */
export function verdictAnswers(draw: Draw, definition: ScorecardDefinition, decision: ReviewedDecision, verdict: Verdict, cause: string | null): Answer[] {
  const answers: Answer[] = [];
  const rootCause = cause === null ? undefined : rootCauseKey(definition, cause);
  for (const question of definition.sections.flatMap((s) => s.questions)) {
    if (question.kind !== 'correct_label' && question.kind !== 'correct_action') continue;
    const failed = question.kind === 'correct_label' ? !sameSet(decision.labels, verdict.labels) : decision.action !== verdict.action;
    const answer: Answer = { questionKey: question.key, value: failed ? 'no' : 'yes' };
    if (failed) {
      answer.comment = verdictComment(draw, question, decision, verdict);
      if (rootCause) answer.rootCause = rootCause;
    }
    answers.push(answer);
  }
  return answers;
}

/** In scorecard order. */
export function inScorecardOrder(definition: ScorecardDefinition, answers: Answer[]): Answer[] {
  const order = new Map(definition.sections.flatMap((s) => s.questions).map((q, i) => [q.key, i]));
  return [...answers].sort((a, b) => (order.get(a.questionKey) ?? 0) - (order.get(b.questionKey) ?? 0));
}

/** Scores answers, insisting they are valid: an invalid demo answer is a generator bug. */
export function scoreValid(definition: ScorecardDefinition, answers: Answer[], decision: DecisionUnderReview, verdict: Verdict): ScoredReview {
  const issues = checkAnswers(definition, answers, decision, verdict);
  if (issues.length > 0) throw new Error(`Demo review answers fail the scorecard: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  return scoreReview(definition, answers, decision, verdict);
}

/** The root cause a reviewer gives: the planted one when they found the agent's real error, else a plausible guess. */
export function causeFor(draw: Draw, decision: ReviewedDecision, verdict: Verdict, known: ReviewTruth): string | null {
  if (sameVerdict(decision, verdict)) return null;
  if (known.error && sameVerdict(verdict, known.truth)) return known.error.cause;
  return draw.pick(['missed_context', 'policy_knowledge_gap', 'attention_fatigue']);
}

/** Seconds on task: lognormal, longer for severe items and support tickets. */
export function timeOnTaskMs(draw: Draw, decision: ReviewedDecision, contentKind: string): number {
  const median = decision.workflowKind === 'support' ? 260 : contentKind === 'video' ? 170 : 70;
  const severe = decision.severity === 'critical' || decision.severity === 'high' ? 1.6 : 1;
  return Math.round(Math.max(15, draw.lognormal(median * severe, 0.45)) * 1000);
}

/** Median seconds a revealed item stays on screen, by harm type (the policy of its most severe label). */
const REVEAL_SECONDS: Record<string, number> = {
  child_safety: 6, violent_graphic: 16, violent_extremism: 20, self_harm: 14, adult_nudity: 10, hate_speech: 22, harassment: 22,
};

export interface ExposureDraft {
  event: 'view' | 'reveal';
  seconds: number;
  /** Ms after the review started. */
  offsetMs: number;
}

/** A view for every review, and a reveal of blurred severe content most of the time. */
export function exposureFor(draw: Draw, harmType: string, severity: string | null, timeMs: number): ExposureDraft[] {
  const view = Math.round(Math.max(3, (timeMs / 1000) * (0.5 + 0.4 * draw.u())) * 10) / 10;
  const out: ExposureDraft[] = [{ event: 'view', seconds: view, offsetMs: 0 }];
  const revealChance = severity === 'critical' || severity === 'high' ? 0.7 : severity === 'medium' ? 0.25 : 0;
  if (revealChance > 0 && draw.chance(revealChance)) {
    const seconds = Math.round(Math.max(1, draw.lognormal(REVEAL_SECONDS[harmType] ?? 15, 0.5)) * 10) / 10;
    out.push({ event: 'reveal', seconds, offsetMs: Math.round(draw.u() * timeMs * 0.3) });
  }
  return out;
}

/** What agents, reviewers, arbiters and policy SMEs write. */
export const DISPUTE_REASONS = {
  verdict: [
    'The content is satirical and does not target anyone; the policy allows it.',
    'I applied the label the policy examples show for exactly this case.',
    'The action follows the strike history shown in the tool at the time.',
    'This is news reporting / counter-speech, which the policy exempts.',
  ],
  process: ['I did follow the escalation steps; the note is in the ticket history.', 'The reason code I used is the one the team lead told us to use.'],
};
export const OUTCOME_REASONS = {
  upheld: ['The finding stands: the policy text is clear on this case.', 'Checked against the policy version in force: the QA verdict is right.'],
  overturned: ['The agent is right: the exemption applies. Score corrected.', 'QA misread the context; the agent\'s decision was correct.'],
  partly: ['The decision finding stands, the process finding does not.', 'Partly agreed: the process step was followed, the rest stands.'],
};
export const AGENT_COMMENTS = ['Thanks, understood.', 'Got it, I missed the context there.', 'Could you point me to the policy section?', 'Noted for next time.'];
export const REVIEWER_REPLIES = ['See section 3 of the policy, with the examples.', 'Happy to go through it in the next coaching session.', 'Thanks for checking.'];
export const ESCALATION_NOTES = [
  'The policy does not say whether this kind of borderline content counts as a violation.',
  'Two readings of the guideline give different actions here; please clarify.',
  'Unclear whether the newsworthiness exception applies to this item.',
];
export const ESCALATION_ANSWERS = [
  'Treat it as a violation: the intent test in section 2 applies. The guideline will get an example.',
  'Not a violation: the exception applies. We will add this case to the policy examples.',
  'Use the lighter action for first occurrences; the policy team is clarifying the wording.',
];

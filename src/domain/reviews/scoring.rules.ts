import type { FieldIssue } from '../errors.ts';
import type { Answer, ErrorType, Question, ScoredReview, ScorecardDefinition, Verdict } from './scorecard.types.ts';

/**
 * Scoring a review, pure. The "correct label" and "correct action"
 * questions are not opinions the reviewer types in: they follow from the
 * reviewer's own verdict (recorded blind, before the agent's decision is
 * shown) compared with the agent's decision, so the QA verdict, the score and
 * the error types can never disagree. Every other question is answered.
 *
 * Score = 100 x earned / possible over applicable weighted questions; a
 * failed critical question makes it 0 (auto-fail). Error types come from the
 * failed questions: label errors are typed by direction (false positive =
 * actioned what did not violate, false negative = missed a violation, wrong
 * policy = both violating but different labels).
 */

export interface DecisionUnderReview {
  labels: string[];
  action: string;
}

/** Labels compared as sets: order and repeats do not matter (['a', 'a'] is not ['a', 'b']). */
function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

export function labelErrorType(decision: DecisionUnderReview, verdict: Verdict): ErrorType | null {
  if (sameSet(decision.labels, verdict.labels)) return null;
  if (decision.labels.length > 0 && verdict.labels.length === 0) return 'false_positive';
  if (decision.labels.length === 0 && verdict.labels.length > 0) return 'false_negative';
  return 'wrong_policy';
}

function allQuestions(definition: ScorecardDefinition): Question[] {
  return definition.sections.flatMap((s) => s.questions);
}

/** Checks the answers against the scorecard; every problem at /answers/<questionKey>/... */
export function checkAnswers(definition: ScorecardDefinition, answers: Answer[], decision: DecisionUnderReview, verdict: Verdict): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const questions = new Map(allQuestions(definition).map((q) => [q.key, q]));
  const given = new Map<string, Answer>();
  answers.forEach((answer, i) => {
    if (!questions.has(answer.questionKey)) issues.push({ path: `/answers/${i}/questionKey`, message: `No question "${answer.questionKey}" on this scorecard version.` });
    else if (given.has(answer.questionKey)) issues.push({ path: `/answers/${i}/questionKey`, message: 'Answered twice.' });
    else given.set(answer.questionKey, answer);
  });
  const rootCauses = new Set(definition.rootCauses.map((r) => r.key));
  for (const question of questions.values()) {
    const path = `/answers/${question.key}`;
    const answer = given.get(question.key);
    const failed = isFailed(question, answer, decision, verdict);
    if (question.kind !== 'correct_label' && question.kind !== 'correct_action') {
      if (!answer) {
        issues.push({ path: `${path}/value`, message: `Answer "${question.text}".` });
        continue;
      }
      const v = answer.value;
      if (question.kind === 'yes_no' && !(v === 'yes' || v === 'no' || (v === 'na' && question.allowNotApplicable))) {
        issues.push({ path: `${path}/value`, message: question.allowNotApplicable ? 'Yes, no or N/A.' : 'Yes or no.' });
      }
      if (question.kind === 'choice' && !question.options?.some((o) => o.key === v)) issues.push({ path: `${path}/value`, message: 'Pick one of the options.' });
      if (question.kind === 'scale' && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5)) issues.push({ path: `${path}/value`, message: 'A whole number from 1 to 5.' });
    }
    if (failed && definition.commentRequiredOnFail && !(answer?.comment && answer.comment.trim().length > 0)) {
      issues.push({ path: `${path}/comment`, message: 'Say what was wrong: a comment is required when a question fails.' });
    }
    if (answer?.rootCause !== undefined && answer.rootCause !== null && !rootCauses.has(answer.rootCause)) {
      issues.push({ path: `${path}/rootCause`, message: 'Not one of this scorecard\'s root-cause categories.' });
    }
    if (answer?.comment !== undefined && answer.comment.length > 4000) issues.push({ path: `${path}/comment`, message: 'At most 4000 characters.' });
  }
  return issues;
}

function isFailed(question: Question, answer: Answer | undefined, decision: DecisionUnderReview, verdict: Verdict): boolean {
  switch (question.kind) {
    case 'correct_label':
      return !sameSet(decision.labels, verdict.labels);
    case 'correct_action':
      return decision.action !== verdict.action;
    case 'yes_no':
      return answer?.value === 'no';
    case 'choice':
      return (question.options?.find((o) => o.key === answer?.value)?.credit ?? 1) < 1;
    case 'scale':
      return typeof answer?.value === 'number' && answer.value <= (question.failAtOrBelow ?? 2);
  }
}

function credit(question: Question, answer: Answer | undefined, failed: boolean): number | null {
  switch (question.kind) {
    case 'correct_label':
    case 'correct_action':
      return failed ? 0 : 1;
    case 'yes_no':
      return answer?.value === 'na' ? null : answer?.value === 'yes' ? 1 : 0;
    case 'choice':
      return question.options?.find((o) => o.key === answer?.value)?.credit ?? 0;
    case 'scale':
      return typeof answer?.value === 'number' ? (answer.value - 1) / 4 : 0;
  }
}

/** Scores answers that passed checkAnswers. */
export function scoreReview(definition: ScorecardDefinition, answers: Answer[], decision: DecisionUnderReview, verdict: Verdict): ScoredReview {
  const given = new Map(answers.map((a) => [a.questionKey, a]));
  let earned = 0;
  let possible = 0;
  let criticalFailed = false;
  const errorTypes = new Set<ErrorType>();
  const rootCauses = new Set<string>();
  const failedQuestions: string[] = [];
  const breakdown: ScoredReview['breakdown'] = [];
  for (const question of allQuestions(definition)) {
    const answer = given.get(question.key);
    const failed = isFailed(question, answer, decision, verdict);
    const c = credit(question, answer, failed);
    if (c !== null) {
      earned += c * question.weight;
      possible += question.weight;
    }
    breakdown.push({ questionKey: question.key, earned: c === null ? null : c * question.weight, possible: c === null ? 0 : question.weight, failed });
    if (!failed) continue;
    failedQuestions.push(question.key);
    if (question.critical) criticalFailed = true;
    if (answer?.rootCause) rootCauses.add(answer.rootCause);
    if (question.kind === 'correct_label') {
      const type = labelErrorType(decision, verdict);
      if (type) errorTypes.add(type);
    } else if (question.kind === 'correct_action') errorTypes.add('wrong_action');
    else if (question.errorType) errorTypes.add(question.errorType);
  }
  const raw = possible === 0 ? 100 : (100 * earned) / possible;
  const score = criticalFailed ? 0 : Math.round(raw * 100) / 100;
  return {
    score,
    passed: !criticalFailed && score >= definition.passMark,
    criticalFailed,
    errorTypes: [...errorTypes].sort(),
    rootCauses: [...rootCauses].sort(),
    failedQuestions,
    correct: sameSet(decision.labels, verdict.labels) && decision.action === verdict.action,
    breakdown,
  };
}

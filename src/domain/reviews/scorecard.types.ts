/**
 * A scorecard: the versioned form a QA reviewer fills in for one decision.
 * Validated by scorecard.rules.ts, scored by scoring.rules.ts.
 */

export const ERROR_TYPES = ['false_positive', 'false_negative', 'wrong_policy', 'wrong_action', 'process'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export const ERROR_TYPE_LABELS: Record<ErrorType, string> = {
  false_positive: 'False positive (over-enforcement)',
  false_negative: 'False negative (under-enforcement)',
  wrong_policy: 'Wrong policy or label',
  wrong_action: 'Wrong action or severity',
  process: 'Process or technical error',
};

export const QUESTION_KINDS = ['correct_label', 'correct_action', 'yes_no', 'choice', 'scale'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface ChoiceOption {
  key: string;
  label: string;
  /** Share of the question's weight this option earns, 0..1. */
  credit: number;
}

export interface Question {
  /** Stable within the scorecard's versions, lower snake case. */
  key: string;
  text: string;
  /** Guidance shown to the reviewer. */
  help?: string;
  kind: QuestionKind;
  /** Relative weight in the score (0 = informational). */
  weight: number;
  /** A failed critical question fails the whole review (score 0, "auto-fail"). */
  critical: boolean;
  /** yes_no only: whether N/A is an allowed answer (excluded from the score). */
  allowNotApplicable?: boolean;
  /** choice only. */
  options?: ChoiceOption[];
  /** scale (1..5) only: answers at or below this count as failed (for comments and error typing). */
  failAtOrBelow?: number;
  /** The error type a failed answer records (correct_label and correct_action derive theirs). */
  errorType?: ErrorType;
  /** Single-key shortcuts are assigned by the workspace; this overrides the question's number key. */
  shortcut?: string;
}

export interface Section {
  key: string;
  title: string;
  questions: Question[];
}

export interface RootCauseCategory {
  key: string;
  label: string;
}

export interface ScorecardDefinition {
  sections: Section[];
  /** Offered when a question fails: why the error happened. */
  rootCauses: RootCauseCategory[];
  /** A failed question must carry a comment. */
  commentRequiredOnFail: boolean;
  /** Score at or above which a review passes (0..100), unless a critical question failed. */
  passMark: number;
}

/** One answer. `value` by kind: correct_label / correct_action / yes_no: 'yes' | 'no' | 'na'; choice: option key; scale: 1..5. */
export interface Answer {
  questionKey: string;
  value: string | number;
  comment?: string;
  rootCause?: string;
}

/** The reviewer's own verdict on the item: the reference label and action for metrics. */
export interface Verdict {
  labels: string[];
  action: string;
}

export interface ScoredReview {
  /** 0..100, rounded to 2 decimals; 0 when a critical question failed. */
  score: number;
  passed: boolean;
  criticalFailed: boolean;
  /** Distinct error types of the failed questions, plus those derived from verdict vs decision. */
  errorTypes: ErrorType[];
  rootCauses: string[];
  failedQuestions: string[];
  /** The agent's decision equals the QA verdict (labels and action). */
  correct: boolean;
  /** Per question: earned and possible points (null when not applicable). */
  breakdown: Array<{ questionKey: string; earned: number | null; possible: number; failed: boolean }>;
}

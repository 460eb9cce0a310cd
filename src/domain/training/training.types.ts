/**
 * Response shapes shared by the training services and the web UI.
 * Declarations only: this module imports nothing (the architecture test checks),
 * so the web can import it without pulling server code into the browser bundle.
 * Every date here travels as an ISO string.
 */

export interface AssessmentSettings {
  passMark: number;
  timeLimitMinutes: number | null;
  attemptsAllowed: number | null;
  formSize: number | null;
  randomiseItems: boolean;
  randomiseOptions: boolean;
}

/** The assessment of a learner's own enrolment, as "My learning" shows it. */
export interface AssessmentSummary {
  id: string;
  passMark: number;
  timeLimitMinutes: number | null;
  attemptsAllowed: number | null;
  attemptsUsed: number;
  attemptsLeft: number | null;
  formSize: number;
  openAttemptId: string | null;
  bestScore: number | null;
  passed: boolean;
  attempts: Array<{ id: string; number: number; status: string; startedAt: string; submittedAt: string | null; score: number | null; passed: boolean | null }>;
}

export interface AttemptResult {
  score: number;
  passed: boolean;
  pointsEarned: number;
  pointsPossible: number;
  passMark: number;
  /** Revealed only after submission. */
  answers: Array<{ itemId: string; selectedOptionIds: string[]; correctOptionIds: string[]; correct: boolean; explanation: string; knownAction: string | null }>;
  enrolmentCompleted: boolean;
}

/**
 * An assessment attempt as the learner sees it. Generic over the form item so
 * each side keeps its own item type (its case display comes from wellbeing).
 */
export interface AttemptView<Item> {
  id: string;
  enrolmentId: string;
  attemptNumber: number;
  status: 'in_progress' | 'submitted' | 'expired';
  startedAt: string;
  deadlineAt: string | null;
  /** Milliseconds left by the server's clock (null: no limit). */
  remainingMs: number | null;
  items: Item[];
  result: AttemptResult | null;
}

export interface Cohort {
  id: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  workflowId: string;
  workflowName: string;
  programId: string | null;
  programName: string | null;
  name: string;
  startDate: string;
  status: string;
  memberCount: number;
}

export interface Certification {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  workflowId: string;
  workflowKey: string;
  workflowName: string;
  policyId: string | null;
  policyName: string | null;
  name: string;
  description: string;
  validityDays: number;
  requiredCourseId: string;
  requiredCourseTitle: string;
  holdsOffWorkflow: boolean;
  status: 'active' | 'retired';
}

export interface CertificationCounts {
  vendorId: string;
  vendorName: string;
  certificationId: string;
  certificationName: string;
  valid: number;
  expiringSoon: number;
  expired: number;
  revoked: number;
}

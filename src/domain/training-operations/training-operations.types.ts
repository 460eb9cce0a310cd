/**
 * Shapes shared by the training-operations services and the web UI.
 * Declarations only: this module imports nothing (the architecture test checks).
 */

export type AttendanceStatus = 'present' | 'late' | 'absent' | 'excused';
export type ReminderKind = 'due_soon' | 'overdue';
export type GraduationOutcome = 'graduated' | 'extended' | 'exited';
export type GraduationReadiness = 'met' | 'not_yet' | 'credibly_not_met';
export type CohortSessionStatus = 'scheduled' | 'completed' | 'cancelled';
export type CoachingActionStatus = 'open' | 'done' | 'not_done' | 'cancelled';
export type TrainerCertificationKind = 'delivery' | 'coaching' | 'assessment' | 'nesting';

export interface Interval {
  estimate: number | null;
  lower: number;
  upper: number;
  x: number;
  n: number;
  confidence: number;
  method: string;
}

export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
}

export interface MeanInterval {
  mean: number | null;
  lower: number | null;
  upper: number | null;
  sd: number | null;
  n: number;
  confidence: number;
}

// Cohorts: schedule and attendance ------------------------------------------

export interface CohortSummary {
  id: string;
  name: string;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  siteName: string | null;
  workflowId: string;
  workflowName: string;
  startDate: string;
  status: string;
  members: number;
  sessions: number;
  sessionsCompleted: number;
  nextSessionAt: string | null;
  trainerNames: string[];
  hasNesting: boolean;
}

export interface CohortSession {
  id: string;
  cohortId: string;
  startsAt: string;
  endsAt: string;
  topic: string;
  location: string;
  trainerId: string | null;
  trainerName: string | null;
  courseId: string | null;
  courseTitle: string | null;
  status: CohortSessionStatus;
  completedAt: string | null;
  counts: Record<AttendanceStatus, number>;
}

export interface SessionRoster {
  session: CohortSession;
  cohort: { id: string; name: string; vendorName: string | null; siteName: string | null };
  roster: Array<{ personId: string; fullName: string | null; memberStatus: string; status: AttendanceStatus | null; note: string; recordedBy: string | null; recordedAt: string | null }>;
}

// Nesting ---------------------------------------------------------------------

export interface NestingSettings {
  startsOn: string;
  endsOn: string;
  minReviews: number;
  /** Accuracy (weighted) must reach this share... */
  accuracyTarget: number;
  /** ...and the critical error rate (weighted) stay at or below this one. */
  criticalErrorMax: number;
  /** estimate: the point estimate must meet each target; interval: the whole interval must. */
  evidence: 'estimate' | 'interval';
  updatedBy: string;
  updatedAt: string;
}

// Coaching --------------------------------------------------------------------

export interface CoachingAction {
  id: string;
  sessionId: string;
  description: string;
  ownerId: string;
  ownerName: string | null;
  followUpOn: string;
  status: CoachingActionStatus;
  overdue: boolean;
  followUpNote: string;
  followedUpAt: string | null;
  followedUpBy: string | null;
}

export interface CoachingSummary {
  id: string;
  personId: string;
  personName: string | null;
  coachId: string;
  coachName: string | null;
  vendorId: string;
  heldOn: string;
  topic: string;
  errorTypes: string[];
  rootCauses: string[];
  acknowledgedAt: string | null;
  actionsOpen: number;
  actionsOverdue: number;
  reviewCount: number;
}

/** A review a coaching session is (or can be) linked to. */
export interface LinkedReview {
  id: string;
  submittedAt: string;
  score: number;
  correct: boolean;
  criticalFailed: boolean;
  errorTypes: string[];
  rootCauses: string[];
  qaLabels: string[];
  qaAction: string;
}

export interface CoachingDetail extends CoachingSummary {
  notes: string;
  workflowId: string | null;
  createdBy: string;
  createdAt: string;
  reviews: LinkedReview[];
  actions: CoachingAction[];
  canAcknowledge: boolean;
}

// Trainers --------------------------------------------------------------------

export interface TrainerSummary {
  personId: string;
  fullName: string;
  jobRole: string;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  siteName: string | null;
  workflowIds: string[];
  specialities: string[];
  languages: string[];
  bio: string;
  status: 'active' | 'inactive';
  certificationsValid: number;
  observations: number;
  lastObservedOn: string | null;
  meanObservation: number | null;
  cohorts: number;
}

// Surveys ---------------------------------------------------------------------

export interface SurveyInvitation {
  id: string;
  surveyId: string;
  surveyName: string;
  contextLabel: string;
  sentAt: string;
  respondedOn: string | null;
}

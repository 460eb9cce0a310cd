/**
 * Query hooks for training operations: cohorts (schedule, attendance, nesting
 * and graduation), coaching, trainers, reaction surveys and overdue training.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AttendanceStatus,
  CoachingAction,
  CoachingActionStatus,
  CoachingDetail,
  CoachingSummary,
  CohortSession,
  CohortSessionStatus,
  CohortSummary,
  Estimate,
  GraduationOutcome,
  GraduationReadiness,
  Interval,
  LinkedReview,
  MeanInterval,
  NestingSettings,
  SessionRoster,
  SurveyInvitation,
  TrainerCertificationKind,
  TrainerSummary,
} from '../../../src/domain/training-operations/training-operations.types.ts';
import { api, apiRequest, type QueryParams } from './client';

export type { AttendanceStatus, CoachingActionStatus, GraduationOutcome, GraduationReadiness, Interval, Estimate, MeanInterval };
export type { CoachingAction, CoachingDetail, CoachingSummary, CohortSession, CohortSummary, LinkedReview, NestingSettings, SessionRoster, SurveyInvitation, TrainerSummary };

const BASE = '/training-operations';
const put = <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body });

export interface CohortOperations {
  cohort: Omit<CohortSummary, 'members' | 'sessions' | 'sessionsCompleted' | 'nextSessionAt' | 'trainerNames' | 'hasNesting'>;
  trainers: Array<{ personId: string; fullName: string | null; role: 'lead' | 'co' }>;
  sessions: CohortSession[];
  members: Array<{ personId: string; fullName: string | null; memberStatus: string; hireDate: string; attendance: Interval & { excused: number; late: number } }>;
  attendance: Interval;
}

export interface MemberNesting {
  personId: string;
  fullName: string | null;
  memberStatus: string;
  accuracy: Estimate;
  criticalErrorRate: Estimate;
  evaluation: { status: GraduationReadiness; accuracy: string; criticalErrors: string; enoughReviews: boolean; reasons: string[] };
  latestDecision: { outcome: GraduationOutcome; decidedOn: string; decidedBy: string; note: string } | null;
}

export interface NestingProgress {
  cohortId: string;
  workflowId: string;
  settings: NestingSettings | null;
  from: string | null;
  to: string | null;
  confidence: number;
  members: MemberNesting[];
  counts: { met: number; notYet: number; crediblyNotMet: number };
}

export const opsKeys = {
  all: ['training-operations'] as const,
  cohorts: (params: QueryParams) => ['training-operations', 'cohorts', params] as const,
  cohort: (id: string) => ['training-operations', 'cohort', id] as const,
  nesting: (id: string) => ['training-operations', 'nesting', id] as const,
  session: (id: string) => ['training-operations', 'session', id] as const,
  coaching: (params: QueryParams) => ['training-operations', 'coaching', params] as const,
  coachingOne: (id: string) => ['training-operations', 'coaching-one', id] as const,
};

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: opsKeys.all });
}

export function useOpsCohorts(params: QueryParams = {}) {
  return useQuery({ queryKey: opsKeys.cohorts(params), queryFn: ({ signal }) => api.get<{ items: CohortSummary[] }>(`${BASE}/cohorts`, params, signal) });
}

export function useCohortOperations(id: string | undefined) {
  return useQuery({ queryKey: opsKeys.cohort(id ?? ''), queryFn: ({ signal }) => api.get<CohortOperations>(`${BASE}/cohorts/${id}`, undefined, signal), enabled: Boolean(id) });
}

export function useNestingProgress(id: string | undefined) {
  return useQuery({ queryKey: opsKeys.nesting(id ?? ''), queryFn: ({ signal }) => api.get<NestingProgress>(`${BASE}/cohorts/${id}/nesting`, undefined, signal), enabled: Boolean(id) });
}

export function useSessionRoster(id: string | undefined) {
  return useQuery({ queryKey: opsKeys.session(id ?? ''), queryFn: ({ signal }) => api.get<SessionRoster>(`${BASE}/sessions/${id}`, undefined, signal), enabled: Boolean(id) });
}

export interface SessionBody {
  startsAt: string;
  endsAt: string;
  topic: string;
  location?: string;
  trainerId?: string | null;
  courseId?: string | null;
}

export function useScheduleSession(cohortId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: SessionBody) => api.post<CohortSession>(`${BASE}/cohorts/${cohortId}/sessions`, body), onSuccess: invalidate });
}

export function useUpdateSession(sessionId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Partial<SessionBody> & { status?: CohortSessionStatus }) => api.patch<CohortSession & { surveyInvitations: number }>(`${BASE}/sessions/${sessionId}`, body),
    onSuccess: invalidate,
  });
}

export function useRecordAttendance(sessionId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (records: Array<{ personId: string; status: AttendanceStatus; note?: string }>) => put<SessionRoster>(`${BASE}/sessions/${sessionId}/attendance`, { records }),
    onSuccess: invalidate,
  });
}

export function useSetTrainers(cohortId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (trainers: Array<{ personId: string; role: 'lead' | 'co' }>) => put<CohortOperations>(`${BASE}/cohorts/${cohortId}/trainers`, { trainers }), onSuccess: invalidate });
}

export function useSetNesting(cohortId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Omit<NestingSettings, 'updatedBy' | 'updatedAt'>) => put<NestingSettings>(`${BASE}/cohorts/${cohortId}/nesting`, body),
    onSuccess: invalidate,
  });
}

export function useGraduate(cohortId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { personId: string; outcome: GraduationOutcome; note?: string }) => api.post<MemberNesting>(`${BASE}/cohorts/${cohortId}/graduations`, body),
    onSuccess: invalidate,
  });
}

// Coaching

export interface CoachingBody {
  personId: string;
  coachId?: string;
  heldOn: string;
  topic: string;
  notes?: string;
  reviewIds?: string[];
  errorTypes?: string[];
  rootCauses?: string[];
  actions?: Array<{ description: string; ownerId: string; followUpOn: string }>;
}

export function useCoachingList(params: QueryParams, mine = false) {
  return useQuery({
    queryKey: opsKeys.coaching({ ...params, mine }),
    queryFn: ({ signal }) => api.get<{ items: CoachingSummary[]; total: number }>(mine ? `${BASE}/coaching/mine` : `${BASE}/coaching`, mine ? undefined : params, signal),
  });
}

export function useCoaching(id: string | undefined) {
  return useQuery({ queryKey: opsKeys.coachingOne(id ?? ''), queryFn: ({ signal }) => api.get<CoachingDetail>(`${BASE}/coaching/${id}`, undefined, signal), enabled: Boolean(id) });
}

export function useFollowUps(until: string) {
  return useQuery({
    queryKey: [...opsKeys.all, 'follow-ups', until],
    queryFn: ({ signal }) => api.get<{ items: Array<CoachingAction & { personName: string | null; coachName: string | null; heldOn: string; topic: string }> }>(`${BASE}/coaching/follow-ups`, { until }, signal),
  });
}

export function useCoachingCandidates(personId: string | null) {
  return useQuery({
    queryKey: [...opsKeys.all, 'candidates', personId],
    queryFn: ({ signal }) => api.get<{ items: LinkedReview[] }>(`${BASE}/people/${personId}/coaching-candidates`, undefined, signal),
    enabled: Boolean(personId),
  });
}

export function useRecordCoaching() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CoachingBody) => api.post<CoachingDetail>(`${BASE}/coaching`, body), onSuccess: invalidate });
}

export function useFollowUpAction() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status: CoachingActionStatus; note?: string; followUpOn?: string }) => api.patch<CoachingAction>(`${BASE}/coaching-actions/${id}`, body),
    onSuccess: invalidate,
  });
}

export function useAcknowledgeCoaching(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.post<CoachingDetail>(`${BASE}/coaching/${id}/acknowledge`), onSuccess: invalidate });
}

// Trainers

export interface TrainerDetail extends TrainerSummary {
  certifications: Array<{ id: string; kind: TrainerCertificationKind; workflowId: string | null; workflowName: string | null; awardedOn: string; expiresOn: string | null; state: string; notes: string; awardedBy: string }>;
  observationRecords: Array<{
    id: string; observerId: string; observerName: string | null; cohortSessionId: string | null; sessionTopic: string | null; observedOn: string;
    scores: Array<{ key: string; label: string; score: number }>; overall: number; strengths: string; improvements: string; notes: string; recordedBy: string;
  }>;
  rubric: Array<{ key: string; label: string }>;
}

export function useTrainers() {
  return useQuery({ queryKey: [...opsKeys.all, 'trainers'], queryFn: ({ signal }) => api.get<{ items: TrainerSummary[] }>(`${BASE}/trainers`, undefined, signal) });
}

export function useTrainer(personId: string | undefined) {
  return useQuery({ queryKey: [...opsKeys.all, 'trainer', personId], queryFn: ({ signal }) => api.get<TrainerDetail>(`${BASE}/trainers/${personId}`, undefined, signal), enabled: Boolean(personId) });
}

export function useSaveTrainer(personId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { workflowIds?: string[]; specialities?: string[]; languages?: string[]; bio?: string; status?: 'active' | 'inactive' }) => put<TrainerDetail>(`${BASE}/trainers/${personId}`, body),
    onSuccess: invalidate,
  });
}

export function useRecordObservation(personId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { observedOn: string; cohortSessionId?: string | null; scores: Array<{ key: string; score: number }>; strengths?: string; improvements?: string; notes?: string }) =>
      api.post<TrainerDetail>(`${BASE}/trainers/${personId}/observations`, body),
    onSuccess: invalidate,
  });
}

export function useAwardTrainerCertification(personId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { kind: TrainerCertificationKind; workflowId?: string | null; awardedOn: string; expiresOn?: string | null; notes?: string }) =>
      api.post<TrainerDetail>(`${BASE}/trainers/${personId}/certifications`, body),
    onSuccess: invalidate,
  });
}

// Surveys

export interface SurveyItem {
  key: string;
  text: string;
  kind: 'likert' | 'text';
}

export interface SurveyDefinition {
  id: string;
  name: string;
  description: string;
  items: SurveyItem[];
  minGroupSize: number;
  status: string;
  createdAt: string;
  /** The course this survey follows; null for the general survey sent after any other training. */
  courseId: string | null;
  courseTitle: string | null;
}

export interface SurveyBody {
  name: string;
  description?: string;
  courseId?: string | null;
  items: SurveyItem[];
  minGroupSize?: number;
}

export function useCreateSurvey() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: SurveyBody) => api.post<SurveyDefinition>(`${BASE}/surveys`, body), onSuccess: invalidate });
}

export interface SurveyResults {
  survey: SurveyDefinition;
  by: string;
  from: string;
  to: string;
  invited: number;
  responded: number;
  groups: Array<{
    groupId: string | null;
    groupName: string | null;
    n: number;
    suppressed: boolean;
    overall: MeanInterval | null;
    items: Array<MeanInterval & { key: string; text: string; distribution: number[]; agreeShare: number | null }>;
    comments: Array<{ key: string; text: string }>;
  }>;
}

export function useSurveys() {
  return useQuery({ queryKey: [...opsKeys.all, 'surveys'], queryFn: ({ signal }) => api.get<{ items: SurveyDefinition[] }>(`${BASE}/surveys`, undefined, signal) });
}

export function useSurveyResults(surveyId: string | null, by: string) {
  return useQuery({
    queryKey: [...opsKeys.all, 'survey-results', surveyId, by],
    queryFn: ({ signal }) => api.get<SurveyResults>(`${BASE}/surveys/${surveyId}/results`, { by }, signal),
    enabled: Boolean(surveyId),
  });
}

export function useMySurveys() {
  return useQuery({ queryKey: [...opsKeys.all, 'my-surveys'], queryFn: ({ signal }) => api.get<{ items: SurveyInvitation[] }>(`${BASE}/surveys/mine`, undefined, signal) });
}

export function useSurveyInvitation(id: string | undefined) {
  return useQuery({
    queryKey: [...opsKeys.all, 'invitation', id],
    queryFn: ({ signal }) => api.get<SurveyInvitation & { items: SurveyItem[]; anonymityNote: string }>(`${BASE}/survey-invitations/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useRespondToSurvey(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { ratings: Record<string, number>; comments?: Record<string, string> }) => api.post<SurveyInvitation>(`${BASE}/survey-invitations/${id}/response`, body),
    onSuccess: invalidate,
  });
}

// Overdue

export interface OverdueSummary {
  by: string;
  asOf: string;
  overall: { comeDue: number; overdue: number; overdueRate: Interval };
  groups: Array<{ groupId: string; groupName: string | null; vendorName: string | null; comeDue: number; overdue: number; completedLate: number; openNotDue: number; overdueRate: Interval }>;
}

export interface OverdueEnrolment {
  enrolmentId: string;
  personId: string;
  fullName: string;
  vendorName: string | null;
  siteName: string | null;
  courseTitle: string;
  dueAt: string;
  daysOverdue: number;
  status: string;
  lastReminderOn: string | null;
}

export function useOverdue(by: 'vendor' | 'site') {
  return useQuery({ queryKey: [...opsKeys.all, 'overdue', by], queryFn: ({ signal }) => api.get<OverdueSummary>(`${BASE}/overdue`, { by }, signal) });
}

export function useOverdueList(params: QueryParams) {
  return useQuery({
    queryKey: [...opsKeys.all, 'overdue-list', params],
    queryFn: ({ signal }) => api.get<{ items: OverdueEnrolment[]; total: number }>(`${BASE}/overdue/enrolments`, params, signal),
  });
}

/** "93.5% (88.1–96.6%)" for a share with its interval. */
export function formatShare(value: number | null | undefined, lower?: number | null, upper?: number | null): string {
  if (value === null || value === undefined) return '—';
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return lower !== null && lower !== undefined && upper !== null && upper !== undefined ? `${pct(value)} (${pct(lower)}–${pct(upper)})` : pct(value);
}

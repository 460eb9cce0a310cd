/**
 * Query hooks for training (issue 7): content (programs, courses, versions,
 * modules, assessments), enrolment and cohorts, certifications, completion,
 * item analysis, and the learner's own "My learning". Every write
 * invalidates the whole training cache: these screens are small.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, type QueryParams } from './client';
import type { WellbeingProtections, WorkspaceContent } from './review';
import type {
  AssessmentSettings,
  AssessmentSummary,
  AttemptResult,
  AttemptView as SharedAttemptView,
  Certification,
  CertificationCounts,
  Cohort,
} from '../../../src/domain/training/training.types.ts';
import type { Interval } from '../../../src/domain/training-operations/training-operations.types.ts';

export type { AssessmentSettings, AssessmentSummary, AttemptResult, Certification, CertificationCounts, Cohort, Interval };

export type PhaseKind = 'classroom' | 'nesting' | 'production';
export interface Program {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  workflowId: string;
  workflowName: string;
  kind: 'new_hire' | 'continuous';
  name: string;
  description: string;
  status: 'active' | 'retired';
  phases: Array<{ id: string; position: number; kind: PhaseKind; name: string; durationDays: number; description: string }>;
}

export interface Course {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  workflowId: string;
  workflowName: string;
  programId: string | null;
  programName: string | null;
  programPhaseId: string | null;
  title: string;
  status: 'active' | 'retired';
  publishedVersion: { id: string; version: number; publishedAt: string } | null;
  draftVersion: { id: string; version: number } | null;
}

export interface PolicyExcerpt {
  policyVersionId: string;
  policyKey: string;
  policyName: string;
  version: number;
  quote: string;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

export interface CourseModule {
  id: string;
  position: number;
  title: string;
  bodyMd: string;
  required: boolean;
  policyExcerpts: PolicyExcerpt[];
  attachments: Attachment[];
}

export type ItemKind = 'single' | 'multiple' | 'true_false' | 'case';
export interface ItemOption {
  id: string;
  text: string;
}
export interface CaseSnapshot {
  decisionId: string;
  externalId: string;
  workflowName: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  decidedAt: string;
  content: WorkspaceContent;
}
export interface BankItem {
  id: string;
  position: number;
  kind: ItemKind;
  stem: string;
  options: ItemOption[];
  correctOptionIds: string[];
  explanation: string;
  points: number;
  decisionId: string | null;
  caseSnapshot: (CaseSnapshot & { knownAction: string }) | null;
}

export interface Assessment extends AssessmentSettings {
  id: string;
  items: BankItem[];
}

export interface CourseVersion {
  id: string;
  courseId: string;
  courseTitle: string;
  vendorId: string | null;
  workflowId: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  title: string;
  summary: string;
  policyVersionIds: string[];
  publishedAt: string | null;
  modules: CourseModule[];
  assessment: Assessment | null;
  versions: Array<{ id: string; version: number; status: string; publishedAt: string | null }>;
}

export type EnrolmentStatus = 'assigned' | 'in_progress' | 'completed' | 'withdrawn';
export interface Enrolment {
  id: string;
  personId: string;
  personName: string;
  vendorName: string;
  siteName: string;
  courseId: string;
  courseTitle: string;
  courseVersion: number;
  source: 'person' | 'team' | 'cohort' | 'rule';
  cohortName: string | null;
  dueAt: string | null;
  status: EnrolmentStatus;
  overdue: boolean;
  completedAt: string | null;
  score: number | null;
}

export type AwardState = 'valid' | 'expiring_soon' | 'expired' | 'revoked';
export interface Award {
  id: string;
  certificationId: string;
  certificationName: string;
  workflowName: string;
  personId: string;
  personName: string;
  vendorName: string;
  siteName: string;
  source: 'assessment' | 'manual';
  awardedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  state: AwardState;
}

export interface CompletionRow {
  groupId: string;
  groupName: string | null;
  courseId: string;
  courseTitle: string;
  enrolled: number;
  completed: number;
  inProgress: number;
  overdue: number;
  completionRate: Interval;
  overdueRate: Interval;
}

export interface ItemStatistics {
  itemId: string;
  stem: string;
  kind: ItemKind;
  position: number;
  n: number;
  correct: number;
  facility: Interval;
  pointBiserial: number | null;
  upperLower: { index: number; groupSize: number } | null;
  flags: string[];
}

export interface MyEnrolment extends Enrolment {
  modules: Array<CourseModule & { viewedAt: string | null }>;
  modulesViewed: number;
  modulesRequired: number;
  canStartAssessment: boolean;
  assessment: AssessmentSummary | null;
}

export interface FormItem {
  id: string;
  kind: ItemKind;
  stem: string;
  options: ItemOption[];
  multiple: boolean;
  points: number;
  case: (CaseSnapshot & { display: WellbeingProtections }) | null;
}

export type AttemptView = SharedAttemptView<FormItem>;

const KEY = ['training'] as const;
const items = <T>(path: string, query?: QueryParams) => api.get<{ items: T[] }>(path, query).then((r) => r.items);

function useTrainingMutation<TBody, TResult>(fn: (body: TBody) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: KEY }) });
}

export const usePrograms = () => useQuery({ queryKey: [...KEY, 'programs'], queryFn: () => items<Program>('/training/programs') });
export const useCourses = () => useQuery({ queryKey: [...KEY, 'courses'], queryFn: () => items<Course>('/training/courses') });
export const useCourseVersion = (id: string) => useQuery({ queryKey: [...KEY, 'version', id], queryFn: () => api.get<CourseVersion>(`/training/course-versions/${id}`) });
export const useCohorts = () => useQuery({ queryKey: [...KEY, 'cohorts'], queryFn: () => items<Cohort>('/training/cohorts') });
export const useCertifications = () => useQuery({ queryKey: [...KEY, 'certifications'], queryFn: () => items<Certification>('/training/certifications') });
export const useAwards = (query: QueryParams = {}) => useQuery({ queryKey: [...KEY, 'awards', query], queryFn: () => items<Award>('/training/certification-awards', query) });
export const useCertificationOverview = () =>
  useQuery({ queryKey: [...KEY, 'overview'], queryFn: () => api.get<{ expiringSoonDays: number; rows: CertificationCounts[] }>('/training/certifications-overview') });
export const useCompletion = (groupBy: 'vendor' | 'site' | 'cohort' | 'trainer', courseId?: string) =>
  useQuery({ queryKey: [...KEY, 'completion', groupBy, courseId], queryFn: () => items<CompletionRow>('/training/completion', { groupBy, courseId }) });
export const useEnrolments = (query: QueryParams) =>
  useQuery({ queryKey: [...KEY, 'enrolments', query], queryFn: () => api.get<{ items: Enrolment[]; total: number }>('/training/enrolments', query) });
export const useItemAnalysis = (assessmentId: string) =>
  useQuery({ queryKey: [...KEY, 'analysis', assessmentId], queryFn: () => api.get<{ attempts: number; items: ItemStatistics[] }>(`/training/assessments/${assessmentId}/item-analysis`) });

export const useMyLearning = () => useQuery({ queryKey: [...KEY, 'my'], queryFn: () => api.get<{ linked: boolean; enrolments: Enrolment[]; certifications: Award[] }>('/training/my') });
export const useMyEnrolment = (id: string) => useQuery({ queryKey: [...KEY, 'my', id], queryFn: () => api.get<MyEnrolment>(`/training/my/enrolments/${id}`) });
export const useMyAttempt = (id: string) => useQuery({ queryKey: [...KEY, 'attempt', id], queryFn: () => api.get<AttemptView>(`/training/my/attempts/${id}`), staleTime: Infinity });

export const useCreateProgram = () => useTrainingMutation((body: unknown) => api.post<Program>('/training/programs', body));
export const useCreateCourse = () => useTrainingMutation((body: { title: string; workflowId: string; programId?: string | null; programPhaseId?: string | null }) => api.post<Course>('/training/courses', body));
export const useMoveCourse = (courseId: string) =>
  useTrainingMutation((body: { programId: string | null; programPhaseId: string | null }) => api.patch<Course>(`/training/courses/${courseId}`, body));
export const useNewDraft = () => useTrainingMutation((courseId: string) => api.post<CourseVersion>(`/training/courses/${courseId}/drafts`));
export const usePublish = () => useTrainingMutation((versionId: string) => api.post<CourseVersion>(`/training/course-versions/${versionId}/publish`));
export const useAddModule = (versionId: string) =>
  useTrainingMutation((body: { title: string; bodyMd: string; policyExcerpts?: Array<{ policyVersionId: string; quote: string }> }) => api.post<CourseModule>(`/training/course-versions/${versionId}/modules`, body));
export const useUpdateModule = () =>
  useTrainingMutation(({ id, ...body }: { id: string; title?: string; bodyMd?: string; policyExcerpts?: Array<{ policyVersionId: string; quote: string }> }) => api.patch<CourseModule>(`/training/modules/${id}`, body));
export const useDeleteModule = () => useTrainingMutation((id: string) => api.delete(`/training/modules/${id}`));
export const useAddAttachment = () =>
  useTrainingMutation(({ moduleId, ...body }: { moduleId: string; fileName: string; contentType: string; contentBase64: string }) => api.post<Attachment>(`/training/modules/${moduleId}/attachments`, body));
export const useSetAssessment = (versionId: string) =>
  useTrainingMutation((body: Partial<AssessmentSettings>) => apiRequest<Assessment>('PUT', `/training/course-versions/${versionId}/assessment`, { body }));
export const useAddItem = (versionId: string) =>
  useTrainingMutation((body: { kind: 'single' | 'multiple' | 'true_false'; stem: string; options?: ItemOption[]; correctOptionIds: string[]; explanation?: string }) =>
    api.post<BankItem>(`/training/course-versions/${versionId}/items`, body),
  );
export const useAddCaseItem = (versionId: string) =>
  useTrainingMutation((body: { decisionId: string; stem?: string; explanation?: string }) => api.post<BankItem>(`/training/course-versions/${versionId}/case-items`, body));
export const useUpdateItem = () =>
  useTrainingMutation(({ id, ...body }: { id: string; stem: string; options?: ItemOption[]; correctOptionIds: string[]; explanation?: string; points?: number }) =>
    api.patch<BankItem>(`/training/items/${id}`, body),
  );
export const useDeleteItem = () => useTrainingMutation((id: string) => api.delete(`/training/items/${id}`));
export const useAssign = () =>
  useTrainingMutation((body: { courseId: string; personIds?: string[]; teamId?: string; cohortId?: string; dueAt?: string | null }) =>
    api.post<{ created: number; alreadyEnrolled: number }>('/training/enrolments', body),
  );
export const useCreateCohort = () =>
  useTrainingMutation((body: { siteId: string; workflowId: string; name: string; startDate: string; memberIds?: string[]; programId?: string | null }) => api.post<Cohort>('/training/cohorts', body));
export const useCreateCertification = () =>
  useTrainingMutation((body: { workflowId: string; name: string; validityDays: number; requiredCourseId: string; holdsOffWorkflow: boolean; policyId?: string | null }) =>
    api.post<Certification>('/training/certifications', body),
  );
export const useRevokeAward = () => useTrainingMutation(({ id, reason }: { id: string; reason: string }) => api.post<Award>(`/training/certification-awards/${id}/revoke`, { reason }));

export const useViewModule = (enrolmentId: string) => useTrainingMutation((moduleId: string) => api.post<MyEnrolment>(`/training/my/enrolments/${enrolmentId}/modules/${moduleId}/view`));
export const useStartAttempt = () => useTrainingMutation((enrolmentId: string) => api.post<AttemptView>(`/training/my/enrolments/${enrolmentId}/attempts`));
export const useSubmitAttempt = (attemptId: string) =>
  useTrainingMutation((answers: Array<{ itemId: string; optionIds: string[] }>) => api.post<AttemptView>(`/training/my/attempts/${attemptId}/submit`, { answers }));

export interface EnrolmentRule {
  id: string;
  vendorName: string | null;
  siteName: string | null;
  workflowName: string;
  courseTitle: string;
  hiredOnOrAfter: string;
  dueDays: number;
  status: 'active' | 'inactive';
}
export const useEnrolmentRules = () => useQuery({ queryKey: [...KEY, 'rules'], queryFn: () => items<EnrolmentRule>('/training/enrolment-rules') });
export const useCreateRule = () =>
  useTrainingMutation((body: { workflowId: string; courseId: string; hiredOnOrAfter: string; dueDays: number }) =>
    api.post<{ rule: EnrolmentRule; enrolled: number }>('/training/enrolment-rules', body),
  );
export const useSetRuleStatus = () =>
  useTrainingMutation(({ id, status }: { id: string; status: 'active' | 'inactive' }) => api.patch<EnrolmentRule>(`/training/enrolment-rules/${id}`, { status }));

export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)}%`;
}

/**
 * The review workspace: one QA task with its decision, content, the policies
 * in force and the scorecard; the blind verdict, autosaved drafts, the
 * submission and the exposure records of what the reviewer was shown.
 *
 * The scorecard types are the server's own (src/domain/reviews/scorecard.types.ts).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export { ERROR_TYPE_LABELS } from '../../../src/domain/reviews/scorecard.types.ts';
export type { Answer, ChoiceOption, ErrorType, Question, QuestionKind, ScorecardDefinition, Section } from '../../../src/domain/reviews/scorecard.types.ts';
import type { Answer, ErrorType, ScorecardDefinition } from '../../../src/domain/reviews/scorecard.types.ts';

export interface Verdict {
  labels: string[];
  action: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Tier = Severity | 'none';

export interface WorkspaceLabel {
  key: string;
  name: string;
  severity: Severity | null;
  description: string | null;
}

export interface WorkspacePolicy {
  policyKey: string;
  policyName: string;
  versionId: string;
  version: number;
  effectiveFrom: string;
  /** The policy's text in the version in force when the decision was made. */
  summary: string | null;
  labels: WorkspaceLabel[];
  /** Enforcement action keys the version allows. */
  actions: string[];
}

export interface WorkspaceContent {
  kind: string;
  text: string | null;
  url: string | null;
  language: string | null;
}

export interface WorkspaceDecision {
  id: string;
  externalId: string;
  workflowId: string;
  workflowName: string;
  decidedAt: string;
  handleTimeMs: number | null;
  /** Null while blind: the reviewer has not recorded a verdict yet. */
  labels: string[] | null;
  action: string | null;
  severity: Severity | null;
  content: WorkspaceContent;
  metadata: Record<string, unknown> | null;
}

export interface WorkspaceContext {
  agentId: string;
  agentName: string | null;
  tenureDaysThen: number | null;
  vendorId: string;
  vendorName: string | null;
  siteId: string;
  siteName: string | null;
  teamId: string | null;
  teamName: string | null;
  agentDecisionsLast30Days: number | null;
}

/** The effective protections for this item (admin limits for its tier, then the reviewer's choices). */
export interface WellbeingProtections {
  tier: Tier;
  blur: boolean;
  greyscale: boolean;
  mute: boolean;
  warningScreen: boolean;
  adjustable: Array<'blur' | 'greyscale' | 'mute'>;
}

export interface ReviewDraft {
  verdict: Verdict | null;
  answers: Answer[];
  decisionRevealed: boolean;
  activeMs: number;
  scorecardVersionId: string;
  startedAt: string;
  updatedAt: string;
}

export interface Workspace {
  task: { id: string; status: string; dueAt: string; claimedAt: string | null; leaseExpiresAt: string | null };
  decision: WorkspaceDecision;
  context: WorkspaceContext;
  policies: WorkspacePolicy[];
  scorecard: { id: string; version: number; name: string; definition: ScorecardDefinition };
  blind: boolean;
  draft: ReviewDraft;
  wellbeing: WellbeingProtections;
}

export interface RecordedVerdict {
  verdict: Verdict;
  /** The verdict was given before the agent's decision was shown. */
  blind: boolean;
  decision: { labels: string[]; action: string; severity: Severity | null };
  draft: ReviewDraft;
}

export interface SubmittedReview {
  id: string;
  score: number;
  passed: boolean;
  criticalFailed?: boolean;
  correct?: boolean;
  errorTypes?: ErrorType[];
  escalationId?: string | null;
}

export interface SubmitBody {
  scorecardVersionId: string;
  verdict: Verdict;
  answers: Answer[];
  policyUnclear?: { note: string };
}

const path = (taskId: string, tail: string) => `/qa/tasks/${encodeURIComponent(taskId)}/${tail}`;

export const reviewKeys = {
  workspace: (taskId: string) => ['review', 'workspace', taskId] as const,
};

export function useWorkspace(taskId: string | undefined) {
  return useQuery({
    queryKey: reviewKeys.workspace(taskId ?? ''),
    queryFn: ({ signal }) => api.get<Workspace>(path(taskId!, 'workspace'), undefined, signal),
    enabled: Boolean(taskId),
    // A refetch would reset the reviewer's in-progress answers and re-count exposure.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function saveDraft(taskId: string, body: { answers: Answer[]; activeMsDelta: number }) {
  return apiRequest<ReviewDraft>('PUT', path(taskId, 'draft'), { body });
}

export function useRecordVerdict(taskId: string) {
  return useMutation({
    mutationFn: (verdict: Verdict) => api.post<RecordedVerdict>(path(taskId, 'verdict'), verdict),
  });
}

export function useSubmitReview(taskId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitBody) => api.post<SubmittedReview>(path(taskId, 'review'), body),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['qa'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

/** One view (seconds shown) or reveal of a decision's content, for the exposure record and the audit log. */
export function recordExposure(body: { decisionId: string; event: 'view' | 'reveal'; seconds: number }) {
  return api.post<unknown>('/exposure', body);
}

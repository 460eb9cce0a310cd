/**
 * Query hooks for scorecards: one per workflow, versioned. A draft is
 * editable; publishing it makes it the workflow's scorecard and retires the
 * previous version, which (like every published version) never changes.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

// The definition's shape is the server's own (a declarations-only module the web may import).
export { ERROR_TYPES, ERROR_TYPE_LABELS, QUESTION_KINDS } from '../../../src/domain/reviews/scorecard.types.ts';
export type { ChoiceOption, ErrorType, Question, QuestionKind, ScorecardDefinition, Section } from '../../../src/domain/reviews/scorecard.types.ts';
import type { QuestionKind, ScorecardDefinition } from '../../../src/domain/reviews/scorecard.types.ts';

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  correct_label: 'Correct label (from the verdict)',
  correct_action: 'Correct action (from the verdict)',
  yes_no: 'Yes / no',
  choice: 'Multiple choice',
  scale: 'Scale 1-5',
};

export type ScorecardStatus = 'draft' | 'published' | 'retired';

export interface ScorecardVersionSummary {
  id: string;
  workflowId: string;
  workflowName: string;
  version: number;
  status: ScorecardStatus;
  name: string;
  questionCount: number;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface ScorecardVersion extends ScorecardVersionSummary {
  definition: ScorecardDefinition;
  createdBy: string | null;
  publishedBy: string | null;
}

export interface WorkflowScorecard {
  workflowId: string;
  workflowKey: string;
  workflowName: string;
  workflowKind: 'moderation' | 'support';
  workflowStatus: 'active' | 'inactive';
  versions: number;
  published: { id: string; version: number; name: string; publishedAt: string | null } | null;
  draft: { id: string; version: number; name: string; updatedAt: string | null } | null;
}

const keys = {
  all: ['scorecards', 'list'] as const,
  versions: (workflowId: string) => ['scorecards', 'versions', workflowId] as const,
  version: (id: string) => ['scorecards', 'version', id] as const,
};

export function useScorecards() {
  return useQuery({
    queryKey: keys.all,
    queryFn: ({ signal }) => api.get<{ items: WorkflowScorecard[] }>('/scorecards', undefined, signal),
  });
}

export function useScorecardVersions(workflowId: string | undefined) {
  return useQuery({
    queryKey: keys.versions(workflowId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: ScorecardVersionSummary[] }>(`/scorecards/${encodeURIComponent(workflowId ?? '')}/versions`, undefined, signal),
    enabled: Boolean(workflowId),
  });
}

export function useScorecardVersion(id: string | undefined) {
  return useQuery({
    queryKey: keys.version(id ?? ''),
    queryFn: ({ signal }) => api.get<ScorecardVersion>(`/scorecard-versions/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

function useScorecardMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['scorecards'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

/** A new draft, copied from the published version or from the default scorecard of the workflow's kind. */
export const useCreateScorecardDraft = (workflowId: string) =>
  useScorecardMutation((body: { from?: 'published' | 'default'; name?: string }) =>
    api.post<ScorecardVersion>(`/scorecards/${encodeURIComponent(workflowId)}/versions`, body),
  );

export const useSaveScorecardDraft = () =>
  useScorecardMutation(({ id, body }: { id: string; body: { name: string; definition: ScorecardDefinition } }) =>
    apiRequest<ScorecardVersion>('PUT', `/scorecard-versions/${encodeURIComponent(id)}`, { body }),
  );

export const useDiscardScorecardDraft = () => useScorecardMutation((id: string) => api.delete(`/scorecard-versions/${encodeURIComponent(id)}`));

export const usePublishScorecardDraft = () =>
  useScorecardMutation((id: string) => api.post<ScorecardVersion>(`/scorecard-versions/${encodeURIComponent(id)}/publish`));

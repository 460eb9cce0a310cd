/**
 * Query hooks for calibration: sessions a lead manages (create, detail,
 * expert answers, invitations, close), the participant's blind scoring,
 * revealed results with everyone's answers and notes, trends, imports of
 * external ratings and export links.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CalibrationResults, ParticipantGroupKey, Share } from '../../../src/domain/calibration/calibration.types.ts';
import { api, apiRequest } from './client';
import type { Answer, ScorecardDefinition, Verdict, WellbeingProtections, WorkspaceContent } from './review';
import type { ListResponse } from './types';

export type { CalibrationResults, ParticipantGroupKey, Share };

export interface CalibrationSession {
  id: string;
  title: string;
  kind: 'scored' | 'imported';
  status: 'open' | 'closed';
  workflowId: string | null;
  workflowName: string | null;
  scorecardVersionId: string | null;
  ratingField: string | null;
  vendorId: string | null;
  vendorName: string | null;
  dueAt: string | null;
  overdue: boolean;
  createdByLabel: string;
  createdAt: string;
  closedAt: string | null;
  items: number;
  participants: number;
  submitted: number;
}

export interface MyCalibration extends CalibrationSession {
  ratedItems: number;
  submittedAt: string | null;
  /** Delegated to set the session's expert answers: does not rate it. */
  setsExpert: boolean;
}

export interface LabelOption {
  policyKey: string;
  policyName: string;
  labels: Array<{ key: string; name: string; severity: 'critical' | 'high' | 'medium' | 'low' }>;
}

export interface ActionOption {
  key: string;
  name: string;
}

export interface ExpertAnswer {
  labels: string[];
  action: string;
  answers: Record<string, string> | null;
  note: string;
}

export interface SessionDetail {
  session: CalibrationSession;
  labelOptions: LabelOption[];
  actionOptions: ActionOption[];
  scorecard: { id: string; version: number; name: string; definition: ScorecardDefinition } | null;
  items: Array<{
    id: string;
    position: number;
    source: 'decision' | 'gold' | 'upload' | 'imported';
    ref: string;
    decisionId: string | null;
    content: WorkspaceContent;
    severity: string | null;
    agentDecision: Verdict | null;
    expert: ExpertAnswer | null;
  }>;
  participants: Array<{
    id: string;
    personId: string | null;
    name: string;
    group: ParticipantGroupKey;
    vendorId: string | null;
    vendorName: string | null;
    ratedItems: number | null;
    submittedAt: string | null;
    setsExpert: boolean;
  }>;
}

/** The delegated policy SME's view: items under their protections, agent decisions, current expert answers. */
export interface ExpertView {
  session: CalibrationSession;
  participant: { id: string; group: ParticipantGroupKey };
  labelOptions: LabelOption[];
  actionOptions: ActionOption[];
  scorecard: { id: string; version: number; name: string; definition: ScorecardDefinition };
  items: Array<{
    id: string;
    position: number;
    ref: string;
    source: 'decision' | 'gold' | 'upload' | 'imported';
    content: WorkspaceContent;
    severity: string | null;
    wellbeing: WellbeingProtections;
    agentDecision: Verdict | null;
    expert: ExpertAnswer | null;
  }>;
}

export interface TakeItem {
  id: string;
  position: number;
  ref: string;
  content: WorkspaceContent;
  wellbeing: WellbeingProtections;
  hasAgentDecision: boolean;
  agentDecision: Verdict | null;
  myRating: { labels: string[]; action: string; answers: Answer[]; updatedAt: string } | null;
}

export interface TakeView {
  session: CalibrationSession;
  participant: { id: string; group: ParticipantGroupKey; ratedItems: number; submittedAt: string | null };
  labelOptions: LabelOption[];
  actionOptions: ActionOption[];
  scorecard: { id: string; version: number; name: string; definition: ScorecardDefinition };
  items: TakeItem[];
}

export interface ResultsResponse {
  session: CalibrationSession;
  canManage: boolean;
  results: CalibrationResults;
}

export interface AnswersResponse {
  total: number;
  items: Array<{
    id: string;
    position: number;
    ref: string;
    content: WorkspaceContent;
    severity: string | null;
    agentDecision: Verdict | null;
    expert: ExpertAnswer | null;
    ratings: Array<{ participantId: string; name: string; group: ParticipantGroupKey; label: string; labels: string[]; action: string | null; answers: Record<string, string> }>;
    notes: Array<{ id: string; authorLabel: string; body: string; createdAt: string }>;
  }>;
}

export interface CandidatePerson {
  personId: string;
  name: string;
  jobRole: string;
  vendorId: string;
  vendorName: string;
  group: ParticipantGroupKey;
}

export interface CandidateDecision {
  decisionId: string;
  externalId: string;
  decidedAt: string;
  vendorId: string;
  vendorName: string;
  severity: string | null;
  agentDecision: Verdict;
  review: { id: string; labels: string[]; action: string; correct: boolean };
}

export interface CandidateGold {
  goldItemId: string;
  severity: string | null;
  contentKind: string;
  expert: Verdict;
  rationale: string;
  createdAt: string;
}

export interface TrendPoint {
  sessionId: string;
  title: string;
  closedAt: string;
  workflowName: string | null;
  label: Share;
  action: Share | null;
}

export interface TrendSeries {
  key: string;
  name: string;
  kind: 'vendor' | 'person' | 'group';
  points: TrendPoint[];
}

export interface TrendsResponse {
  sessions: Array<{ sessionId: string; title: string; closedAt: string; workflowName: string | null; participants: number; items: number; label: CalibrationResults['label']; action: CalibrationResults['action'] }>;
  vendors: TrendSeries[];
  people: TrendSeries[];
  groups: TrendSeries[];
}

export interface CreateSessionBody {
  title: string;
  workflowId: string;
  dueAt?: string | null;
  vendorId?: string | null;
  items?: Array<{ source: 'decision' | 'gold'; id: string; expert?: { labels: string[]; action: string; note?: string } }>;
  itemsCsv?: string;
  participants?: Array<{ personId: string; group?: ParticipantGroupKey }>;
}

const keys = {
  all: ['calibration'] as const,
  session: (id: string) => ['calibration', 'session', id] as const,
};

export function useCalibrationSessions(query: { status?: 'open' | 'closed'; kind?: 'scored' | 'imported'; offset?: number }) {
  return useQuery({
    queryKey: ['calibration', 'sessions', query],
    queryFn: ({ signal }) => api.get<ListResponse<CalibrationSession>>('/calibration/sessions', { limit: 50, ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMyCalibrations(enabled = true) {
  return useQuery({
    queryKey: ['calibration', 'mine'],
    queryFn: ({ signal }) => api.get<ListResponse<MyCalibration>>('/calibration/mine', undefined, signal),
    enabled,
  });
}

export function useSessionDetail(id: string) {
  return useQuery({ queryKey: keys.session(id), queryFn: ({ signal }) => api.get<SessionDetail>(`/calibration/sessions/${id}`, undefined, signal) });
}

export function useExpertView(id: string) {
  return useQuery({ queryKey: ['calibration', 'expert', id], queryFn: ({ signal }) => api.get<ExpertView>(`/calibration/sessions/${id}/expert`, undefined, signal), retry: false });
}

export function useTakeView(id: string) {
  return useQuery({ queryKey: ['calibration', 'take', id], queryFn: ({ signal }) => api.get<TakeView>(`/calibration/sessions/${id}/take`, undefined, signal) });
}

export function useResults(id: string) {
  return useQuery({ queryKey: ['calibration', 'results', id], queryFn: ({ signal }) => api.get<ResultsResponse>(`/calibration/sessions/${id}/results`, undefined, signal), retry: false });
}

export function useAnswers(id: string, offset: number, enabled = true) {
  return useQuery({
    queryKey: ['calibration', 'answers', id, offset],
    queryFn: ({ signal }) => api.get<AnswersResponse>(`/calibration/sessions/${id}/answers`, { limit: 25, offset }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useCandidatePeople(q: string) {
  return useQuery({ queryKey: ['calibration', 'people', q], queryFn: ({ signal }) => api.get<CandidatePerson[]>('/calibration/candidates/people', { q: q || undefined }, signal) });
}

export function useCandidateDecisions(query: { workflowId: string | null; vendorId?: string | null; policy?: string; severity?: string | null; from?: string; to?: string }) {
  return useQuery({
    queryKey: ['calibration', 'decisions', query],
    queryFn: ({ signal }) => api.get<CandidateDecision[]>('/calibration/candidates/decisions', { ...query, limit: 100 }, signal),
    enabled: query.workflowId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useCandidateGold(workflowId: string | null) {
  return useQuery({
    queryKey: ['calibration', 'gold', workflowId],
    queryFn: ({ signal }) => api.get<CandidateGold[]>('/calibration/candidates/gold', { workflowId }, signal),
    enabled: workflowId !== null,
  });
}

export function useCalibrationTrends(workflowId: string | null) {
  return useQuery({ queryKey: ['calibration', 'trends', workflowId], queryFn: ({ signal }) => api.get<TrendsResponse>('/calibration/trends', { workflowId: workflowId ?? undefined }, signal) });
}

export function useCreateSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSessionBody) => api.post<SessionDetail>('/calibration/sessions', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useSetExpert(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, ...body }: { itemId: string; labels: string[]; action: string; note?: string }) =>
      apiRequest<ExpertAnswer>('PUT', `/calibration/sessions/${sessionId}/items/${itemId}/expert`, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.session(sessionId) });
      void client.invalidateQueries({ queryKey: ['calibration', 'expert', sessionId] });
    },
  });
}

/** The lead delegates setting the expert answers to an invited policy SME, or takes it back. */
export function useSetExpertDelegate(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ participantId, setsExpert }: { participantId: string; setsExpert: boolean }) =>
      api.patch<SessionDetail>(`/calibration/sessions/${sessionId}/participants/${participantId}`, { setsExpert }),
    onSuccess: (detail) => client.setQueryData(keys.session(sessionId), detail),
  });
}

export function useInvite(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (participants: Array<{ personId: string }>) => api.post<SessionDetail>(`/calibration/sessions/${sessionId}/participants`, { participants }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useCloseSession(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<CalibrationSession>(`/calibration/sessions/${sessionId}/close`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useSaveRating(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, ...body }: { itemId: string; labels: string[]; action: string; answers: Answer[] }) =>
      apiRequest<{ itemId: string; ratedItems: number; agentDecision: Verdict | null }>('PUT', `/calibration/sessions/${sessionId}/take/items/${itemId}`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['calibration', 'take', sessionId] }),
  });
}

export function useSubmitCalibration(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ submittedAt: string; ratedItems: number }>(`/calibration/sessions/${sessionId}/take/submit`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useAddNote(sessionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: string }) => api.post(`/calibration/sessions/${sessionId}/items/${itemId}/notes`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['calibration', 'answers', sessionId] }),
  });
}

export function useImportRatings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; csv: string; itemColumn?: string; raterColumn?: string; labelColumn?: string }) => api.post<ResultsResponse>('/calibration/imports', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

export function exportUrl(sessionId: string, format: 'csv' | 'pdf', table?: 'ratings' | 'summary'): string {
  return `/api/calibration/sessions/${sessionId}/export?format=${format}${table ? `&table=${table}` : ''}`;
}

/** Gray-area escalations ("policy unclear" from a reviewer) and their answers by a policy SME. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from './client';
import type { ListResponse } from './types';

export type EscalationStatus = 'open' | 'answered' | 'closed';

export interface Escalation {
  id: string;
  kind: 'policy_unclear';
  decisionId: string;
  taskId: string | null;
  /** The labels the reviewer was weighing. */
  labels: string[];
  note: string;
  status: EscalationStatus;
  answer: string | null;
  raisedByLabel: string;
  answeredByLabel: string | null;
  answeredAt: string | null;
  createdAt: string;
  workflowId: string;
  workflowName: string;
  vendorId: string;
}

export function useEscalations(params: QueryParams) {
  return useQuery({
    queryKey: ['escalations', params],
    queryFn: ({ signal }) => api.get<ListResponse<Escalation>>('/escalations', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAnswerEscalation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: string }) => api.post<Escalation>(`/escalations/${encodeURIComponent(id)}/answer`, { answer }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['escalations'] }),
  });
}

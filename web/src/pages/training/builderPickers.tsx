/**
 * Pickers for the course builder: a policy version of the course's workflow
 * (for excerpts) and a recent reviewed decision (for case items), so a
 * trainer never types an id. Both lists come from the existing policy and
 * decision APIs, already limited to the trainer's scope by the server.
 */
import { useQueries } from '@tanstack/react-query';
import { Select } from '@mantine/core';
import { api } from '../../api/client';
import { useWorkflow } from '../../api/policy';
import { useDecisions } from '../../api/decisions';
import type { PolicyDetail } from '../../api/types';
import { formatDate } from '../../lib/format';

export function PolicyVersionPicker({ workflowId, value, onChange }: { workflowId: string; value: string; onChange: (id: string) => void }) {
  const workflow = useWorkflow(workflowId);
  const policies = useQueries({
    queries: (workflow.data?.policyIds ?? []).map((id) => ({
      queryKey: ['policies', 'detail', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<PolicyDetail>(`/policies/${encodeURIComponent(id)}`, undefined, signal),
    })),
  });
  const data = policies
    .flatMap((q) => (q.data ? [q.data] : []))
    .map((policy) => ({
      group: policy.name,
      items: [...policy.versions]
        .sort((a, b) => b.version - a.version)
        .map((v) => ({ value: v.id, label: `${policy.name} v${v.version} (from ${formatDate(v.effectiveFrom)})${v.inForce ? ', in force' : ''}` })),
    }))
    .filter((g) => g.items.length > 0);
  const loading = workflow.isPending || policies.some((q) => q.isPending);
  return (
    <Select
      label="Policy version for an excerpt"
      placeholder={loading ? 'Loading policy versions…' : data.length === 0 ? 'No policies on this workflow' : 'Choose a version'}
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      clearable
      nothingFoundMessage="No matching version"
    />
  );
}

export function ReviewedDecisionPicker({ workflowId, value, onChange }: { workflowId: string; value: string; onChange: (id: string) => void }) {
  // Sampled decisions of the workflow, newest first; a completed QA task means a verdict exists (the answer key).
  const decisions = useDecisions({ workflowId, sampled: true, limit: 200 });
  const reviewed = (decisions.data?.items ?? []).filter((d) => d.task?.status === 'completed');
  const data = reviewed.map((d) => ({
    value: d.id,
    label: `${d.externalId} · ${formatDate(d.decidedAt)} · ${d.action}${d.labels.length ? ` (${d.labels.join(', ')})` : ''} · ${d.agentName}`,
  }));
  return (
    <Select
      label="Reviewed decision (its QA verdict is the answer key)"
      description="Recent decisions of this workflow with a completed review, in your scope; type to search by id, label, action or agent."
      placeholder={decisions.isPending ? 'Loading decisions…' : data.length === 0 ? 'No reviewed decisions yet' : 'Search decisions'}
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      clearable
      limit={50}
      nothingFoundMessage="No matching reviewed decision"
      error={decisions.error ? 'Could not load decisions' : undefined}
    />
  );
}

/**
 * Pickers for the course builder: a policy version of the course's workflow
 * (for excerpts) and a reviewed decision (for case items; searchable), so a
 * trainer never types an id. Both lists come from the existing policy and
 * decision APIs, already limited to the trainer's scope by the server.
 */
import { useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { api } from '../../api/client';
import { useWorkflow } from '../../api/policy';
import { useDecisions, type DecisionSummary } from '../../api/decisions';
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
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // The 200 newest decisions of the workflow with a submitted primary review: their QA verdict is the answer key.
  const newest = useDecisions({ workflowId, reviewed: true, limit: 200 });
  const label = (d: DecisionSummary) => `${d.externalId} · ${formatDate(d.decidedAt)} · ${d.action}${d.labels.length ? ` (${d.labels.join(', ')})` : ''} · ${d.agentName}`;
  const matches = (d: DecisionSummary) => label(d).toLowerCase().includes(debounced.toLowerCase());
  const local = (newest.data?.items ?? []).filter((d) => !debounced || matches(d));
  // An older decision is found by its exact external id on the server.
  const byId = useDecisions({ workflowId, reviewed: true, q: debounced, limit: 5 }, { enabled: debounced.length > 0 && local.length === 0 });
  const found = debounced && local.length === 0 ? (byId.data?.items ?? []) : local;
  const data = found.map((d) => ({ value: d.id, label: label(d) }));
  const chosen = (newest.data?.items ?? []).concat(byId.data?.items ?? []).find((d) => d.id === value);
  const searching = byId.isFetching && debounced.length > 0;
  return (
    <Stack gap="xs">
      <TextInput
        label="Search reviewed decisions"
        description="Filters the 200 newest reviewed decisions of this workflow in your scope by id, label, action or agent; an older one is found by its exact id."
        placeholder="e.g. c-10234, hate.slur, remove"
        leftSection={<IconSearch size={14} aria-hidden="true" />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <Select
        label="Reviewed decision (its QA verdict is the answer key)"
        placeholder={newest.isPending || searching ? 'Loading decisions…' : data.length === 0 ? (debounced ? 'No reviewed decision matches' : 'No reviewed decisions yet') : `Choose one of ${data.length}`}
        data={chosen && !data.some((d) => d.value === chosen.id) ? [{ value: chosen.id, label: label(chosen) }, ...data] : data}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
        clearable
        limit={200}
        nothingFoundMessage="No matching reviewed decision"
        error={newest.error || byId.error ? 'Could not load decisions' : undefined}
      />
    </Stack>
  );
}

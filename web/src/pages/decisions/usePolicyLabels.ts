/**
 * The policy labels a workflow's decisions can carry (or every workflow's),
 * with their names and severity tiers: for label filters, label pickers in the
 * sampling plan editor, and severity colours on label badges.
 */
import { useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import { api } from '../../api/client';
import { usePolicies, useWorkflow } from '../../api/policy';
import { queryKeys } from '../../api/resource';
import type { PolicyDetail } from '../../api/types';
import type { LabelInfo } from './decisionFormat';

export interface LabelOptionGroup {
  group: string;
  items: Array<{ value: string; label: string }>;
}

export function usePolicyLabels(workflowId?: string | null) {
  const policies = usePolicies({ limit: 500 });
  const workflow = useWorkflow(workflowId || undefined);
  const policyIds = useMemo(() => {
    const all = (policies.data?.items ?? []).map((p) => p.id);
    if (!workflowId) return all;
    const ofWorkflow = new Set(workflow.data?.policyIds ?? []);
    return all.filter((id) => ofWorkflow.has(id));
  }, [policies.data, workflow.data, workflowId]);

  const details = useQueries({
    queries: policyIds.map((id) => ({
      queryKey: queryKeys.detail('policies', id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<PolicyDetail>(`/policies/${encodeURIComponent(id)}`, undefined, signal),
      staleTime: 5 * 60_000,
    })),
  });
  const loaded = details.map((d) => d.data).filter((d): d is PolicyDetail => Boolean(d));
  const loadedKey = loaded.map((p) => `${p.id}:${p.versions.length}`).join(',');
  const isPending = policies.isPending || (Boolean(workflowId) && workflow.isPending) || details.some((d) => d.isPending);

  return useMemo(() => {
    const labelInfo = new Map<string, LabelInfo>();
    const groups: LabelOptionGroup[] = [];
    for (const policy of [...loaded].sort((a, b) => a.name.localeCompare(b.name))) {
      // Newest version first: a label renamed later shows its current name.
      const items: LabelOptionGroup['items'] = [];
      for (const version of policy.versions ?? []) {
        for (const label of version.labels) {
          if (labelInfo.has(label.key)) continue;
          labelInfo.set(label.key, { name: label.name, severity: label.severity, policyName: policy.name });
          items.push({ value: label.key, label: `${label.name} (${label.key})` });
        }
      }
      if (items.length > 0) groups.push({ group: policy.name, items });
    }
    return {
      labelInfo,
      options: groups,
      isPending,
    };
    // loadedKey stands for the loaded policies' identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadedKey, isPending]);
}

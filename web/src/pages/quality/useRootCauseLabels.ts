/** The words for root-cause keys, shared by the Errors page and the drill-down's chips. */
import { useCallback, useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useScorecards, type ScorecardVersion } from '../../api/scorecards';
import { humanize } from '../../lib/format';

/** Root causes are each scorecard's own categories: their words come from the published scorecards. */
export function useRootCauseLabels(): (key: string) => string {
  const scorecards = useScorecards();
  const ids = (scorecards.data?.items ?? []).flatMap((s) => (s.published ? [s.published.id] : []));
  const versions = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['scorecards', 'version', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<ScorecardVersion>(`/scorecard-versions/${encodeURIComponent(id)}`, undefined, signal),
    })),
  });
  // The query results change identity on every render; recompute only when their data does.
  const loaded = versions.map((v) => v.dataUpdatedAt).join();
  const labels = useMemo(() => {
    const map = new Map<string, string>();
    for (const v of versions) for (const cause of v.data?.definition.rootCauses ?? []) if (!map.has(cause.key)) map.set(cause.key, cause.label);
    return map;
  }, [loaded]); // eslint-disable-line react-hooks/exhaustive-deps
  return useCallback((key: string) => labels.get(key) ?? humanize(key), [labels]);
}

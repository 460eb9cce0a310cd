import { useCallback, useMemo } from 'react';
import { useSites, useVendors } from '../../api/org';
import { usePolicyLabels } from '../decisions/usePolicyLabels';
import type { NameOf } from './planDescribe';

/** Names for the vendor and site ids and label keys a plan's conditions refer to. */
export function useNameOf(workflowId?: string | null): NameOf {
  const vendors = useVendors({ limit: 500 });
  const sites = useSites({ limit: 500 });
  const { labelInfo } = usePolicyLabels(workflowId);
  const vendorNames = useMemo(() => new Map((vendors.data?.items ?? []).map((v) => [v.id, v.name])), [vendors.data]);
  const siteNames = useMemo(() => new Map((sites.data?.items ?? []).map((s) => [s.id, s.name])), [sites.data]);
  return useCallback<NameOf>(
    (kind, id) => {
      if (kind === 'vendor') return vendorNames.get(id) ?? 'a vendor outside your scope';
      if (kind === 'site') return siteNames.get(id) ?? 'a site outside your scope';
      return labelInfo.get(id)?.name ?? id;
    },
    [vendorNames, siteNames, labelInfo],
  );
}

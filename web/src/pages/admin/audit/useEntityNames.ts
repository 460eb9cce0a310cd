import { useMemo } from 'react';
import { useUsers } from '../../../api/admin';
import { useSites, useTeams, useVendors } from '../../../api/org';
import { usePolicies, useWorkflows } from '../../../api/policy';
import { useCan } from '../../../auth/session';

const ALL = { limit: 500 };

/**
 * Names of the entities audit entries point at, from the lists the viewer may
 * read anyway (users, vendors, sites, teams, workflows, policies; people are
 * too many to list, their entries carry the name). Key: `type:id`.
 */
export function useEntityNames(): Map<string, string> {
  const can = useCan();
  const users = useUsers(ALL, can('users.manage'));
  const vendors = useVendors(ALL, can('org.read'));
  const sites = useSites(ALL, can('org.read'));
  const teams = useTeams(ALL, can('org.read'));
  const workflows = useWorkflows(ALL, can('policy.read'));
  const policies = usePolicies(ALL, can('policy.read'));

  return useMemo(() => {
    const names = new Map<string, string>();
    for (const u of users.data?.items ?? []) names.set(`user:${u.id}`, u.displayName);
    for (const v of vendors.data?.items ?? []) names.set(`vendor:${v.id}`, v.name);
    for (const s of sites.data?.items ?? []) names.set(`site:${s.id}`, s.name);
    for (const t of teams.data?.items ?? []) names.set(`team:${t.id}`, t.name);
    for (const w of workflows.data?.items ?? []) names.set(`workflow:${w.id}`, w.name);
    for (const p of policies.data?.items ?? []) names.set(`policy:${p.id}`, p.name);
    return names;
  }, [users.data, vendors.data, sites.data, teams.data, workflows.data, policies.data]);
}

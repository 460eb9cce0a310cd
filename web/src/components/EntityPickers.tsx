/**
 * Selects fed by the API: vendors, sites, teams, workflows, policies, actions,
 * people (searched on the server, since there can be thousands).
 */
import { useMemo, useState } from 'react';
import { MultiSelect, Select, type MultiSelectProps, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { usePeople, usePerson, useSites, useTeams, useVendors } from '../api/org';
import { useActions, usePolicies, useWorkflows } from '../api/policy';

const ALL = { limit: 500 };

type PickerProps = Omit<SelectProps, 'data'>;
type MultiPickerProps = Omit<MultiSelectProps, 'data'>;

function withLoading<T extends { disabled?: boolean; placeholder?: string }>(props: T, loading: boolean): T {
  return loading ? { ...props, placeholder: 'Loading…' } : props;
}

export function VendorSelect(props: PickerProps) {
  const query = useVendors(ALL);
  const data = useMemo(
    () => (query.data?.items ?? []).map((v) => ({ value: v.id, label: v.status === 'active' ? v.name : `${v.name} (inactive)` })),
    [query.data],
  );
  return <Select searchable data={data} nothingFoundMessage="No vendors" {...withLoading(props, query.isPending)} />;
}

export function SiteSelect({ vendorId, ...props }: PickerProps & { vendorId?: string | null }) {
  const query = useSites({ ...ALL, vendorId: vendorId || undefined });
  const data = useMemo(
    () =>
      (query.data?.items ?? []).map((s) => ({
        value: s.id,
        label: vendorId ? s.name : `${s.name} — ${s.vendorName}`,
      })),
    [query.data, vendorId],
  );
  return <Select searchable data={data} nothingFoundMessage="No sites" {...withLoading(props, query.isPending)} />;
}

export function TeamSelect({ siteId, vendorId, ...props }: PickerProps & { siteId?: string | null; vendorId?: string | null }) {
  const query = useTeams({ ...ALL, siteId: siteId || undefined, vendorId: vendorId || undefined });
  const data = useMemo(
    () => (query.data?.items ?? []).map((t) => ({ value: t.id, label: siteId ? t.name : `${t.name} — ${t.siteName}` })),
    [query.data, siteId],
  );
  return <Select searchable data={data} nothingFoundMessage="No teams" {...withLoading(props, query.isPending)} />;
}

export function WorkflowSelect(props: PickerProps) {
  const query = useWorkflows(ALL);
  const data = useMemo(() => (query.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })), [query.data]);
  return <Select searchable data={data} nothingFoundMessage="No workflows" {...withLoading(props, query.isPending)} />;
}

export function WorkflowMultiSelect(props: MultiPickerProps) {
  const query = useWorkflows(ALL);
  const data = useMemo(() => (query.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })), [query.data]);
  return <MultiSelect searchable data={data} nothingFoundMessage="No workflows" {...withLoading(props, query.isPending)} />;
}

export function PolicyMultiSelect(props: MultiPickerProps) {
  const query = usePolicies(ALL);
  const data = useMemo(() => (query.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })), [query.data]);
  return <MultiSelect searchable data={data} nothingFoundMessage="No policies" {...withLoading(props, query.isPending)} />;
}

export function ActionMultiSelect(props: MultiPickerProps) {
  const query = useActions(ALL);
  const data = useMemo(
    () =>
      (query.data?.items ?? []).map((a) => ({
        value: a.key,
        label: a.status === 'active' ? a.name : `${a.name} (inactive)`,
      })),
    [query.data],
  );
  return <MultiSelect searchable data={data} nothingFoundMessage="No actions" {...withLoading(props, query.isPending)} />;
}

/** Picks a person by typing part of their name; the server does the search. */
export function PersonSelect({ currentLabel, ...props }: PickerProps & { currentLabel?: string | null }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  // After a pick the search box shows "Name — Site"; that is not a new search.
  const q = debounced && !debounced.includes(' — ') ? debounced : undefined;
  const query = usePeople({ q, limit: 50 });
  const value = typeof props.value === 'string' ? props.value : null;
  const listed = (query.data?.items ?? []).some((p) => p.id === value);
  // The saved person may not be on the first page of results: fetch it by id.
  const saved = usePerson(value && !listed && !query.isPending ? value : undefined);
  const data = useMemo(() => {
    const items = (query.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.fullName} — ${p.siteName}` }));
    if (value && !items.some((item) => item.value === value)) {
      const label = saved.data ? `${saved.data.fullName} — ${saved.data.siteName}` : (currentLabel ?? 'Selected person');
      items.unshift({ value, label });
    }
    return items;
  }, [query.data, value, saved.data, currentLabel]);
  return (
    <Select
      searchable
      data={data}
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={query.isFetching ? 'Searching…' : 'No people match'}
      {...props}
    />
  );
}

import { useMemo, useState } from 'react';
import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { usePeople, usePerson } from '../../api/org';

interface AgentSelectProps extends Omit<SelectProps, 'data'> {
  vendorId?: string | null;
  siteId?: string | null;
  teamId?: string | null;
}

/** Picks an agent by typing part of their name (searched on the server), within the chosen vendor, site or team. */
export function AgentSelect({ vendorId, siteId, teamId, ...props }: AgentSelectProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  // After a pick the box shows "Name — Team"; that is not a new search.
  const q = debounced && !debounced.includes(' — ') ? debounced : undefined;
  const query = usePeople({
    q,
    jobRole: 'agent',
    vendorId: vendorId || undefined,
    siteId: siteId || undefined,
    teamId: teamId || undefined,
    limit: 50,
  });
  const value = typeof props.value === 'string' ? props.value : null;
  const listed = (query.data?.items ?? []).some((p) => p.id === value);
  const saved = usePerson(value && !listed && !query.isPending ? value : undefined);
  const data = useMemo(() => {
    const describe = (p: { fullName: string; teamName: string | null; siteName: string }) =>
      `${p.fullName} — ${p.teamName ?? p.siteName}`;
    const items = (query.data?.items ?? []).map((p) => ({ value: p.id, label: describe(p) }));
    if (value && !items.some((item) => item.value === value)) {
      items.unshift({ value, label: saved.data ? describe(saved.data) : 'Selected agent' });
    }
    return items;
  }, [query.data, value, saved.data]);
  return (
    <Select
      searchable
      data={data}
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={query.isFetching ? 'Searching…' : 'No agents match'}
      {...props}
    />
  );
}

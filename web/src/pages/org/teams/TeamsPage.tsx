import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTeams } from '../../../api/org';
import type { Team } from '../../../api/types';
import { useCan, useSeesAllVendors } from '../../../auth/session';
import { SiteSelect, VendorSelect } from '../../../components/EntityPickers';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { TeamFormModal } from './TeamFormModal';
import { teamColumns } from './teamColumns';

const FILTERS = ['q', 'vendorId', 'siteId', 'status'] as const;

export function TeamsPage() {
  const can = useCan();
  const canWrite = can('org.write');
  const seesAllVendors = useSeesAllVendors();
  const { filters, setFilter, setFilters, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const teams = useTeams(query);
  const [modal, setModal] = useState<{ open: boolean; team?: Team }>({ open: false });
  const filtered = Boolean(filters.q || filters.vendorId || filters.siteId || filters.status);

  return (
    <>
      <PageHeader
        title="Teams"
        description="Groups of people at a site, usually working one workflow under one lead."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
              New team
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Team name" />
        {seesAllVendors && (
          <VendorSelect
            label="Vendor"
            placeholder="All vendors"
            clearable
            value={filters.vendorId || null}
            onChange={(v) => setFilters({ vendorId: v, siteId: null })}
            w={{ base: '100%', sm: 200 }}
          />
        )}
        <SiteSelect
          label="Site"
          placeholder="All sites"
          clearable
          vendorId={filters.vendorId || null}
          value={filters.siteId || null}
          onChange={(v) => setFilter('siteId', v)}
          w={{ base: '100%', sm: 220 }}
        />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Teams"
        columns={teamColumns({ showSite: true, showVendor: seesAllVendors, onEdit: canWrite ? (team) => setModal({ open: true, team }) : undefined })}
        rows={teams.data?.items}
        rowKey={(t) => t.id}
        isPending={teams.isPending}
        isFetching={teams.isPlaceholderData}
        error={teams.error}
        onRetry={() => void teams.refetch()}
        empty={<EmptyMessage title={filtered ? 'No teams match these filters' : 'No teams yet'} />}
        footer={<ListPagination total={teams.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="teams" />}
      />
      <TeamFormModal
        opened={modal.open}
        onClose={() => setModal((m) => ({ ...m, open: false }))}
        team={modal.team}
        siteId={filters.siteId || undefined}
      />
    </>
  );
}

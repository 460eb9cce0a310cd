import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useSites } from '../../../api/org';
import type { Site } from '../../../api/types';
import { useCan, useSeesAllVendors } from '../../../auth/session';
import { VendorSelect } from '../../../components/EntityPickers';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { useNow } from '../../../lib/useNow';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { SiteFormModal } from './SiteFormModal';
import { siteColumns } from './siteColumns';

const FILTERS = ['q', 'vendorId', 'status'] as const;

export function SitesPage() {
  const can = useCan();
  const canWrite = can('org.write');
  const seesAllVendors = useSeesAllVendors();
  const now = useNow();
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const sites = useSites(query);
  const [modal, setModal] = useState<{ open: boolean; site?: Site }>({ open: false });
  const filtered = Boolean(filters.q || filters.vendorId || filters.status);

  return (
    <>
      <PageHeader
        title="Sites"
        description="Delivery centres, each in one country and time zone."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
              New site
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Site name" />
        {seesAllVendors && (
          <VendorSelect
            label="Vendor"
            placeholder="All vendors"
            clearable
            value={filters.vendorId || null}
            onChange={(v) => setFilter('vendorId', v)}
            w={{ base: '100%', sm: 220 }}
          />
        )}
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Sites"
        columns={siteColumns({ showVendor: seesAllVendors, now, onEdit: canWrite ? (site) => setModal({ open: true, site }) : undefined })}
        rows={sites.data?.items}
        rowKey={(s) => s.id}
        isPending={sites.isPending}
        isFetching={sites.isPlaceholderData}
        error={sites.error}
        onRetry={() => void sites.refetch()}
        empty={<EmptyMessage title={filtered ? 'No sites match these filters' : 'No sites yet'} />}
        footer={<ListPagination total={sites.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="sites" />}
      />
      <SiteFormModal
        opened={modal.open}
        onClose={() => setModal((m) => ({ ...m, open: false }))}
        site={modal.site}
        vendorId={filters.vendorId || undefined}
      />
    </>
  );
}

import { Link } from 'react-router-dom';
import { ActionIcon, Anchor, Badge, Button, Group, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useVendors } from '../../../api/org';
import type { Vendor } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatNumber } from '../../../lib/format';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { VendorFormModal } from './VendorFormModal';

const FILTERS = ['q', 'status'] as const;

export function VendorsPage() {
  const can = useCan();
  const canWrite = can('org.write');
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const vendors = useVendors(query);
  const [formOpened, form] = useDisclosure(false);
  const [editing, setEditing] = useState<Vendor | undefined>();

  const openCreate = () => {
    setEditing(undefined);
    form.open();
  };

  const columns: Column<Vendor>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (v) => (
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} to={`/vendors/${v.id}`} fw={500}>
            {v.name}
          </Anchor>
          {v.isInHouse && <Badge color="violet">In-house</Badge>}
        </Group>
      ),
    },
    { key: 'code', header: 'Code', render: (v) => v.code },
    { key: 'status', header: 'Status', nowrap: true, render: (v) => <StatusBadge status={v.status} /> },
    { key: 'sites', header: 'Sites', numeric: true, render: (v) => formatNumber(v.siteCount) },
    { key: 'people', header: 'People', numeric: true, render: (v) => formatNumber(v.peopleCount) },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      width: 90,
      render: (v) => (
        <Tooltip label={`Edit ${v.name}`}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Edit ${v.name}`}
            onClick={() => {
              setEditing(v);
              form.open();
            }}
          >
            <IconPencil size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="Vendors"
        description="Outsourcing partners (BPOs) and in-house teams whose people do the review work."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={openCreate}>
              New vendor
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name or code" />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Vendors"
        columns={columns}
        rows={vendors.data?.items}
        rowKey={(v) => v.id}
        isPending={vendors.isPending}
        isFetching={vendors.isPlaceholderData}
        error={vendors.error}
        onRetry={() => void vendors.refetch()}
        empty={
          <EmptyMessage
            title={filters.q || filters.status ? 'No vendors match these filters' : 'No vendors yet'}
            description={canWrite && !filters.q ? 'Add the first vendor to start building the organisation.' : undefined}
          />
        }
        footer={
          <ListPagination total={vendors.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="vendors" />
        }
      />
      <VendorFormModal opened={formOpened} onClose={form.close} vendor={editing} />
    </>
  );
}

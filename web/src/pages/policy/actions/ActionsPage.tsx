import { useState } from 'react';
import { ActionIcon, Button, Code, Group, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useActions } from '../../../api/policy';
import type { EnforcementAction } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { StatusBadge } from '../../../components/StatusBadge';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { ActionFormModal } from './ActionFormModal';

const FILTERS = ['q', 'status'] as const;

export function ActionsPage() {
  const can = useCan();
  const canWrite = can('policy.write');
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const actions = useActions(query);
  const [modal, setModal] = useState<{ open: boolean; action?: EnforcementAction }>({ open: false });

  const columns: Column<EnforcementAction>[] = [
    { key: 'name', header: 'Action', render: (a) => <Text size="sm" fw={500}>{a.name}</Text> },
    { key: 'key', header: 'Key', render: (a) => <Code>{a.key}</Code> },
    { key: 'description', header: 'Description', render: (a) => a.description || '—' },
    { key: 'status', header: 'Status', nowrap: true, render: (a) => <StatusBadge status={a.status} /> },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: 'Edit',
      width: 70,
      render: (a) => (
        <Tooltip label={`Edit ${a.name}`}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${a.name}`} onClick={() => setModal({ open: true, action: a })}>
            <IconPencil size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="Actions"
        description="The catalogue of enforcement actions a decision can take: remove, age-restrict, warn, suspend, escalate to law enforcement, reply to user…"
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
              New action
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name or key" />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Enforcement actions"
        columns={columns}
        rows={actions.data?.items}
        rowKey={(a) => a.key}
        isPending={actions.isPending}
        isFetching={actions.isPlaceholderData}
        error={actions.error}
        onRetry={() => void actions.refetch()}
        empty={<EmptyMessage title="No actions match" />}
        footer={<ListPagination total={actions.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="actions" />}
      />
      <ActionFormModal opened={modal.open} onClose={() => setModal((m) => ({ ...m, open: false }))} action={modal.action} />
    </>
  );
}

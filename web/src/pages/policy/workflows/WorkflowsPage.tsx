import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ActionIcon, Anchor, Badge, Button, Code, Group, Select, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { usePolicies, useWorkflows } from '../../../api/policy';
import type { Workflow } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { StatusBadge } from '../../../components/StatusBadge';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { KIND_LABELS, WorkflowFormModal } from './WorkflowFormModal';

const FILTERS = ['q', 'kind', 'status'] as const;

export function WorkflowsPage() {
  const can = useCan();
  const canWrite = can('policy.write');
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const workflows = useWorkflows(query);
  const policies = usePolicies({ limit: 500 });
  const policyNames = new Map((policies.data?.items ?? []).map((p) => [p.id, p.name]));
  const [modal, setModal] = useState<{ open: boolean; workflow?: Workflow }>({ open: false });

  const columns: Column<Workflow>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (w) => (
        <div>
          <Anchor component={Link} to={`/workflows/${w.id}`} fw={500}>
            {w.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            <Code>{w.key}</Code>
          </Text>
        </div>
      ),
    },
    { key: 'kind', header: 'Kind', render: (w) => KIND_LABELS[w.kind] ?? w.kind },
    {
      key: 'policies',
      header: 'Policy set',
      render: (w) =>
        w.policyIds.length === 0 ? (
          <Text size="sm" c="dimmed">
            No policies
          </Text>
        ) : (
          <Group gap={4}>
            {w.policyIds.map((id) => (
              <Badge key={id} color="indigo" tt="none" component={Link} to={`/policies/${id}`} style={{ cursor: 'pointer' }}>
                {policyNames.get(id) ?? 'Policy'}
              </Badge>
            ))}
          </Group>
        ),
    },
    { key: 'status', header: 'Status', nowrap: true, render: (w) => <StatusBadge status={w.status} /> },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      width: 90,
      render: (w) => (
        <Tooltip label={`Edit ${w.name}`}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${w.name}`} onClick={() => setModal({ open: true, workflow: w })}>
            <IconPencil size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="Workflows"
        description="Streams of work (queues), each with one policy set: video moderation, comments, appeals, support tickets…"
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
              New workflow
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name or key" />
        <Select
          label="Kind"
          placeholder="Any kind"
          clearable
          data={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
          value={filters.kind || null}
          onChange={(v) => setFilter('kind', v)}
          w={{ base: '100%', sm: 200 }}
        />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Workflows"
        columns={columns}
        rows={workflows.data?.items}
        rowKey={(w) => w.id}
        isPending={workflows.isPending}
        isFetching={workflows.isPlaceholderData}
        error={workflows.error}
        onRetry={() => void workflows.refetch()}
        empty={<EmptyMessage title="No workflows match" />}
        footer={<ListPagination total={workflows.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="workflows" />}
      />
      <WorkflowFormModal opened={modal.open} onClose={() => setModal((m) => ({ ...m, open: false }))} workflow={modal.workflow} />
    </>
  );
}

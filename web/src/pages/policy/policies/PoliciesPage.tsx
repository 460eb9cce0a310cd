import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Badge, Button, Code, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { usePolicies, useWorkflows } from '../../../api/policy';
import type { PolicySummary } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDate, formatNumber } from '../../../lib/format';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { PolicyFormModal } from './PolicyFormModal';

const FILTERS = ['q', 'status'] as const;

export function PoliciesPage() {
  const can = useCan();
  const navigate = useNavigate();
  const canWrite = can('policy.write');
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const policies = usePolicies(query);
  const workflows = useWorkflows({ limit: 500 });
  const workflowNames = new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name]));
  const [createOpened, createModal] = useDisclosure(false);

  const columns: Column<PolicySummary>[] = [
    {
      key: 'name',
      header: 'Policy',
      render: (p) => (
        <div>
          <Anchor component={Link} to={`/policies/${p.id}`} fw={500}>
            {p.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            <Code>{p.key}</Code>
          </Text>
        </div>
      ),
    },
    {
      key: 'current',
      header: 'Version in force',
      render: (p) =>
        p.currentVersion ? (
          <Text size="sm">
            v{p.currentVersion.version}{' '}
            <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              since {formatDate(p.currentVersion.effectiveFrom)}
            </Text>
          </Text>
        ) : (
          <Badge color="orange">None in force</Badge>
        ),
    },
    { key: 'versions', header: 'Versions', numeric: true, render: (p) => formatNumber(p.versionCount) },
    {
      key: 'workflows',
      header: 'Workflows',
      render: (p) =>
        p.workflowIds.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <Group gap={4}>
            {p.workflowIds.map((id) => (
              <Badge key={id} color="teal" tt="none">
                {workflowNames.get(id) ?? 'Workflow'}
              </Badge>
            ))}
          </Group>
        ),
    },
    { key: 'status', header: 'Status', nowrap: true, render: (p) => <StatusBadge status={p.status} /> },
  ];

  return (
    <>
      <PageHeader
        title="Policies"
        description="The policy taxonomy: each policy has labels with severity tiers and allowed actions, versioned with effective dates."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={createModal.open}>
              New policy
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name or key" />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} />
      </Group>
      <ListTable
        caption="Policies"
        columns={columns}
        rows={policies.data?.items}
        rowKey={(p) => p.id}
        isPending={policies.isPending}
        isFetching={policies.isPlaceholderData}
        error={policies.error}
        onRetry={() => void policies.refetch()}
        empty={<EmptyMessage title={filters.q || filters.status ? 'No policies match' : 'No policies yet'} />}
        footer={<ListPagination total={policies.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="policies" />}
      />
      <PolicyFormModal
        opened={createOpened}
        onClose={createModal.close}
        onCreated={(policy) => navigate(`/policies/${policy.id}/versions/new`)}
      />
    </>
  );
}

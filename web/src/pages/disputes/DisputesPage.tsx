import { Link } from 'react-router-dom';
import { Anchor, Badge, SegmentedControl, Stack, Text } from '@mantine/core';
import { formatSla, useDisputes, type Dispute } from '../../api/disputes';
import { useSeesAllVendors } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage } from '../../components/States';
import { formatDateTime, humanize } from '../../lib/format';
import { useUrlFilters } from '../../lib/useUrlFilters';
import { DisputeStatusBadge, formatScore } from '../reviews/reviewFormat';

const FILTERS = ['view'] as const;
const VIEWS = [
  { value: '', label: 'Assigned to me' },
  { value: 'open', label: 'All open' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'closed', label: 'Resolved' },
];

function queryFor(view: string): Record<string, string | boolean> {
  if (view === 'open') return { status: 'open' };
  if (view === 'overdue') return { overdue: true };
  if (view === 'closed') return { status: 'resolved' };
  return { mine: true, status: 'open' };
}

/** The arbiter's queue: open disputes with their SLA clock, oldest due first. */
export function DisputesPage() {
  const { filters, setFilter, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const disputes = useDisputes({ ...queryFor(filters.view), limit, offset });
  const showVendor = useSeesAllVendors();

  const columns: Column<Dispute>[] = [
    {
      key: 'raised',
      header: 'Raised',
      nowrap: true,
      render: (d) => (
        <Anchor component={Link} to={`/disputes/${d.id}`} size="sm">
          {formatDateTime(d.createdAt)}
        </Anchor>
      ),
    },
    { key: 'agent', header: 'Agent', render: (d) => d.agentName ?? '—' },
    ...(showVendor ? [{ key: 'vendor', header: 'Vendor', render: (d: Dispute) => d.vendorName ?? '—' }] : []),
    { key: 'workflow', header: 'Workflow', render: (d) => d.workflowName },
    { key: 'scope', header: 'Disputed', render: (d) => (d.questionKeys.length === 0 ? 'Whole review' : d.questionKeys.map(humanize).join(', ')) },
    { key: 'score', header: 'Score', numeric: true, render: (d) => (d.scoreAfter === null ? formatScore(d.scoreBefore) : `${formatScore(d.scoreBefore)} → ${formatScore(d.scoreAfter)}`) },
    {
      key: 'sla',
      header: 'SLA',
      nowrap: true,
      render: (d) =>
        d.status === 'open' ? (
          d.overdue ? (
            <Badge color="red">{formatSla(d.slaRemainingMs)}</Badge>
          ) : (
            <Text size="sm">{formatSla(d.slaRemainingMs)}</Text>
          )
        ) : (
          <DisputeStatusBadge status={d.status} outcome={d.outcome} />
        ),
    },
    { key: 'arbiter', header: 'Arbiter', render: (d) => d.arbiterName ?? (d.arbiterId ? 'Outside your scope' : 'Unassigned') },
  ];

  return (
    <>
      <PageHeader
        title="Disputes"
        description="Agents and vendor QA leads contest QA findings here. Decide each within its SLA: uphold the finding, or overturn it in full or in part with the corrected answers."
      />
      <Stack gap="md">
        <SegmentedControl
          aria-label="Which disputes"
          data={VIEWS}
          value={filters.view}
          onChange={(value) => setFilter('view', value || null)}
          w="fit-content"
        />
        <ListTable
          caption="Disputes"
          columns={columns}
          rows={disputes.data?.items}
          rowKey={(d) => d.id}
          isPending={disputes.isPending}
          isFetching={disputes.isFetching}
          error={disputes.error}
          onRetry={() => void disputes.refetch()}
          empty={<EmptyMessage title="No disputes" description="Nothing to decide in this view." />}
          footer={<ListPagination total={disputes.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="disputes" />}
        />
      </Stack>
    </>
  );
}

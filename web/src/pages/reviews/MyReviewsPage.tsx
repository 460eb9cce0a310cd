import { Link } from 'react-router-dom';
import { Anchor, Badge, Group, Select } from '@mantine/core';
import { useReviews, type ReviewSummary } from '../../api/reviews';
import { useSession } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useUrlFilters } from '../../lib/useUrlFilters';
import { ErrorTypeBadges, formatScore, PassBadge } from './reviewFormat';

const FILTERS = ['passed', 'acknowledged'] as const;

/** Agents see their own reviews here; QA leads and managers the reviews in their scope. */
export function MyReviewsPage() {
  const session = useSession();
  const isAgent = session.user.scope.kind === 'self';
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const reviews = useReviews(query);

  const columns: Column<ReviewSummary>[] = [
    {
      key: 'submitted',
      header: 'Reviewed',
      nowrap: true,
      render: (r) => (
        <Anchor component={Link} to={`/reviews/${r.id}`} size="sm">
          {formatDateTime(r.submittedAt)}
        </Anchor>
      ),
    },
    { key: 'workflow', header: 'Workflow', render: (r) => r.workflowName },
    ...(isAgent ? [] : [{ key: 'agent', header: 'Agent', render: (r: ReviewSummary) => r.agentName ?? '—' }]),
    {
      key: 'score',
      header: 'Score',
      numeric: true,
      render: (r) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {formatScore(r.score)}
          {r.revision > 1 && (
            <Badge size="xs" variant="light" color="teal">
              Corrected
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'passed', header: 'Result', nowrap: true, render: (r) => <PassBadge passed={r.passed} criticalFailed={r.criticalFailed} /> },
    { key: 'errors', header: 'Error types', render: (r) => <ErrorTypeBadges types={r.errorTypes} /> },
    {
      key: 'ack',
      header: 'Acknowledged',
      nowrap: true,
      render: (r) => (r.acknowledgedAt ? formatDateTime(r.acknowledgedAt) : <Badge color="yellow">Not yet</Badge>),
    },
  ];

  return (
    <>
      <PageHeader
        title={isAgent ? 'My reviews' : 'Reviews'}
        description={
          isAgent
            ? 'How QA judged your decisions. Open a review to see each answer, acknowledge it, comment, or dispute it within the dispute window.'
            : 'QA reviews in your scope, newest first, with acknowledgements and disputes.'
        }
      />
      <Group mb="md" gap="sm">
        <Select
          label="Result"
          placeholder="Any"
          clearable
          data={[
            { value: 'true', label: 'Passed' },
            { value: 'false', label: 'Not passed' },
          ]}
          value={filters.passed || null}
          onChange={(value) => setFilter('passed', value)}
          w={180}
        />
        <Select
          label="Acknowledged"
          placeholder="Any"
          clearable
          data={[
            { value: 'true', label: 'Acknowledged' },
            { value: 'false', label: 'Not yet' },
          ]}
          value={filters.acknowledged || null}
          onChange={(value) => setFilter('acknowledged', value)}
          w={180}
        />
      </Group>
      <ListTable
        caption="Reviews"
        columns={columns}
        rows={reviews.data?.items}
        rowKey={(r) => r.id}
        isPending={reviews.isPending}
        isFetching={reviews.isFetching}
        error={reviews.error}
        onRetry={() => void reviews.refetch()}
        empty={<EmptyMessage title="No reviews" description="Reviews appear here once QA has reviewed sampled decisions." />}
        footer={<ListPagination total={reviews.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="reviews" />}
      />
    </>
  );
}

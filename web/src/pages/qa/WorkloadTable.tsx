import { Button, Group, Progress, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAdjustments } from '@tabler/icons-react';
import type { Reviewer } from '../../api/qa';
import { JOB_ROLE_LABELS, type JobRole } from '../../api/types';
import { EmptyMessage, ListTable, type Column } from '../../components/ListTable';
import { formatNumber } from '../../lib/format';

interface WorkloadTableProps {
  reviewers: Reviewer[] | undefined;
  isPending: boolean;
  isFetching: boolean;
  error: unknown;
  onRetry: () => void;
  showVendor: boolean;
  /** Shown for qa.manage: opens the capacity dialog for a reviewer. */
  onEditCapacity?: (reviewer: Reviewer) => void;
}

function CapacityBar({ reviewer }: { reviewer: Reviewer }) {
  const { assignedToday, dailyCapacity } = reviewer;
  const ratio = dailyCapacity > 0 ? assignedToday / dailyCapacity : assignedToday > 0 ? 1 : 0;
  const color = ratio >= 1 ? 'red' : ratio >= 0.8 ? 'orange' : 'blue';
  const label = dailyCapacity > 0 ? `${formatNumber(assignedToday)} of ${formatNumber(dailyCapacity)} assigned today` : `${formatNumber(assignedToday)} assigned today; automatic assignment paused (capacity 0)`;
  return (
    <Stack gap={4} miw={160}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatNumber(assignedToday)} / {formatNumber(dailyCapacity)}
        </Text>
        {reviewer.capacityIsDefault && (
          <Tooltip label="No capacity set for this reviewer: the default applies">
            <Text size="xs" c="dimmed">
              default
            </Text>
          </Tooltip>
        )}
      </Group>
      <Progress value={Math.min(100, ratio * 100)} color={color} size="md" aria-label={label} />
    </Stack>
  );
}

/** Per reviewer: work waiting, in hand, late, and today's automatic assignment against capacity. */
export function WorkloadTable({ reviewers, isPending, isFetching, error, onRetry, showVendor, onEditCapacity }: WorkloadTableProps) {
  const columns: Column<Reviewer>[] = [
    {
      key: 'name',
      header: 'Reviewer',
      render: (r) => (
        <div>
          <Text size="sm" fw={500}>
            {r.name}
          </Text>
          <Text size="xs" c="dimmed">
            {JOB_ROLE_LABELS[r.jobRole as JobRole] ?? r.jobRole}
            {' · '}
            {showVendor ? `${r.vendorName}${r.siteName ? `, ${r.siteName}` : ''}` : (r.siteName ?? '')}
          </Text>
        </div>
      ),
    },
    { key: 'assignedOpen', header: 'Assigned, open', numeric: true, render: (r) => formatNumber(r.assignedOpen) },
    { key: 'claimed', header: 'In review', numeric: true, render: (r) => formatNumber(r.claimed) },
    {
      key: 'overdue',
      header: 'Overdue',
      numeric: true,
      render: (r) => (
        <Text size="sm" c={r.overdue > 0 ? 'red.9' : undefined} fw={r.overdue > 0 ? 700 : undefined}>
          {formatNumber(r.overdue)}
        </Text>
      ),
    },
    { key: 'today', header: 'Assigned today vs capacity', render: (r) => <CapacityBar reviewer={r} /> },
  ];
  if (onEditCapacity) {
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      nowrap: true,
      render: (r) => (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconAdjustments size={14} aria-hidden="true" />}
          onClick={() => onEditCapacity(r)}
          aria-label={`Set daily capacity of ${r.name}`}
        >
          Capacity
        </Button>
      ),
    });
  }
  return (
    <ListTable
      caption="Reviewer workload"
      columns={columns}
      rows={reviewers}
      rowKey={(r) => r.personId}
      isPending={isPending}
      isFetching={isFetching}
      error={error}
      onRetry={onRetry}
      minWidth={760}
      empty={<EmptyMessage title="No reviewers" description="QA specialists and QA leads skilled in a workflow appear here." />}
    />
  );
}

import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Badge, Button, Group, Stack, Tabs, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlarm, IconLayoutDashboard, IconPencil, IconSettings, IconUserShare } from '@tabler/icons-react';
import { useQaSettings, useQaTasks, useQueueSummary, useReviewers, type QaSettings, type QaTask, type Reviewer } from '../../api/qa';
import { useCan, useSeesAllVendors } from '../../auth/session';
import { VendorSelect, WorkflowSelect } from '../../components/EntityPickers';
import { ListPagination } from '../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState } from '../../components/States';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { useUrlFilters } from '../../lib/useUrlFilters';
import { LabelBadges, TaskStatusBadge } from '../decisions/decisionFormat';
import { usePolicyLabels } from '../decisions/usePolicyLabels';
import { MyTasksPanel } from './MyTasksPanel';
import { CapacityModal, ReassignModal, SettingsModal } from './QaModals';
import { QueueTiles, relativeDue } from './QueueTiles';
import { WorkloadTable } from './WorkloadTable';

const FILTERS = ['workflowId', 'vendorId', 'tab'] as const;
const TABS = ['overview', 'overdue', 'settings'] as const;
type Tab = (typeof TABS)[number];

function overdueColumns(opts: {
  showVendor: boolean;
  now: Date;
  labelInfo: ReturnType<typeof usePolicyLabels>['labelInfo'];
  onReassign?: (task: QaTask) => void;
}): Column<QaTask>[] {
  const columns: Column<QaTask>[] = [
    {
      key: 'due',
      header: 'Due',
      render: (t) => (
        <div>
          <Anchor component={Link} to={`/decisions/${t.decisionId}`} size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
            <VisuallyHidden>Decision due </VisuallyHidden>
            {formatDateTime(t.dueAt)}
          </Anchor>
          <Text size="xs" c="red.9" style={{ whiteSpace: 'nowrap' }}>
            Overdue {relativeDue(t.dueAt, opts.now).replace(' ago', '')}
          </Text>
        </div>
      ),
    },
    { key: 'workflow', header: 'Workflow', render: (t) => <Text size="sm">{t.workflowName}</Text> },
    {
      key: 'agent',
      header: 'Agent',
      render: (t) => (
        <div>
          <Text size="sm">{t.agentName ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {opts.showVendor ? [t.vendorName, t.siteName].filter(Boolean).join(', ') : (t.siteName ?? '')}
          </Text>
        </div>
      ),
    },
    { key: 'labels', header: 'Labels', render: (t) => <LabelBadges labels={t.labels} severity={t.severity} labelInfo={opts.labelInfo} /> },
    { key: 'status', header: 'Status', nowrap: true, render: (t) => <TaskStatusBadge status={t.status} /> },
    {
      key: 'assignee',
      header: 'Assignee',
      render: (t) =>
        t.claimedByName ? (
          <Text size="sm">
            {t.claimedByName}{' '}
            <Text span size="xs" c="dimmed">
              (claimed)
            </Text>
          </Text>
        ) : t.assigneeId ? (
          <Text size="sm">{t.assigneeName ?? 'Someone outside your scope'}</Text>
        ) : (
          <Badge color="orange" variant="light">
            Pool
          </Badge>
        ),
    },
  ];
  if (opts.onReassign) {
    const onReassign = opts.onReassign;
    columns.push({
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (t) => (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconUserShare size={14} aria-hidden="true" />}
          onClick={() => onReassign(t)}
          aria-label={`Reassign the task on ${t.agentName ?? 'this decision'}, due ${formatDateTime(t.dueAt)}`}
        >
          Reassign
        </Button>
      ),
    });
  }
  return columns;
}

export function QaQueuePage() {
  const can = useCan();
  const canManage = can('qa.manage');
  const seesAllVendors = useSeesAllVendors();
  const now = useNow(30_000);
  const { filters, setFilter, setFilters, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const tab: Tab = (TABS as readonly string[]).includes(filters.tab) ? (filters.tab as Tab) : 'overview';
  const workflowId = filters.workflowId || undefined;
  const vendorId = filters.vendorId || undefined;

  const summary = useQueueSummary({ workflowId });
  const reviewers = useReviewers({ workflowId, vendorId, limit: 500 });
  const overdue = useQaTasks({ workflowId, vendorId, overdue: true, limit, offset });
  const settings = useQaSettings();
  const { labelInfo } = usePolicyLabels(workflowId ?? null);
  const [reassigning, setReassigning] = useState<QaTask | null>(null);
  const [capacityFor, setCapacityFor] = useState<Reviewer | null>(null);
  const [settingsFor, setSettingsFor] = useState<QaSettings | null>(null);

  const workflows = summary.data?.workflows ?? [];
  const overdueTotal = overdue.data?.total;

  const settingsColumns: Column<QaSettings>[] = [
    {
      key: 'workflow',
      header: 'Workflow',
      render: (s) => (
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {s.workflowName}
          </Text>
          {s.workflowStatus === 'inactive' && <Badge color="gray">Inactive</Badge>}
          {s.isDefault && (
            <Tooltip label="Nothing set yet: the defaults apply">
              <Badge color="gray" variant="outline">
                Defaults
              </Badge>
            </Tooltip>
          )}
        </Group>
      ),
    },
    { key: 'turnaround', header: 'Turnaround', numeric: true, render: (s) => `${formatNumber(s.turnaroundHours)} h` },
    { key: 'lease', header: 'Lease', numeric: true, render: (s) => `${formatNumber(s.leaseMinutes)} min` },
    {
      key: 'internal',
      header: 'Vendor work reviewed by',
      render: (s) => (s.internalReviewsVendorWork ? 'In-house QA only' : "The vendor's own QA or in-house QA"),
    },
    { key: 'updated', header: 'Changed', nowrap: true, render: (s) => (s.updatedAt ? formatDateTime(s.updatedAt) : '—') },
  ];
  // Workflow settings apply to every vendor: only an all-vendor scope may change them.
  if (canManage && seesAllVendors) {
    settingsColumns.push({
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (s) => (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconPencil size={14} aria-hidden="true" />}
          onClick={() => setSettingsFor(s)}
          aria-label={`Edit QA settings of ${s.workflowName}`}
        >
          Edit
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="QA queue"
        description="Sampled decisions waiting for review: per workflow, per reviewer, and what is late. Due times come from each workflow's turnaround target."
      />
      {can('qa.review') && <MyTasksPanel />}
      <Group mb="md" align="flex-end" gap="sm">
        <WorkflowSelect
          label="Workflow"
          placeholder="All workflows"
          clearable
          value={filters.workflowId || null}
          onChange={(v) => setFilter('workflowId', v)}
          w={{ base: '100%', sm: 220 }}
        />
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
        {vendorId && (
          <Text size="xs" c="dimmed" pb={8} maw={360}>
            The vendor filter applies to the workload and overdue lists; the workflow tiles count every vendor in your scope.
          </Text>
        )}
      </Group>
      <Tabs value={tab} onChange={(v) => setFilters({ tab: v === 'overview' ? null : v })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" leftSection={<IconLayoutDashboard size={16} aria-hidden="true" />}>
            Overview
          </Tabs.Tab>
          <Tabs.Tab
            value="overdue"
            leftSection={<IconAlarm size={16} aria-hidden="true" />}
            rightSection={
              overdueTotal !== undefined && overdueTotal > 0 ? (
                <Badge color="red" size="sm" variant="filled">
                  {formatNumber(overdueTotal)}
                </Badge>
              ) : undefined
            }
          >
            Overdue
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconSettings size={16} aria-hidden="true" />}>
            Settings
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="overview">
          <Stack gap="lg">
            <section aria-labelledby="queue-workflows-heading">
              <Group justify="space-between" align="baseline" mb="sm">
                <Title order={2} size="h4" id="queue-workflows-heading">
                  Workflows
                </Title>
                {summary.data && (
                  <Text size="xs" c="dimmed">
                    As of {formatDateTime(summary.data.generatedAt)}
                  </Text>
                )}
              </Group>
              {summary.isPending ? (
                <LoadingState label="Loading the queue" />
              ) : summary.isError && !summary.data ? (
                <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
              ) : (
                <QueueTiles workflows={workflows} now={now} />
              )}
            </section>
            <section aria-labelledby="queue-workload-heading">
              <Title order={2} size="h4" id="queue-workload-heading" mb={4}>
                Reviewer workload
              </Title>
              <Text size="sm" c="dimmed" mb="sm">
                Assigned today counts tasks created today (UTC) and assigned automatically or by hand, against the reviewer&apos;s
                daily capacity.
              </Text>
              <WorkloadTable
                reviewers={reviewers.data?.items}
                isPending={reviewers.isPending}
                isFetching={reviewers.isPlaceholderData}
                error={reviewers.error}
                onRetry={() => void reviewers.refetch()}
                showVendor={seesAllVendors}
                onEditCapacity={canManage ? setCapacityFor : undefined}
              />
            </section>
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="overdue">
          <ListTable
            caption="Overdue tasks"
            columns={overdueColumns({ showVendor: seesAllVendors, now, labelInfo, onReassign: canManage ? setReassigning : undefined })}
            rows={overdue.data?.items}
            rowKey={(t) => t.id}
            isPending={overdue.isPending}
            isFetching={overdue.isPlaceholderData}
            error={overdue.error}
            onRetry={() => void overdue.refetch()}
            minWidth={980}
            empty={<EmptyMessage title="Nothing is overdue" description="Every open task is still within its turnaround time." />}
            footer={<ListPagination total={overdue.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="overdue tasks" />}
          />
        </Tabs.Panel>

        <Tabs.Panel value="settings">
          <Text size="sm" c="dimmed" mb="sm">
            Per workflow: the turnaround target that sets due times, how long a claim holds a task, and who may review vendor work.
            {canManage && !seesAllVendors ? ' They apply to every vendor, so changing them needs a user whose scope is all vendors.' : ''}
          </Text>
          <ListTable
            caption="QA settings per workflow"
            columns={settingsColumns}
            rows={settings.data?.items}
            rowKey={(s) => s.workflowId}
            isPending={settings.isPending}
            error={settings.error}
            onRetry={() => void settings.refetch()}
            empty={<EmptyMessage title="No workflows" />}
          />
        </Tabs.Panel>
      </Tabs>

      <ReassignModal task={reassigning} onClose={() => setReassigning(null)} />
      <CapacityModal reviewer={capacityFor} onClose={() => setCapacityFor(null)} />
      <SettingsModal settings={settingsFor} onClose={() => setSettingsFor(null)} />
    </>
  );
}

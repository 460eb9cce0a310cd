import { Link } from 'react-router-dom';
import { Anchor, Badge, Text } from '@mantine/core';
import { useOpsCohorts, type CohortSummary } from '../../../api/training-operations';
import { ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyMessage } from '../../../components/States';
import { formatDate, formatDateTime } from '../../../lib/format';

/** Cohorts to run: trainers, sessions held, the next session, and whether a nesting phase is set. */
export function OpsCohortsPage() {
  const cohorts = useOpsCohorts();
  const columns: Column<CohortSummary>[] = [
    { key: 'name', header: 'Cohort', render: (c) => <Anchor component={Link} to={`/training/operations/cohorts/${c.id}`} size="sm">{c.name}</Anchor> },
    { key: 'where', header: 'Vendor / site', render: (c) => `${c.vendorName ?? '—'} / ${c.siteName ?? '—'}` },
    { key: 'workflow', header: 'Workflow', render: (c) => c.workflowName },
    { key: 'start', header: 'Starts', nowrap: true, render: (c) => formatDate(c.startDate) },
    { key: 'members', header: 'Members', numeric: true, render: (c) => c.members },
    { key: 'trainers', header: 'Trainers', render: (c) => (c.trainerNames.length ? c.trainerNames.join(', ') : <Text size="sm" c="dimmed">None yet</Text>) },
    { key: 'sessions', header: 'Sessions held', numeric: true, render: (c) => `${c.sessionsCompleted} of ${c.sessions}` },
    { key: 'next', header: 'Next session', nowrap: true, render: (c) => (c.nextSessionAt ? formatDateTime(c.nextSessionAt) : '—') },
    { key: 'nesting', header: 'Nesting', render: (c) => (c.hasNesting ? <Badge variant="light">Targets set</Badge> : <Text size="sm" c="dimmed">—</Text>) },
    { key: 'status', header: 'Status', render: (c) => c.status },
  ];
  return (
    <>
      <PageHeader title="Cohorts" description="Run the cohorts in your scope: schedule sessions, take attendance, follow nesting against its QA targets and record graduation." />
      <ListTable
        caption="Cohorts"
        columns={columns}
        rows={cohorts.data?.items}
        rowKey={(c) => c.id}
        isPending={cohorts.isPending}
        isFetching={cohorts.isFetching}
        error={cohorts.error}
        onRetry={() => void cohorts.refetch()}
        empty={<EmptyMessage title="No cohorts" description="Cohorts are created under Training; they appear here to run." />}
      />
    </>
  );
}

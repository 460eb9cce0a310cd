import { Link } from 'react-router-dom';
import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconChartLine, IconFileImport, IconPlus } from '@tabler/icons-react';
import { useCalibrationSessions, useMyCalibrations, type CalibrationSession, type MyCalibration } from '../../api/calibration';
import { useCan } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage } from '../../components/States';
import { formatDate } from '../../lib/format';
import { useUrlFilters } from '../../lib/useUrlFilters';
import { dueText, StatusBadge } from './calibrationParts';

const FILTERS = ['status'] as const;

/** The lead's list: every session they manage, open first, with due date and responses. */
export function CalibrationSessionsPage() {
  const { filters, setFilter, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const status = filters.status === 'open' || filters.status === 'closed' ? filters.status : undefined;
  const sessions = useCalibrationSessions({ status, offset });
  const columns: Column<CalibrationSession>[] = [
    {
      key: 'title',
      header: 'Session',
      render: (s) => (
        <Anchor component={Link} to={s.status === 'closed' ? `/calibration/${s.id}/results` : `/calibration/${s.id}`} size="sm">
          {s.title}
        </Anchor>
      ),
    },
    { key: 'workflow', header: 'Workflow', render: (s) => (s.kind === 'imported' ? `Imported (${s.ratingField ?? 'label'})` : (s.workflowName ?? '—')) },
    { key: 'owner', header: 'Owner', render: (s) => s.vendorName ?? 'Whole organisation' },
    { key: 'status', header: 'Status', nowrap: true, render: (s) => <StatusBadge session={s} /> },
    { key: 'due', header: 'Due', nowrap: true, render: (s) => (s.status === 'closed' ? `Closed ${formatDate(s.closedAt)}` : dueText(s)) },
    { key: 'items', header: 'Items', numeric: true, render: (s) => s.items },
    { key: 'responses', header: 'Responses', numeric: true, nowrap: true, render: (s) => `${s.submitted} / ${s.participants}` },
  ];
  return (
    <>
      <PageHeader
        title="Calibration"
        description="Several people score the same items blind; on close, everyone sees the expert answer, each other's answers and how far they agree (Krippendorff's alpha and Gwet's AC1 with intervals)."
        actions={
          <Group gap="xs">
            <Button component={Link} to="/calibration/trends" variant="default" leftSection={<IconChartLine size={16} aria-hidden="true" />}>
              Trends
            </Button>
            <Button component={Link} to="/calibration/import" variant="default" leftSection={<IconFileImport size={16} aria-hidden="true" />}>
              Import ratings
            </Button>
            <Button component={Link} to="/calibration/new" leftSection={<IconPlus size={16} aria-hidden="true" />}>
              New session
            </Button>
          </Group>
        }
      />
      <Stack gap="md">
        <SegmentedControl
          aria-label="Which sessions"
          data={[
            { value: '', label: 'All' },
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Revealed' },
          ]}
          value={filters.status}
          onChange={(value) => setFilter('status', value || null)}
          w="fit-content"
        />
        <ListTable
          caption="Calibration sessions"
          columns={columns}
          rows={sessions.data?.items}
          rowKey={(s) => s.id}
          isPending={sessions.isPending}
          isFetching={sessions.isFetching}
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          empty={<EmptyMessage title="No calibration sessions yet" description="Create one from reviewed decisions, the gold set or a CSV of items." />}
          footer={sessions.data && <ListPagination total={sessions.data.total} offset={offset} limit={limit} onOffsetChange={setOffset} />}
        />
      </Stack>
    </>
  );
}

/** "My calibrations": the sessions one is invited to, with one's own progress. */
export function MyCalibrationsPage() {
  const can = useCan();
  const mine = useMyCalibrations();
  const columns: Column<MyCalibration>[] = [
    {
      key: 'title',
      header: 'Session',
      render: (s) => (
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={s.status === 'closed' ? `/calibration/${s.id}/results` : s.setsExpert ? `/calibration/${s.id}/expert` : `/calibration/${s.id}/take`} size="sm">
            {s.title}
          </Anchor>
          {s.setsExpert && (
            <Badge size="xs" variant="light" color="violet">
              Expert
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'workflow', header: 'Workflow', render: (s) => s.workflowName ?? '—' },
    { key: 'status', header: 'Status', nowrap: true, render: (s) => <StatusBadge session={s} /> },
    { key: 'due', header: 'Due', nowrap: true, render: (s) => dueText(s) },
    {
      key: 'progress',
      header: 'My progress',
      nowrap: true,
      render: (s) =>
        s.setsExpert ? (
          // The delegated SME gives the reference answers rather than rating.
          s.status === 'open' ? (
            <Button component={Link} to={`/calibration/${s.id}/expert`} size="xs" variant="light" color="violet">
              Set expert answers
            </Button>
          ) : (
            <Text size="sm">Gave the expert answers</Text>
          )
        ) : s.submittedAt ? (
          <Text size="sm">Submitted {formatDate(s.submittedAt)}</Text>
        ) : (
          <Text size="sm">
            {s.ratedItems} of {s.items} scored
          </Text>
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title="My calibrations"
        description="Score each item on your own: nobody sees your answers, and you see nobody else's, until the session is closed and the results are revealed."
        actions={
          can('calibration.run') ? (
            <Button component={Link} to="/calibration" variant="default">
              Sessions I run
            </Button>
          ) : undefined
        }
      />
      <ListTable
        caption="My calibration sessions"
        columns={columns}
        rows={mine.data?.items}
        rowKey={(s) => s.id}
        isPending={mine.isPending}
        error={mine.error}
        onRetry={() => void mine.refetch()}
        empty={<EmptyMessage title="No calibrations for you" description="When a QA lead invites you to a calibration session it appears here." />}
      />
    </>
  );
}

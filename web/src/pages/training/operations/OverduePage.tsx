import { useState } from 'react';
import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useOverdue, useOverdueList, type OverdueEnrolment, type OverdueSummary } from '../../../api/training-operations';
import { ListPagination } from '../../../components/ListPagination';
import { ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyMessage } from '../../../components/States';
import { formatDate, formatDateTime } from '../../../lib/format';
import { IntervalText } from './opsParts';

type Group = OverdueSummary['groups'][number];

/** Overdue training per vendor or site, with the overdue rate's interval, and the list to chase. */
export function OverduePage() {
  const [by, setBy] = useState<'vendor' | 'site'>('vendor');
  const [offset, setOffset] = useState(0);
  const summary = useOverdue(by);
  const list = useOverdueList({ limit: 50, offset });
  const groupColumns: Column<Group>[] = [
    { key: 'name', header: by === 'vendor' ? 'Vendor' : 'Site', render: (g) => (by === 'site' ? `${g.groupName ?? '—'} (${g.vendorName ?? '—'})` : g.groupName ?? '—') },
    { key: 'due', header: 'Come due', numeric: true, render: (g) => g.comeDue },
    { key: 'overdue', header: 'Overdue', numeric: true, render: (g) => g.overdue },
    { key: 'rate', header: 'Overdue rate (95% CI)', render: (g) => <IntervalText interval={g.overdueRate} /> },
    { key: 'late', header: 'Completed late', numeric: true, render: (g) => g.completedLate },
    { key: 'open', header: 'Open, not yet due', numeric: true, render: (g) => g.openNotDue },
  ];
  const listColumns: Column<OverdueEnrolment>[] = [
    { key: 'person', header: 'Person', render: (e) => e.fullName },
    { key: 'where', header: 'Vendor / site', render: (e) => `${e.vendorName ?? '—'} / ${e.siteName ?? '—'}` },
    { key: 'course', header: 'Course', render: (e) => e.courseTitle },
    { key: 'due', header: 'Due', nowrap: true, render: (e) => formatDateTime(e.dueAt) },
    { key: 'days', header: 'Days overdue', numeric: true, render: (e) => e.daysOverdue },
    { key: 'reminder', header: 'Last reminder', nowrap: true, render: (e) => (e.lastReminderOn ? formatDate(e.lastReminderOn) : '—') },
  ];
  return (
    <>
      <PageHeader title="Overdue training" description="Of the enrolments whose due date has passed, the share not complete, per vendor or site (95% Wilson intervals), and who to chase. Reminder emails go out daily." />
      <Stack gap="md">
        <SegmentedControl aria-label="Group by" value={by} onChange={(v) => setBy(v as 'vendor' | 'site')} data={[{ value: 'vendor', label: 'By vendor' }, { value: 'site', label: 'By site' }]} w="fit-content" />
        {summary.data && <Text size="sm">Overall: <IntervalText interval={summary.data.overall.overdueRate} /></Text>}
        <ListTable caption="Overdue by group" columns={groupColumns} rows={summary.data?.groups} rowKey={(g) => g.groupId} isPending={summary.isPending} isFetching={summary.isFetching} error={summary.error} empty={<EmptyMessage title="No training has come due" />} />
        <ListTable
          caption="Overdue enrolments"
          columns={listColumns}
          rows={list.data?.items}
          rowKey={(e) => e.enrolmentId}
          isPending={list.isPending}
          isFetching={list.isFetching}
          error={list.error}
          empty={<EmptyMessage title="Nothing overdue" />}
          footer={<ListPagination total={list.data?.total} limit={50} offset={offset} onOffsetChange={setOffset} noun="enrolments" />}
        />
      </Stack>
    </>
  );
}

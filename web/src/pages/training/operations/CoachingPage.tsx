import { Link } from 'react-router-dom';
import { Anchor, Badge, Button, Stack, Text } from '@mantine/core';
import { useCoachingList, useFollowUps, type CoachingSummary } from '../../../api/training-operations';
import { ERROR_TYPE_LABELS } from '../../../api/review';
import { useCan } from '../../../auth/session';
import { ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyMessage } from '../../../components/States';
import { formatDate, humanize } from '../../../lib/format';
import { Section, todayIso } from './opsParts';

const errorLabel = (key: string) => (ERROR_TYPE_LABELS as Record<string, string>)[key] ?? humanize(key);

function columns(mine: boolean): Column<CoachingSummary>[] {
  return [
    { key: 'date', header: 'Held on', nowrap: true, render: (c) => <Anchor component={Link} to={`/training/operations/coaching/${c.id}`} size="sm">{formatDate(c.heldOn)}</Anchor> },
    ...(mine ? [] : [{ key: 'person', header: 'Person', render: (c: CoachingSummary) => c.personName ?? '—' }]),
    { key: 'coach', header: 'Coach', render: (c) => c.coachName ?? '—' },
    { key: 'topic', header: 'Topic', render: (c) => c.topic },
    { key: 'errors', header: 'Errors discussed', render: (c) => (c.errorTypes.length ? c.errorTypes.map(errorLabel).join(', ') : '—') },
    { key: 'reviews', header: 'Reviews', numeric: true, render: (c) => c.reviewCount },
    {
      key: 'actions', header: 'Open actions', render: (c) =>
        c.actionsOverdue > 0 ? <Badge color="red">{c.actionsOpen} open, {c.actionsOverdue} overdue</Badge> : c.actionsOpen > 0 ? <Badge variant="light">{c.actionsOpen} open</Badge> : <Text size="sm" c="dimmed">None</Text>,
    },
    { key: 'ack', header: 'Acknowledged', render: (c) => (c.acknowledgedAt ? formatDate(c.acknowledgedAt) : <Text size="sm" c="dimmed">Not yet</Text>) },
  ];
}

/** Coaching sessions in scope, and the follow-ups due. */
export function CoachingPage() {
  const can = useCan();
  const list = useCoachingList({ limit: 200 });
  const followUps = useFollowUps(todayIso());
  return (
    <>
      <PageHeader
        title="Coaching"
        description="One-to-one coaching linked to the reviews and errors it was about, with the actions agreed and their follow-ups."
        actions={can('training.write') && <Button component={Link} to="/training/operations/coaching/new">Record a session</Button>}
      />
      <Stack gap="md">
        <Section title="Follow-ups due">
          {followUps.data && followUps.data.items.length === 0 && <Text size="sm" c="dimmed">Nothing due today.</Text>}
          {followUps.data?.items.map((a) => (
            <Text key={a.id} size="sm">
              <Anchor component={Link} to={`/training/operations/coaching/${a.sessionId}`}>{formatDate(a.followUpOn)}</Anchor> · {a.personName ?? '—'}: {a.description} (owner {a.ownerName ?? '—'})
              {a.overdue && <Badge ml="xs" color="red" size="sm">Overdue</Badge>}
            </Text>
          ))}
        </Section>
        <ListTable
          caption="Coaching sessions"
          columns={columns(false)}
          rows={list.data?.items}
          rowKey={(c) => c.id}
          isPending={list.isPending}
          isFetching={list.isFetching}
          error={list.error}
          onRetry={() => void list.refetch()}
          empty={<EmptyMessage title="No coaching yet" description="Record a session after a one-to-one." />}
        />
      </Stack>
    </>
  );
}

/** The caller's own coaching. */
export function MyCoachingPage() {
  const list = useCoachingList({}, true);
  return (
    <>
      <PageHeader title="My coaching" description="The coaching sessions you had, what was agreed and when it is followed up. Open one to acknowledge it." />
      <ListTable
        caption="My coaching sessions"
        columns={columns(true)}
        rows={list.data?.items}
        rowKey={(c) => c.id}
        isPending={list.isPending}
        isFetching={list.isFetching}
        error={list.error}
        onRetry={() => void list.refetch()}
        empty={<EmptyMessage title="No coaching sessions" />}
      />
    </>
  );
}

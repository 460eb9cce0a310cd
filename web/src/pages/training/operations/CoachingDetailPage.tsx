import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { errorMessage, isNotFound } from '../../../api/client';
import { ERROR_TYPE_LABELS } from '../../../api/review';
import { useAcknowledgeCoaching, useCoaching, useFollowUpAction, type CoachingAction } from '../../../api/training-operations';
import { useCan } from '../../../auth/session';
import { DetailList } from '../../../components/DetailList';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { formatDate, formatDateTime, humanize } from '../../../lib/format';
import { Section } from './opsParts';

const STATUS_COLOR: Record<string, string> = { open: 'blue', done: 'green', not_done: 'red', cancelled: 'gray' };

/** One coaching session: what was discussed, the reviews, the actions and their follow-ups. */
export function CoachingDetailPage() {
  const { coachingId } = useParams();
  const coaching = useCoaching(coachingId);
  const acknowledge = useAcknowledgeCoaching(coachingId ?? '');
  if (coaching.isPending) return <LoadingState label="Loading the coaching session" />;
  if (isNotFound(coaching.error)) return <NotFoundState what="coaching session" backTo="/training/operations/coaching" backLabel="Back to coaching" />;
  if (coaching.error) return <ErrorState error={coaching.error} onRetry={() => void coaching.refetch()} />;
  const c = coaching.data;
  return (
    <>
      <PageHeader
        title={c.topic}
        eyebrow="Coaching session"
        crumbs={[{ label: 'Coaching', to: '/training/operations/coaching' }]}
        badges={c.acknowledgedAt ? <Badge color="green" variant="light">Acknowledged</Badge> : <Badge variant="outline">Not acknowledged</Badge>}
        actions={c.canAcknowledge && <Button loading={acknowledge.isPending} onClick={() => acknowledge.mutate()}>Acknowledge</Button>}
      />
      <Stack gap="md">
        <Section title="Session">
          <DetailList
            items={[
              { label: 'Person coached', value: c.personName ?? '—' },
              { label: 'Coach', value: c.coachName ?? '—' },
              { label: 'Held on', value: formatDate(c.heldOn) },
              { label: 'Errors discussed', value: c.errorTypes.map((t) => (ERROR_TYPE_LABELS as Record<string, string>)[t] ?? humanize(t)).join(', ') || '—' },
              { label: 'Root causes', value: c.rootCauses.map(humanize).join(', ') || '—' },
              { label: 'Recorded by', value: `${c.createdBy}, ${formatDateTime(c.createdAt)}` },
            ]}
          />
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{c.notes || 'No notes.'}</Text>
        </Section>
        <Section title="Reviews discussed">
          {c.reviews.length === 0 && <Text size="sm" c="dimmed">No reviews linked.</Text>}
          {c.reviews.map((r) => (
            <Text key={r.id} size="sm">
              <Anchor component={Link} to={`/reviews/${r.id}`}>{formatDateTime(r.submittedAt)}</Anchor> · score {r.score}{r.criticalFailed ? ' · critical' : ''} · {r.errorTypes.map((t) => (ERROR_TYPE_LABELS as Record<string, string>)[t] ?? humanize(t)).join(', ') || 'incorrect'}
            </Text>
          ))}
        </Section>
        <Section title="Agreed actions">
          {c.actions.length === 0 && <Text size="sm" c="dimmed">No actions agreed.</Text>}
          {c.actions.map((a) => <ActionRow key={a.id} action={a} />)}
        </Section>
      </Stack>
    </>
  );
}

function ActionRow({ action }: { action: CoachingAction }) {
  const can = useCan();
  const followUp = useFollowUpAction();
  const [note, setNote] = useState('');
  return (
    <Stack gap={4} pb="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
      <Group gap="sm">
        <Text size="sm" fw={500}>{action.description}</Text>
        <Badge color={STATUS_COLOR[action.status]} variant="light">{humanize(action.status)}</Badge>
        {action.overdue && <Badge color="red">Overdue</Badge>}
      </Group>
      <Text size="xs" c="dimmed">Owner {action.ownerName ?? '—'} · follow up on {formatDate(action.followUpOn)}{action.followedUpAt ? ` · followed up by ${action.followedUpBy} ${formatDateTime(action.followedUpAt)}` : ''}</Text>
      {action.followUpNote && <Text size="sm">{action.followUpNote}</Text>}
      {can('training.write') && action.status === 'open' && (
        <Group gap="xs" align="flex-end">
          <TextInput size="xs" aria-label={`Follow-up note on: ${action.description}`} placeholder="Follow-up note" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={320} />
          <Button size="compact-sm" onClick={() => followUp.mutate({ id: action.id, status: 'done', note: note || undefined })}>Done</Button>
          <Button size="compact-sm" variant="default" onClick={() => followUp.mutate({ id: action.id, status: 'not_done', note })}>Not done</Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => followUp.mutate({ id: action.id, status: 'cancelled', note: note || undefined })}>Cancel</Button>
        </Group>
      )}
      {followUp.error && <Alert color="red" role="alert">{errorMessage(followUp.error)}</Alert>}
    </Stack>
  );
}

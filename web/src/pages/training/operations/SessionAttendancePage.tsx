import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { errorMessage, isNotFound } from '../../../api/client';
import { useRecordAttendance, useSessionRoster, useUpdateSession, type AttendanceStatus } from '../../../api/training-operations';
import { useCan } from '../../../auth/session';
import { PageHeader } from '../../../components/PageHeader';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { formatDateTime } from '../../../lib/format';
import { ATTENDANCE_OPTIONS, Section } from './opsParts';

/** Taking attendance for one session: one choice per member, saved together; then completing the session. */
export function SessionAttendancePage() {
  const { sessionId } = useParams();
  const roster = useSessionRoster(sessionId);
  const record = useRecordAttendance(sessionId ?? '');
  const update = useUpdateSession(sessionId ?? '');
  const can = useCan();
  const [marks, setMarks] = useState<Record<string, { status: AttendanceStatus | null; note: string }>>({});
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (roster.data) setMarks(Object.fromEntries(roster.data.roster.map((r) => [r.personId, { status: r.status, note: r.note }])));
  }, [roster.data]);

  if (roster.isPending) return <LoadingState label="Loading the roster" />;
  if (isNotFound(roster.error)) return <NotFoundState what="session" backTo="/training/cohorts" backLabel="Back to cohorts" />;
  if (roster.error) return <ErrorState error={roster.error} onRetry={() => void roster.refetch()} />;
  const { session, cohort } = roster.data;
  const records = Object.entries(marks).filter(([, m]) => m.status !== null).map(([personId, m]) => ({ personId, status: m.status!, note: m.note }));
  const editable = can('training.write') && session.status !== 'cancelled';

  return (
    <>
      <PageHeader
        title={session.topic}
        eyebrow="Session"
        crumbs={[{ label: 'Cohorts', to: '/training/cohorts' }, { label: cohort.name, to: `/training/cohorts/${cohort.id}` }]}
        description={`${formatDateTime(session.startsAt)} to ${formatDateTime(session.endsAt)}${session.location ? ` · ${session.location}` : ''} · trainer: ${session.trainerName ?? '—'}`}
        badges={<Badge variant="light" color={session.status === 'completed' ? 'green' : 'blue'}>{session.status}</Badge>}
      />
      <Section title="Attendance">
        <ScrollRegion label="Attendance" minWidth={640}>
          <Table>
            <Table.Thead><Table.Tr><Table.Th scope="col">Member</Table.Th><Table.Th scope="col">Attendance</Table.Th><Table.Th scope="col">Note</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {roster.data.roster.map((r) => {
                const mark = marks[r.personId] ?? { status: null, note: '' };
                const name = r.fullName ?? 'Outside your scope';
                return (
                  <Table.Tr key={r.personId}>
                    <Table.Td>{name}{r.recordedBy && <Text size="xs" c="dimmed">Recorded by {r.recordedBy}</Text>}</Table.Td>
                    <Table.Td>
                      <SegmentedControl
                        aria-label={`Attendance of ${name}`}
                        size="xs"
                        disabled={!editable}
                        value={mark.status ?? ''}
                        onChange={(value) => setMarks((m) => ({ ...m, [r.personId]: { ...mark, status: value as AttendanceStatus } }))}
                        data={mark.status ? ATTENDANCE_OPTIONS : [{ value: '', label: 'Not taken' }, ...ATTENDANCE_OPTIONS]}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput size="xs" aria-label={`Note on ${name}`} value={mark.note} disabled={!editable} onChange={(e) => { const note = e.currentTarget.value; setMarks((m) => ({ ...m, [r.personId]: { ...mark, note } })); }} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
        {record.error && <Alert color="red" role="alert">{errorMessage(record.error)}</Alert>}
        {update.error && <Alert color="red" role="alert">{errorMessage(update.error)}</Alert>}
        {saved && <Alert color="green" role="status">{saved}</Alert>}
        {editable && (
          <Group>
            <Button disabled={records.length === 0} loading={record.isPending} onClick={() => record.mutate(records, { onSuccess: () => setSaved(`Attendance saved for ${records.length} member${records.length === 1 ? '' : 's'}.`) })}>
              Save attendance
            </Button>
            {session.status === 'scheduled' && (
              <Button variant="default" loading={update.isPending} onClick={() => update.mutate({ status: 'completed' }, { onSuccess: (s) => setSaved(`Session completed; ${s.surveyInvitations} reaction survey invitation${s.surveyInvitations === 1 ? '' : 's'} sent.`) })}>
                Mark session completed
              </Button>
            )}
            {session.status === 'scheduled' && <Button variant="subtle" color="red" onClick={() => update.mutate({ status: 'cancelled' })}>Cancel session</Button>}
          </Group>
        )}
        <Stack gap={0}><Text size="xs" c="dimmed">Completing the session sends the reaction survey to those present or late.</Text></Stack>
      </Section>
    </>
  );
}

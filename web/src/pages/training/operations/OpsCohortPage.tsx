import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Group, NumberInput, SegmentedControl, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { errorMessage, isNotFound } from '../../../api/client';
import {
  useCohortOperations,
  useGraduate,
  useNestingProgress,
  useScheduleSession,
  useSetNesting,
  useSetTrainers,
  type GraduationOutcome,
  type MemberNesting,
} from '../../../api/training-operations';
import { PersonSelect } from '../../../components/EntityPickers';
import { PageHeader } from '../../../components/PageHeader';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { useCan } from '../../../auth/session';
import { formatDate, formatDateTime, localInputToIso } from '../../../lib/format';
import { EstimateText, IntervalText, ReadinessBadge, Section } from './opsParts';

/** One cohort: its schedule and attendance, its members, and nesting progress against the QA targets. */
export function OpsCohortPage() {
  const { cohortId } = useParams();
  const ops = useCohortOperations(cohortId);
  if (ops.isPending) return <LoadingState label="Loading the cohort" />;
  if (isNotFound(ops.error)) return <NotFoundState what="cohort" backTo="/training/cohorts" backLabel="Back to cohorts" />;
  if (ops.error) return <ErrorState error={ops.error} onRetry={() => void ops.refetch()} />;
  const { cohort, trainers, sessions, members, attendance } = ops.data;
  return (
    <>
      <PageHeader
        title={cohort.name}
        eyebrow="Cohort"
        crumbs={[{ label: 'Cohorts', to: '/training/cohorts' }]}
        description={`${cohort.vendorName ?? '—'} · ${cohort.siteName ?? '—'} · ${cohort.workflowName} · starts ${formatDate(cohort.startDate)} · trainers: ${trainers.map((t) => `${t.fullName ?? 'outside your scope'}${t.role === 'lead' ? ' (lead)' : ''}`).join(', ') || 'none yet'}`}
        badges={<Badge variant="light">{cohort.status}</Badge>}
      />
      <Tabs defaultValue="schedule" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="schedule">Schedule</Tabs.Tab>
          <Tabs.Tab value="members">Members and attendance</Tabs.Tab>
          <Tabs.Tab value="nesting">Nesting and graduation</Tabs.Tab>
          <Tabs.Tab value="trainers">Trainers</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="schedule">
          <Stack gap="md">
            <Section title="Sessions">
              {sessions.length === 0 ? (
                <Text size="sm" c="dimmed">No sessions scheduled yet.</Text>
              ) : (
                <ScrollRegion label="Sessions" minWidth={640}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr><Table.Th scope="col">When</Table.Th><Table.Th scope="col">Topic</Table.Th><Table.Th scope="col">Trainer</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Attendance</Table.Th></Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {sessions.map((s) => (
                        <Table.Tr key={s.id}>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.startsAt)}</Table.Td>
                          <Table.Td><Anchor component={Link} to={`/training/operations/sessions/${s.id}`} size="sm">{s.topic}</Anchor></Table.Td>
                          <Table.Td>{s.trainerName ?? '—'}</Table.Td>
                          <Table.Td><Badge variant="light" color={s.status === 'completed' ? 'green' : s.status === 'cancelled' ? 'gray' : 'blue'}>{s.status}</Badge></Table.Td>
                          <Table.Td>{s.counts.present + s.counts.late} present{s.counts.late ? ` (${s.counts.late} late)` : ''}, {s.counts.absent} absent, {s.counts.excused} excused</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollRegion>
              )}
            </Section>
            <ScheduleForm cohortId={cohort.id} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="members">
          <Section title="Members">
            <Text size="sm">Cohort attendance: <IntervalText interval={attendance} /></Text>
            <Text size="xs" c="dimmed">Attended = present or late; excused sessions are left out; 95% Wilson intervals.</Text>
            <ScrollRegion label="Members" minWidth={560}>
              <Table>
                <Table.Thead><Table.Tr><Table.Th scope="col">Member</Table.Th><Table.Th scope="col">Hired</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Attendance</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {members.map((m) => (
                    <Table.Tr key={m.personId}>
                      <Table.Td>{m.fullName ?? 'Outside your scope'}</Table.Td>
                      <Table.Td>{formatDate(m.hireDate)}</Table.Td>
                      <Table.Td>{m.memberStatus}</Table.Td>
                      <Table.Td><IntervalText interval={m.attendance} /></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </Section>
        </Tabs.Panel>
        <Tabs.Panel value="nesting">
          <NestingPanel cohortId={cohort.id} />
        </Tabs.Panel>
        <Tabs.Panel value="trainers">
          <TrainersForm cohortId={cohort.id} current={trainers} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function ScheduleForm({ cohortId }: { cohortId: string }) {
  const can = useCan();
  const schedule = useScheduleSession(cohortId);
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [topic, setTopic] = useState('');
  const [location, setLocation] = useState('');
  const [trainerId, setTrainerId] = useState<string | null>(null);
  if (!can('training.write')) return null;
  return (
    <Section title="Schedule a session">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          schedule.mutate(
            { startsAt: startsAt ? localInputToIso(startsAt) : '', endsAt: endsAt ? localInputToIso(endsAt) : '', topic, location, trainerId },
            { onSuccess: () => { setTopic(''); setStartsAt(''); setEndsAt(''); } },
          );
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput type="datetime-local" label="Starts" value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} required />
            <TextInput type="datetime-local" label="Ends" value={endsAt} onChange={(e) => setEndsAt(e.currentTarget.value)} required />
          </Group>
          <TextInput label="Topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} required maxLength={200} />
          <Group grow align="flex-start">
            <TextInput label="Location" value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
            <PersonSelect label="Trainer" value={trainerId} onChange={setTrainerId} clearable />
          </Group>
          {schedule.error && <Alert color="red" role="alert">{errorMessage(schedule.error)}</Alert>}
          <Group><Button type="submit" loading={schedule.isPending}>Schedule session</Button></Group>
        </Stack>
      </form>
    </Section>
  );
}

function TrainersForm({ cohortId, current }: { cohortId: string; current: Array<{ personId: string; fullName: string | null; role: 'lead' | 'co' }> }) {
  const can = useCan();
  const setTrainers = useSetTrainers(cohortId);
  const [personId, setPersonId] = useState<string | null>(null);
  const [role, setRole] = useState<'lead' | 'co'>('co');
  const list = current.map((t) => ({ personId: t.personId, role: t.role }));
  return (
    <Section title="Trainers">
      {current.length === 0 ? <Text size="sm" c="dimmed">No trainers yet.</Text> : (
        <Stack gap={4}>
          {current.map((t) => (
            <Group key={t.personId} gap="sm">
              <Text size="sm">{t.fullName ?? 'Outside your scope'}</Text>
              <Badge variant="light">{t.role === 'lead' ? 'Lead' : 'Co-trainer'}</Badge>
              {can('training.write') && <Button size="compact-xs" variant="subtle" color="red" onClick={() => setTrainers.mutate(list.filter((x) => x.personId !== t.personId))}>Remove</Button>}
            </Group>
          ))}
        </Stack>
      )}
      {can('training.write') && (
        <Group align="flex-end">
          <PersonSelect label="Add a trainer" value={personId} onChange={setPersonId} w={320} />
          <SegmentedControl aria-label="Trainer role" value={role} onChange={(v) => setRole(v as 'lead' | 'co')} data={[{ value: 'lead', label: 'Lead' }, { value: 'co', label: 'Co-trainer' }]} />
          <Button disabled={!personId} loading={setTrainers.isPending} onClick={() => personId && setTrainers.mutate([...list.filter((x) => x.personId !== personId).map((x) => (role === 'lead' && x.role === 'lead' ? { ...x, role: 'co' as const } : x)), { personId, role }], { onSuccess: () => setPersonId(null) })}>Add</Button>
        </Group>
      )}
      {setTrainers.error && <Alert color="red" role="alert">{errorMessage(setTrainers.error)}</Alert>}
    </Section>
  );
}

function NestingPanel({ cohortId }: { cohortId: string }) {
  const progress = useNestingProgress(cohortId);
  if (progress.isPending) return <LoadingState label="Loading nesting progress" />;
  if (progress.error) return <ErrorState error={progress.error} onRetry={() => void progress.refetch()} />;
  const { settings, members, counts, from, to } = progress.data;
  return (
    <Stack gap="md">
      <TargetsForm cohortId={cohortId} settings={settings} />
      {settings && (
        <Section title="Progress against the targets">
          <Text size="sm">
            {from} to {to}: weighted accuracy and critical error rate of each member as an agent on this workflow, with 95% intervals.{' '}
            <b>{counts.met}</b> met, <b>{counts.notYet}</b> not yet, <b>{counts.crediblyNotMet}</b> credibly not met.
          </Text>
          <ScrollRegion label="Nesting progress" minWidth={900}>
            <Table>
              <Table.Thead>
                <Table.Tr><Table.Th scope="col">Member</Table.Th><Table.Th scope="col">Accuracy</Table.Th><Table.Th scope="col">Critical error rate</Table.Th><Table.Th scope="col">Readiness</Table.Th><Table.Th scope="col">Decision</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.map((m) => <NestingRow key={m.personId} cohortId={cohortId} member={m} />)}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </Section>
      )}
    </Stack>
  );
}

function NestingRow({ cohortId, member }: { cohortId: string; member: MemberNesting }) {
  const can = useCan();
  const graduate = useGraduate(cohortId);
  const [note, setNote] = useState('');
  const decide = (outcome: GraduationOutcome) => graduate.mutate({ personId: member.personId, outcome, note: note || undefined });
  return (
    <Table.Tr>
      <Table.Td>{member.fullName ?? 'Outside your scope'}<Text size="xs" c="dimmed">{member.memberStatus}</Text></Table.Td>
      <Table.Td><EstimateText estimate={member.accuracy} /></Table.Td>
      <Table.Td><EstimateText estimate={member.criticalErrorRate} /></Table.Td>
      <Table.Td>
        <ReadinessBadge status={member.evaluation.status} />
        {member.evaluation.reasons.map((r) => <Text key={r} size="xs" c="dimmed">{r}</Text>)}
      </Table.Td>
      <Table.Td>
        {member.latestDecision && <Text size="sm">{member.latestDecision.outcome} on {formatDate(member.latestDecision.decidedOn)} by {member.latestDecision.decidedBy}</Text>}
        {can('training.manage') && member.memberStatus === 'active' && (
          <Stack gap={4} mt={4}>
            <TextInput size="xs" aria-label={`Note on the decision for ${member.fullName ?? 'this member'}`} placeholder="Note on the decision" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Group gap={4}>
              <Button size="compact-xs" onClick={() => decide('graduated')} loading={graduate.isPending}>Graduate</Button>
              <Button size="compact-xs" variant="default" onClick={() => decide('extended')}>Extend</Button>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => decide('exited')}>Exit</Button>
            </Group>
            {graduate.error && <Text size="xs" c="red" role="alert">{errorMessage(graduate.error)}</Text>}
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function TargetsForm({ cohortId, settings }: { cohortId: string; settings: { startsOn: string; endsOn: string; minReviews: number; accuracyTarget: number; criticalErrorMax: number; evidence: 'estimate' | 'interval' } | null }) {
  const can = useCan();
  const save = useSetNesting(cohortId);
  const [startsOn, setStartsOn] = useState(settings?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(settings?.endsOn ?? '');
  const [minReviews, setMinReviews] = useState<number | string>(settings?.minReviews ?? 50);
  const [accuracy, setAccuracy] = useState<number | string>(settings ? settings.accuracyTarget * 100 : 90);
  const [critical, setCritical] = useState<number | string>(settings ? settings.criticalErrorMax * 100 : 2);
  const [evidence, setEvidence] = useState<'estimate' | 'interval'>(settings?.evidence ?? 'estimate');
  return (
    <Section title="Nesting phase and QA targets">
      {!settings && <Text size="sm" c="dimmed">No nesting phase set for this cohort yet.</Text>}
      <form onSubmit={(e) => { e.preventDefault(); save.mutate({ startsOn, endsOn, minReviews: Number(minReviews), accuracyTarget: Number(accuracy) / 100, criticalErrorMax: Number(critical) / 100, evidence }); }}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput type="date" label="First day" value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} required disabled={!can('training.write')} />
            <TextInput type="date" label="Last day" value={endsOn} onChange={(e) => setEndsOn(e.currentTarget.value)} required disabled={!can('training.write')} />
            <NumberInput label="Minimum reviews" value={minReviews} onChange={setMinReviews} min={1} disabled={!can('training.write')} />
          </Group>
          <Group grow align="flex-start">
            <NumberInput label="Accuracy at least (%)" value={accuracy} onChange={setAccuracy} min={1} max={100} decimalScale={1} disabled={!can('training.write')} />
            <NumberInput label="Critical error rate at most (%)" value={critical} onChange={setCritical} min={0} max={99} decimalScale={2} disabled={!can('training.write')} />
          </Group>
          <div>
            <Text size="sm" fw={500} id="evidence-label">Judge by</Text>
            <SegmentedControl aria-labelledby="evidence-label" value={evidence} onChange={(v) => setEvidence(v as 'estimate' | 'interval')} disabled={!can('training.write')}
              data={[{ value: 'estimate', label: 'The estimate' }, { value: 'interval', label: 'The whole 95% interval' }]} />
          </div>
          {save.error && <Alert color="red" role="alert">{errorMessage(save.error)}</Alert>}
          {can('training.write') && <Group><Button type="submit" loading={save.isPending}>Save targets</Button></Group>}
        </Stack>
      </form>
    </Section>
  );
}

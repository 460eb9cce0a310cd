import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { errorMessage, isNotFound } from '../../../api/client';
import { useAwardTrainerCertification, useRecordObservation, useSaveTrainer, useTrainer, useTrainers, type TrainerDetail, type TrainerSummary } from '../../../api/training-operations';
import { useCan } from '../../../auth/session';
import { PersonSelect, WorkflowSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { formatDate, humanize } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';
import { Section, todayIso } from './opsParts';

const STATE_COLOR: Record<string, string> = { valid: 'green', expiring: 'yellow', expired: 'red', revoked: 'gray' };
const STATE_LABEL: Record<string, string> = { valid: 'Valid', expiring: 'Expires within 30 days', expired: 'Expired', revoked: 'Revoked' };
const CERT_KINDS = [
  { value: 'delivery', label: 'Delivery (runs classroom sessions)' },
  { value: 'coaching', label: 'Coaching (one-to-one)' },
  { value: 'assessment', label: 'Assessment (builds and marks assessments)' },
  { value: 'nesting', label: 'Nesting (supervises the nesting phase)' },
];

/** Trainer profiles in scope. */
export function TrainersPage() {
  const can = useCan();
  const trainers = useTrainers();
  const [personId, setPersonId] = useState<string | null>(null);
  const save = useSaveTrainer(personId ?? '');
  const columns: Column<TrainerSummary>[] = [
    { key: 'name', header: 'Trainer', render: (t) => <Anchor component={Link} to={`/training/operations/trainers/${t.personId}`} size="sm">{t.fullName}</Anchor> },
    { key: 'where', header: 'Vendor / site', render: (t) => `${t.vendorName ?? '—'} / ${t.siteName ?? '—'}` },
    { key: 'spec', header: 'Specialities', render: (t) => t.specialities.join(', ') || '—' },
    { key: 'lang', header: 'Languages', render: (t) => t.languages.join(', ') || '—' },
    { key: 'certs', header: 'Valid certifications', numeric: true, render: (t) => t.certificationsValid },
    { key: 'obs', header: 'Observations', render: (t) => (t.observations ? `${t.observations} (mean ${t.meanObservation?.toFixed(2)} of 5, last ${formatDate(t.lastObservedOn)})` : 'None') },
    { key: 'cohorts', header: 'Cohorts', numeric: true, render: (t) => t.cohorts },
    { key: 'status', header: 'Status', render: (t) => t.status },
  ];
  return (
    <>
      <PageHeader title="Trainers" description="Trainer profiles, train-the-trainer certifications and observed sessions." />
      <Stack gap="md">
        {can('training.manage') && (
          <Group align="flex-end">
            <PersonSelect label="Add a trainer profile for" value={personId} onChange={setPersonId} w={360} />
            <Button disabled={!personId} loading={save.isPending} onClick={() => save.mutate({}, { onSuccess: () => setPersonId(null) })}>Add trainer</Button>
            {save.error && <Text c="red" size="sm" role="alert">{errorMessage(save.error)}</Text>}
          </Group>
        )}
        <ListTable
          caption="Trainers"
          columns={columns}
          rows={trainers.data?.items}
          rowKey={(t) => t.personId}
          isPending={trainers.isPending}
          isFetching={trainers.isFetching}
          error={trainers.error}
          onRetry={() => void trainers.refetch()}
          empty={<EmptyMessage title="No trainer profiles" />}
        />
      </Stack>
    </>
  );
}

/** One trainer: profile, certifications, observations, and a form to record an observation. */
export function TrainerDetailPage() {
  const { personId } = useParams();
  const trainer = useTrainer(personId);
  if (trainer.isPending) return <LoadingState label="Loading the trainer" />;
  if (isNotFound(trainer.error)) return <NotFoundState what="trainer" backTo="/training/operations/trainers" backLabel="Back to trainers" />;
  if (trainer.error) return <ErrorState error={trainer.error} onRetry={() => void trainer.refetch()} />;
  const t = trainer.data;
  return (
    <>
      <PageHeader title={t.fullName} eyebrow="Trainer" crumbs={[{ label: 'Trainers', to: '/training/operations/trainers' }]} description={`${t.vendorName ?? '—'} · ${t.siteName ?? '—'} · ${t.specialities.join(', ') || 'no specialities listed'} · languages: ${t.languages.join(', ') || '—'}`} />
      <Stack gap="md">
        <ProfileForm personId={t.personId} specialities={t.specialities} languages={t.languages} bio={t.bio} />
        <Section title="Train-the-trainer certifications">
          <TrainerCertifications certifications={t.certifications} />
          <AwardCertificationForm personId={t.personId} />
        </Section>
        <Section title="Observations">
          {t.observationRecords.length === 0 && <Text size="sm" c="dimmed">Not observed yet.</Text>}
          {t.observationRecords.length > 0 && (
            <ScrollRegion label="Observations" minWidth={640}>
              <Table>
                <Table.Thead><Table.Tr><Table.Th scope="col">Date</Table.Th><Table.Th scope="col">Observer</Table.Th><Table.Th scope="col">Session</Table.Th><Table.Th scope="col">Scores</Table.Th><Table.Th scope="col">Overall</Table.Th><Table.Th scope="col">Notes</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {t.observationRecords.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td>{formatDate(o.observedOn)}</Table.Td>
                      <Table.Td>{o.observerName ?? '—'}</Table.Td>
                      <Table.Td>{o.sessionTopic ?? '—'}</Table.Td>
                      <Table.Td>{o.scores.map((s) => `${s.label}: ${s.score}`).join('; ')}</Table.Td>
                      <Table.Td>{o.overall.toFixed(2)}</Table.Td>
                      <Table.Td>{[o.strengths && `Strengths: ${o.strengths}`, o.improvements && `To improve: ${o.improvements}`].filter(Boolean).join(' · ') || '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          )}
        </Section>
        <ObservationForm personId={t.personId} rubric={t.rubric} />
      </Stack>
    </>
  );
}

function TrainerCertifications({ certifications }: { certifications: TrainerDetail['certifications'] }) {
  if (certifications.length === 0) return <Text size="sm" c="dimmed">None yet.</Text>;
  return (
    <ScrollRegion label="Train-the-trainer certifications" minWidth={640}>
      <Table aria-label="Train-the-trainer certifications">
        <Table.Thead>
          <Table.Tr><Table.Th scope="col">Certification</Table.Th><Table.Th scope="col">Workflow</Table.Th><Table.Th scope="col">Awarded</Table.Th><Table.Th scope="col">Expires</Table.Th><Table.Th scope="col">State</Table.Th><Table.Th scope="col">Notes</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {certifications.map((c) => (
            <Table.Tr key={c.id} data-state={c.state}>
              <Table.Td>{humanize(c.kind)}</Table.Td>
              <Table.Td>{c.workflowName ?? 'Any workflow'}</Table.Td>
              <Table.Td>{formatDate(c.awardedOn)} <Text span size="xs" c="dimmed">by {c.awardedBy}</Text></Table.Td>
              <Table.Td>{c.expiresOn ? formatDate(c.expiresOn) : 'Does not expire'}</Table.Td>
              <Table.Td><Badge color={STATE_COLOR[c.state] ?? 'gray'} variant={c.state === 'expired' ? 'filled' : 'light'}>{STATE_LABEL[c.state] ?? c.state}</Badge></Table.Td>
              <Table.Td>{c.notes || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

function AwardCertificationForm({ personId }: { personId: string }) {
  const can = useCan();
  const award = useAwardTrainerCertification(personId);
  const form = useForm({ initialValues: { kind: 'delivery' as string | null, workflowId: null as string | null, awardedOn: todayIso(), expiresOn: '', notes: '' } });
  const { formError, handleError, clear } = useServerErrors(form);
  if (!can('training.manage')) return null;
  const submit = form.onSubmit((v) => {
    clear();
    award.mutate(
      { kind: (v.kind ?? 'delivery') as TrainerDetail['certifications'][number]['kind'], workflowId: v.workflowId, awardedOn: v.awardedOn, expiresOn: v.expiresOn || null, notes: v.notes || undefined },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Certification awarded.' });
          form.setValues({ workflowId: null, expiresOn: '', notes: '' });
        },
        onError: handleError,
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="award-certification-heading">
      <Stack gap="sm" mt="sm">
        <Text id="award-certification-heading" fw={500} size="sm">Award a certification</Text>
        <FormErrorAlert error={formError} title="Could not award the certification" />
        <Group grow align="flex-start">
          <Select label="Certification" data={CERT_KINDS} allowDeselect={false} {...form.getInputProps('kind')} />
          <WorkflowSelect label="Workflow" placeholder="Any workflow" clearable {...form.getInputProps('workflowId')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput type="date" label="Awarded on" required {...form.getInputProps('awardedOn')} />
          <TextInput type="date" label="Expires on" description="Leave empty if it does not expire." {...form.getInputProps('expiresOn')} />
        </Group>
        <Textarea label="Notes" description="How it was earned: the assessment passed, the sessions co-delivered." autosize {...form.getInputProps('notes')} />
        <Group><Button type="submit" loading={award.isPending}>Award certification</Button></Group>
      </Stack>
    </form>
  );
}

function ProfileForm({ personId, specialities, languages, bio }: { personId: string; specialities: string[]; languages: string[]; bio: string }) {
  const can = useCan();
  const save = useSaveTrainer(personId);
  const [spec, setSpec] = useState(specialities.join(', '));
  const [lang, setLang] = useState(languages.join(', '));
  const [text, setText] = useState(bio);
  if (!can('training.manage')) return null;
  const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  return (
    <Section title="Profile">
      <Group grow align="flex-start">
        <TextInput label="Specialities" description="Comma separated" value={spec} onChange={(e) => setSpec(e.currentTarget.value)} />
        <TextInput label="Languages" description="Codes, comma separated (en, tl, pt-BR)" value={lang} onChange={(e) => setLang(e.currentTarget.value)} />
      </Group>
      <Textarea label="About" value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} />
      {save.error && <Alert color="red" role="alert">{errorMessage(save.error)}</Alert>}
      <Group><Button loading={save.isPending} onClick={() => save.mutate({ specialities: split(spec), languages: split(lang), bio: text })}>Save profile</Button></Group>
    </Section>
  );
}

function ObservationForm({ personId, rubric }: { personId: string; rubric: Array<{ key: string; label: string }> }) {
  const can = useCan();
  const record = useRecordObservation(personId);
  const [observedOn, setObservedOn] = useState(todayIso());
  const [scores, setScores] = useState<Record<string, number | string>>({});
  const [strengths, setStrengths] = useState('');
  const [improvements, setImprovements] = useState('');
  if (!can('training.write')) return null;
  return (
    <Section title="Record an observation">
      <TextInput type="date" label="Observed on" value={observedOn} onChange={(e) => setObservedOn(e.currentTarget.value)} w={200} />
      <Group grow align="flex-start" wrap="wrap">
        {rubric.map((c) => (
          <NumberInput key={c.key} label={c.label} description="1 (not yet) to 5 (role model)" min={1} max={5} value={scores[c.key] ?? ''} onChange={(v) => setScores((s) => ({ ...s, [c.key]: v }))} miw={200} />
        ))}
      </Group>
      <Textarea label="Strengths" value={strengths} onChange={(e) => setStrengths(e.currentTarget.value)} autosize />
      <Textarea label="To improve" value={improvements} onChange={(e) => setImprovements(e.currentTarget.value)} autosize />
      {record.error && <Alert color="red" role="alert">{errorMessage(record.error)}</Alert>}
      <Group>
        <Button loading={record.isPending} onClick={() => record.mutate({ observedOn, strengths, improvements, scores: Object.entries(scores).filter(([, v]) => v !== '').map(([key, v]) => ({ key, score: Number(v) })) }, { onSuccess: () => setScores({}) })}>
          Save observation
        </Button>
      </Group>
    </Section>
  );
}

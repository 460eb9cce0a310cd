import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ActionIcon, Alert, Button, Checkbox, Group, List, MultiSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../../api/client';
import { ERROR_TYPE_LABELS } from '../../../api/review';
import { useCoachingCandidates, useRecordCoaching } from '../../../api/training-operations';
import { PersonSelect } from '../../../components/EntityPickers';
import { PageHeader } from '../../../components/PageHeader';
import { formatDateTime, humanize } from '../../../lib/format';
import { Section, todayIso } from './opsParts';

interface ActionRow { description: string; ownerId: string | null; followUpOn: string }

const ERROR_OPTIONS = Object.entries(ERROR_TYPE_LABELS as Record<string, string>).map(([value, label]) => ({ value, label }));

/** Recording a coaching session: the person, the reviews and errors discussed, notes, and the actions agreed. */
export function CoachingFormPage() {
  const navigate = useNavigate();
  const record = useRecordCoaching();
  const [personId, setPersonId] = useState<string | null>(null);
  const [heldOn, setHeldOn] = useState(todayIso());
  const [topic, setTopic] = useState('');
  const [notes, setNotes] = useState('');
  const [reviewIds, setReviewIds] = useState<string[]>([]);
  const [errorTypes, setErrorTypes] = useState<string[]>([]);
  const [actions, setActions] = useState<ActionRow[]>([]);
  const candidates = useCoachingCandidates(personId);

  const submit = () => record.mutate(
    {
      personId: personId ?? '', heldOn, topic, notes, reviewIds, errorTypes: errorTypes.length ? errorTypes : undefined,
      actions: actions.map((a) => ({ description: a.description, ownerId: a.ownerId ?? '', followUpOn: a.followUpOn })),
    },
    { onSuccess: (created) => navigate(`/training/operations/coaching/${created.id}`) },
  );

  return (
    <>
      <PageHeader title="Record a coaching session" crumbs={[{ label: 'Coaching', to: '/training/operations/coaching' }]} />
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack gap="md">
          <Section title="Session">
            <Group grow align="flex-start">
              <PersonSelect label="Person coached" value={personId} onChange={(v) => { setPersonId(v); setReviewIds([]); }} required />
              <TextInput type="date" label="Held on" value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} required />
            </Group>
            <TextInput label="Topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} required maxLength={200} />
            <Textarea label="Notes" description="Shared with the person coached." value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={3} />
          </Section>
          <Section title="Reviews and errors discussed">
            {!personId && <Text size="sm" c="dimmed">Choose the person to see their recent reviews with errors.</Text>}
            {personId && candidates.data && candidates.data.items.length === 0 && <Text size="sm" c="dimmed">No reviews with errors for this person.</Text>}
            {candidates.data && candidates.data.items.length > 0 && (
              <Checkbox.Group label="Link reviews" value={reviewIds} onChange={setReviewIds}>
                <Stack gap={4} mt={4}>
                  {candidates.data.items.map((r) => (
                    <Checkbox
                      key={r.id}
                      value={r.id}
                      label={`${formatDateTime(r.submittedAt)} · score ${r.score}${r.criticalFailed ? ' · critical' : ''} · ${r.errorTypes.map((t) => (ERROR_TYPE_LABELS as Record<string, string>)[t] ?? humanize(t)).join(', ') || 'incorrect'}${r.rootCauses.length ? ` (${r.rootCauses.map(humanize).join(', ')})` : ''}`}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            )}
            <MultiSelect label="Error types" description="Left empty: those of the linked reviews." data={ERROR_OPTIONS} value={errorTypes} onChange={setErrorTypes} clearable />
          </Section>
          <Section title="Agreed actions" actions={<Button size="xs" variant="default" onClick={() => setActions((a) => [...a, { description: '', ownerId: personId, followUpOn: '' }])}>Add an action</Button>}>
            {actions.length === 0 && <Text size="sm" c="dimmed">No actions yet.</Text>}
            {actions.map((a, i) => (
              <Group key={i} align="flex-end" wrap="nowrap">
                <TextInput label={`Action ${i + 1}`} value={a.description} onChange={(e) => { const v = e.currentTarget.value; setActions((list) => list.map((x, j) => (j === i ? { ...x, description: v } : x))); }} style={{ flex: 2 }} required />
                <PersonSelect label={`Owner of action ${i + 1}`} value={a.ownerId} onChange={(v) => setActions((list) => list.map((x, j) => (j === i ? { ...x, ownerId: v } : x)))} style={{ flex: 1 }} />
                <TextInput type="date" label={`Follow up on (action ${i + 1})`} value={a.followUpOn} onChange={(e) => { const v = e.currentTarget.value; setActions((list) => list.map((x, j) => (j === i ? { ...x, followUpOn: v } : x))); }} required />
                <ActionIcon variant="subtle" color="red" aria-label={`Remove action ${i + 1}`} onClick={() => setActions((list) => list.filter((_, j) => j !== i))} mb={4}><IconTrash size={16} aria-hidden="true" /></ActionIcon>
              </Group>
            ))}
          </Section>
          {record.error && (
            <Alert color="red" role="alert" title="Could not save">
              {errorMessage(record.error)}
              {isApiError(record.error) && record.error.details.length > 0 && (
                <List size="sm">{record.error.details.map((d) => <List.Item key={d.path + d.message}>{d.path}: {d.message}</List.Item>)}</List>
              )}
            </Alert>
          )}
          <Group><Button type="submit" loading={record.isPending}>Save coaching session</Button></Group>
        </Stack>
      </form>
    </>
  );
}

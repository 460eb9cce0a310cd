import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import { useExpertView, useSetExpert, type ExpertView } from '../../api/calibration';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState } from '../../components/States';
import { CalibrationItemContent, ItemWorkspace, useItemStepper } from './CalibrationItemWorkspace';
import { LabelActionFields, SessionError, dueText, labelNamer, StatusBadge } from './calibrationParts';

type Item = ExpertView['items'][number];

/** One item's expert answer: the content under the viewer's protections, the agent's decision, labels, action and rationale. */
function ItemExpertForm({ view, item, onSaved }: { view: ExpertView; item: Item; onSaved: () => void }) {
  const save = useSetExpert(view.session.id);
  const [labels, setLabels] = useState<string[]>(item.expert?.labels ?? []);
  const [action, setAction] = useState(item.expert?.action ?? '');
  const [note, setNote] = useState(item.expert?.note ?? '');
  const name = labelNamer(view.labelOptions);
  const actionName = new Map(view.actionOptions.map((a) => [a.key, a.name]));
  const open = view.session.status === 'open';
  const details = isApiError(save.error) ? save.error.details : [];

  return (
    <Stack gap="md">
      <CalibrationItemContent sessionId={view.session.id} item={item} />
      <Text size="sm" c="dimmed" data-testid="agent-decision">
        {item.agentDecision
          ? `The agent decided: ${name(item.agentDecision.labels)} · ${actionName.get(item.agentDecision.action) ?? item.agentDecision.action}`
          : 'No agent decision: this item was uploaded or comes from the gold set.'}
      </Text>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="expert-heading">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="expert-heading">
            Expert answer for item {item.position}
          </Title>
          <Badge variant="light" color="violet" leftSection={<IconScale size={12} aria-hidden="true" />}>
            Reference
          </Badge>
        </Group>
        <Stack gap="md">
          <LabelActionFields
            labelOptions={view.labelOptions}
            actionOptions={view.actionOptions}
            labels={labels}
            action={action}
            onLabels={setLabels}
            onAction={setAction}
            disabled={!open}
          />
          <Textarea
            label="Rationale"
            description="Why this is the right answer: participants read it with the results."
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={4000}
            disabled={!open}
          />
          {save.error && (
            <Alert color="red" role="alert">
              {details.length > 0 ? details.map((d) => d.message).join(' ') : errorMessage(save.error)}
            </Alert>
          )}
          {open && (
            <Group>
              <Button onClick={() => save.mutate({ itemId: item.id, labels, action, note }, { onSuccess: onSaved })} loading={save.isPending} disabled={!action}>
                {item.expert ? 'Save the expert answer' : 'Set the expert answer'}
              </Button>
              {save.isSuccess && (
                <Text size="sm" c="teal">
                  Saved
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

/** The delegated policy SME's screen: each item's expert answer, never the participants' ratings before close. */
export function SetExpertAnswersPage() {
  const { sessionId = '' } = useParams();
  const view = useExpertView(sessionId);
  const items = view.data?.items ?? [];
  const { index, setIndex, next } = useItemStepper(items.length);
  const item = items[index];
  if (view.isPending) return <LoadingState label="Loading the expert answers" />;
  if (view.error) {
    if (isApiError(view.error) && view.error.status === 403) {
      return (
        <>
          <PageHeader title="Set expert answers" crumbs={[{ label: 'My calibrations', to: '/calibration/mine' }]} />
          <ErrorState error={view.error} />
        </>
      );
    }
    return <SessionError error={view.error} onRetry={() => void view.refetch()} />;
  }
  const data = view.data;
  const done = items.filter((i) => i.expert !== null).length;
  const closed = data.session.status === 'closed';
  return (
    <>
      <PageHeader
        title={data.session.title}
        eyebrow="Set expert answers"
        crumbs={[{ label: 'My calibrations', to: '/calibration/mine' }]}
        badges={<StatusBadge session={data.session} />}
        description={`The session lead asked you to give the reference answer each participant is compared with${data.session.dueAt ? `, by ${dueText(data.session)}` : ''}. You do not rate the session, and the participants' answers stay sealed until it is closed.`}
        actions={
          closed ? (
            <Button component={Link} to={`/calibration/${sessionId}/results`}>
              See the results
            </Button>
          ) : (
            <Text size="sm" fw={600} data-testid="expert-progress">
              {done} of {items.length} items answered
            </Text>
          )
        }
      />
      <ItemWorkspace items={items.map((it) => ({ id: it.id, position: it.position, done: Boolean(it.expert) }))} index={index} onSelect={setIndex} doneText="has an expert answer">
        {item && <ItemExpertForm key={item.id} view={data} item={item} onSaved={next} />}
      </ItemWorkspace>
    </>
  );
}

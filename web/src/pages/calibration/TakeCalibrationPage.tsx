import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconEyeCheck } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import { useSaveRating, useSubmitCalibration, useTakeView, type TakeItem, type TakeView } from '../../api/calibration';
import type { Answer, Verdict } from '../../api/review';
import { PageHeader } from '../../components/PageHeader';
import { LoadingState } from '../../components/States';
import { ScorecardForm } from '../review/ScorecardForm';
import { allQuestions, answerErrors } from '../review/reviewState';
import { CalibrationItemContent, ItemWorkspace, useItemStepper } from './CalibrationItemWorkspace';
import { LabelActionFields, SessionError, dueText, StatusBadge } from './calibrationParts';

/** Labels and action, picked on one's own (the agent's decision stays hidden until saved). */
function VerdictFields({ view, value, onChange }: { view: TakeView; value: Verdict; onChange: (v: Verdict) => void }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="verdict-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="verdict-heading">
          Your verdict
        </Title>
        <Badge variant="light" color="violet" leftSection={<IconEyeCheck size={12} aria-hidden="true" />}>
          Blind
        </Badge>
      </Group>
      <Stack gap="md">
        <LabelActionFields
          labelOptions={view.labelOptions}
          actionOptions={view.actionOptions}
          labels={value.labels}
          action={value.action}
          onLabels={(labels) => onChange({ ...value, labels })}
          onAction={(action) => onChange({ ...value, action })}
        />
      </Stack>
    </Paper>
  );
}

function ItemScoring({ view, item, onSaved, locked }: { view: TakeView; item: TakeItem; onSaved: () => void; locked: boolean }) {
  const save = useSaveRating(view.session.id);
  const [verdict, setVerdict] = useState<Verdict>({ labels: item.myRating?.labels ?? [], action: item.myRating?.action ?? '' });
  const [answers, setAnswers] = useState<Map<string, Answer>>(new Map((item.myRating?.answers ?? []).map((a) => [a.questionKey, a])));
  const [current, setCurrent] = useState<string | null>(null);
  // Without an agent's decision (uploaded or gold items) the derived "correct label / action" questions do not apply.
  const definition = useMemo(
    () =>
      item.hasAgentDecision
        ? view.scorecard.definition
        : { ...view.scorecard.definition, sections: view.scorecard.definition.sections.map((s) => ({ ...s, questions: s.questions.filter((q) => q.kind !== 'correct_label' && q.kind !== 'correct_action') })).filter((s) => s.questions.length > 0) },
    [item.hasAgentDecision, view.scorecard.definition],
  );
  const questions = allQuestions(definition);
  const answerable = questions.filter((q) => q.kind !== 'correct_label' && q.kind !== 'correct_action');
  const details = isApiError(save.error) ? save.error.details : [];
  const errors = answerErrors(details, questions.map((q) => q.key), [...answers.keys()]);
  const saved = item.myRating !== null;

  function onSave() {
    const list = answerable.map((q) => answers.get(q.key)).filter((a): a is Answer => a !== undefined && a.value !== undefined);
    save.mutate({ itemId: item.id, labels: verdict.labels, action: verdict.action, answers: list }, { onSuccess: onSaved });
  }

  return (
    <Stack gap="md">
      <CalibrationItemContent sessionId={view.session.id} item={item} />
      {locked ? (
        <Alert color="teal" icon={<IconCheck aria-hidden="true" />}>
          Your answers are submitted. The results, with the expert answer and everyone&apos;s answers, appear when the lead closes the session.
        </Alert>
      ) : (
        <>
          <VerdictFields view={view} value={verdict} onChange={setVerdict} />
          <ScorecardForm
            definition={definition}
            answers={answers}
            onAnswer={(key, patch) => setAnswers((m) => new Map(m).set(key, { ...(m.get(key) ?? { questionKey: key, value: '' }), ...patch, questionKey: key } as Answer))}
            verdict={saved ? { labels: item.myRating!.labels, action: item.myRating!.action } : null}
            decision={item.agentDecision}
            current={current}
            onFocusQuestion={setCurrent}
            errors={errors.byQuestion}
          />
          {item.agentDecision && (
            <Text size="sm" c="dimmed" data-testid="agent-decision">
              The agent decided: {item.agentDecision.labels.length === 0 ? 'no violation' : item.agentDecision.labels.join(', ')} · {item.agentDecision.action}
            </Text>
          )}
          {save.error && errors.other.length + (errors.byQuestion.size > 0 ? 0 : 1) > 0 && (
            <Alert color="red" role="alert">
              {errors.other.length > 0 ? errors.other.map((d) => d.message).join(' ') : errorMessage(save.error)}
            </Alert>
          )}
          <Group>
            <Button onClick={onSave} loading={save.isPending} disabled={!verdict.action}>
              {saved ? 'Save changes' : 'Save my answer'}
            </Button>
            {saved && (
              <Text size="sm" c="teal">
                Saved
              </Text>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}

/** The participant's blind scoring screen: one item at a time, their own answers only. */
export function TakeCalibrationPage() {
  const { sessionId = '' } = useParams();
  const view = useTakeView(sessionId);
  const submit = useSubmitCalibration(sessionId);
  const items = view.data?.items ?? [];
  const { index, setIndex, next } = useItemStepper(items.length);
  const item = items[index];
  const ratedCount = useMemo(() => items.filter((i) => i.myRating !== null).length, [items]);
  if (view.isPending) return <LoadingState label="Loading the calibration" />;
  if (view.error) return <SessionError error={view.error} onRetry={() => void view.refetch()} />;
  const data = view.data;
  const submitted = data.participant.submittedAt !== null;
  const closed = data.session.status === 'closed';
  return (
    <>
      <PageHeader
        title={data.session.title}
        eyebrow="Calibration"
        crumbs={[{ label: 'My calibrations', to: '/calibration/mine' }]}
        badges={<StatusBadge session={data.session} />}
        description={`Score every item on your own with the ${data.scorecard.name} scorecard${data.session.dueAt ? `, by ${dueText(data.session)}` : ''}. Nobody sees your answers until the session is closed.`}
        actions={
          closed ? (
            <Button component={Link} to={`/calibration/${sessionId}/results`}>
              See the results
            </Button>
          ) : (
            <Button color="teal" onClick={() => submit.mutate()} loading={submit.isPending} disabled={submitted || ratedCount < items.length}>
              {submitted ? 'Submitted' : `Submit (${ratedCount} of ${items.length} scored)`}
            </Button>
          )
        }
      />
      {submit.error && (
        <Alert color="red" mb="md" role="alert">
          {errorMessage(submit.error)}
        </Alert>
      )}
      <ItemWorkspace items={items.map((it) => ({ id: it.id, position: it.position, done: Boolean(it.myRating) }))} index={index} onSelect={setIndex} doneText="scored">
        {item && <ItemScoring key={item.id} view={data} item={item} locked={submitted || closed} onSaved={next} />}
      </ItemWorkspace>
    </>
  );
}

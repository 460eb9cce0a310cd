import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Radio, Select, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError, isNotFound } from '../../api/client';
import { formatSla, useDispute, useResolveDispute, useWithdrawDispute, type DisputeAnswer, type DisputeDetail, type DisputeOutcome, type DisputeQuestion } from '../../api/disputes';
import { useSession } from '../../auth/session';
import { DetailList } from '../../components/DetailList';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDateTime, humanize } from '../../lib/format';
import { DisputeStatusBadge, formatScore, VerdictText } from '../reviews/reviewFormat';

/** One dispute: what is contested, the review as it stands, and (for the arbiter) the decision. */
export function DisputeResolvePage() {
  const { disputeId } = useParams();
  const dispute = useDispute(disputeId);
  if (dispute.isPending) return <LoadingState label="Loading the dispute" />;
  if (dispute.error) {
    if (isNotFound(dispute.error)) return <NotFoundState what="dispute" backTo="/disputes" backLabel="Back to disputes" />;
    return <ErrorState error={dispute.error} onRetry={() => void dispute.refetch()} />;
  }
  return <DisputeView dispute={dispute.data} />;
}

const DERIVED = new Set(['correct_label', 'correct_action']);

function answerText(q: DisputeQuestion): string {
  if (DERIVED.has(q.kind)) return 'From the verdict';
  if (!q.answer) return '—';
  if (q.kind === 'choice') return q.options.find((o) => o.key === q.answer!.value)?.label ?? String(q.answer.value);
  if (q.kind === 'scale') return `${q.answer.value} of 5`;
  return humanize(String(q.answer.value));
}

function DisputeView({ dispute }: { dispute: DisputeDetail }) {
  const session = useSession();
  const withdraw = useWithdrawDispute(dispute.id);
  const isRaiser = dispute.raisedByUserId === session.user.id;
  return (
    <>
      <PageHeader
        title={`Dispute about ${dispute.agentName ?? 'a review'}`}
        eyebrow="Dispute"
        crumbs={[{ label: 'Disputes', to: '/disputes' }]}
        badges={
          <Group gap="xs">
            <DisputeStatusBadge status={dispute.status} outcome={dispute.outcome} />
            {dispute.status === 'open' && <Badge color={dispute.overdue ? 'red' : 'blue'}>{formatSla(dispute.slaRemainingMs)}</Badge>}
          </Group>
        }
        actions={
          isRaiser && dispute.status === 'open' ? (
            <Button variant="default" loading={withdraw.isPending} onClick={() => withdraw.mutate(undefined, { onSuccess: () => notifications.show({ message: 'Dispute withdrawn.' }) })}>
              Withdraw
            </Button>
          ) : undefined
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            items={[
              { label: 'Raised', value: `${formatDateTime(dispute.createdAt)} by ${dispute.raisedByLabel}` },
              { label: 'Due', value: formatDateTime(dispute.dueAt) },
              { label: 'Arbiter', value: dispute.arbiterName ?? (dispute.arbiterId ? 'Outside your scope' : 'Unassigned') },
              { label: "Agent's decision", value: <VerdictText labels={dispute.review.decision.labels} action={dispute.review.decision.action} /> },
              { label: 'QA verdict', value: <VerdictText labels={dispute.review.qaVerdict.labels} action={dispute.review.qaVerdict.action} /> },
              {
                label: 'Score',
                value: dispute.scoreAfter === null ? formatScore(dispute.scoreBefore) : `${formatScore(dispute.scoreBefore)} before, ${formatScore(dispute.scoreAfter)} after`,
              },
            ]}
          />
          <Title order={2} size="h4" mt="md">
            Reason
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {dispute.reason}
          </Text>
          {dispute.outcomeReason && (
            <>
              <Title order={2} size="h4" mt="md">
                Arbiter's reason
              </Title>
              <Text size="sm">{dispute.outcomeReason}</Text>
            </>
          )}
        </Paper>

        <section aria-labelledby="questions-heading">
          <Title order={2} size="h3" id="questions-heading" mb="sm">
            Questions
          </Title>
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {dispute.questions.map((q) => (
              <Paper key={q.key} withBorder p="sm" radius="md" component="li" bg={q.disputed ? 'var(--mantine-color-yellow-light)' : undefined}>
                <Group justify="space-between" gap="xs">
                  <Text size="sm" fw={600}>
                    {q.text}
                  </Text>
                  <Group gap={4}>
                    {q.critical && <Badge color="red" variant="light">Critical</Badge>}
                    {q.disputed && <Badge color="yellow">Disputed</Badge>}
                  </Group>
                </Group>
                <Text size="sm">Answer: {answerText(q)}</Text>
                {q.answer?.comment && <Text size="sm">Comment: {q.answer.comment}</Text>}
              </Paper>
            ))}
          </Stack>
        </section>

        {dispute.canResolve && <ResolveForm dispute={dispute} />}
      </Stack>
    </>
  );
}

interface FormErrors {
  reason?: string;
  action?: string;
  form?: string;
  details?: string[];
}

function ResolveForm({ dispute }: { dispute: DisputeDetail }) {
  const resolve = useResolveDispute(dispute.id);
  const [outcome, setOutcome] = useState<DisputeOutcome>('upheld');
  const [reason, setReason] = useState('');
  const [labels, setLabels] = useState<string[]>(dispute.review.qaVerdict.labels);
  const [action, setAction] = useState(dispute.review.qaVerdict.action);
  const [answers, setAnswers] = useState<Record<string, DisputeAnswer>>(() => Object.fromEntries(dispute.review.answers.map((a) => [a.questionKey, a])));
  const [errors, setErrors] = useState<FormErrors>({});
  const editable = dispute.questions;
  const corrected = outcome !== 'upheld';

  const setAnswer = (key: string, patch: Partial<DisputeAnswer>) =>
    setAnswers((current) => ({ ...current, [key]: { ...(current[key] ?? { questionKey: key, value: '' }), ...patch, questionKey: key } }));

  const submit = () => {
    const next: FormErrors = {};
    if (reason.trim().length === 0) next.reason = 'Give the reason for the outcome.';
    if (corrected && action.trim().length === 0) next.action = 'Give the correct action.';
    setErrors(next);
    if (next.reason || next.action) return;
    resolve.mutate(
      {
        outcome,
        reason: reason.trim(),
        ...(corrected && {
          verdict: { labels, action: action.trim() },
          // Label and action answers follow from the verdict (the server sets them); only their comments count.
          answers: editable
            .map((q) => answers[q.key])
            .filter((a): a is DisputeAnswer => Boolean(a && (a.value !== '' || a.comment)))
            .map((a) => (a.value === '' ? { ...a, value: 'yes' } : a)),
        }),
      },
      {
        onSuccess: (result) =>
          notifications.show({ color: 'green', message: `Dispute resolved: score ${formatScore(result.scoreBefore)} → ${formatScore(result.scoreAfter)}.` }),
        onError: (error) =>
          setErrors(
            isApiError(error)
              ? { form: error.message, details: error.details.map((d) => `${d.path}: ${d.message}`) }
              : { form: String(error) },
          ),
      },
    );
  };

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="form"
      aria-labelledby="resolve-heading"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id="resolve-heading">
          Decide
        </Title>
        <Text size="sm">Score now: {formatScore(dispute.scoreBefore)}. An overturn rescores the review as a new revision; the original is kept.</Text>
        {errors.form && (
          <Alert color="red" role="alert" title="Could not resolve">
            {errors.form}
            {errors.details?.map((d) => (
              <Text key={d} size="sm">
                {d}
              </Text>
            ))}
          </Alert>
        )}
        <Radio.Group label="Outcome" value={outcome} onChange={(value) => setOutcome(value as DisputeOutcome)} withAsterisk>
          <Stack gap={6} mt={6}>
            <Radio value="upheld" label="Upheld: the finding stands" />
            <Radio value="overturned" label="Overturned: the finding was wrong" />
            <Radio value="partly" label="Partly overturned" />
          </Stack>
        </Radio.Group>
        {corrected && (
          <Paper withBorder p="sm" radius="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Corrected verdict and answers
              </Title>
              <TagsInput label="Policy labels" description="Empty means no violation. Press Enter after each label." value={labels} onChange={setLabels} />
              <TextInput label="Action" value={action} onChange={(event) => setAction(event.currentTarget.value)} error={errors.action} withAsterisk />
              {editable.map((q) => (
                <Group key={q.key} align="flex-end" gap="sm" wrap="wrap">
                  {DERIVED.has(q.kind) ? (
                    <Text size="sm" w={260}>
                      {q.text} <Text span c="dimmed" size="sm">(from the verdict)</Text>
                    </Text>
                  ) : (
                    <Select
                      label={q.text}
                      data={
                        q.kind === 'yes_no'
                          ? [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }, ...(q.allowNotApplicable ? [{ value: 'na', label: 'N/A' }] : [])]
                          : q.kind === 'scale'
                            ? ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }))
                            : q.options.map((o) => ({ value: o.key, label: o.label }))
                      }
                      value={answers[q.key] ? String(answers[q.key]!.value) : null}
                      onChange={(value) => setAnswer(q.key, { value: q.kind === 'scale' && value ? Number(value) : (value ?? '') })}
                      allowDeselect={false}
                      w={260}
                    />
                  )}
                  <TextInput
                    label={`Comment on "${q.text}"`}
                    value={answers[q.key]?.comment ?? ''}
                    onChange={(event) => setAnswer(q.key, { comment: event.currentTarget.value })}
                    w={320}
                  />
                </Group>
              ))}
            </Stack>
          </Paper>
        )}
        <Textarea label="Reason" value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={errors.reason} autosize minRows={2} maxLength={4000} withAsterisk />
        <div>
          <Button type="submit" loading={resolve.isPending}>
            Resolve dispute
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}

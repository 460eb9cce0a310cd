import { useState } from 'react';
import { Alert, Button, Checkbox, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../api/client';
import { useRaiseDispute, type FeedbackState } from '../../api/reviews';
import { formatDateTime } from '../../lib/format';

/** Dispute a review, whole or some questions, with a reason, while the window is open. */
export function DisputeForm({ reviewId, feedback }: { reviewId: string; feedback: FeedbackState }) {
  const raise = useRaiseDispute(reviewId);
  const [scope, setScope] = useState<'whole' | 'questions'>('whole');
  const [keys, setKeys] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ reason?: string; questions?: string; form?: string }>({});

  if (!feedback.disputeWindowOpen) {
    return (
      <Text size="sm" c="dimmed">
        The dispute window closed on {formatDateTime(feedback.disputeWindowEndsAt)}.
      </Text>
    );
  }

  const submit = () => {
    const next: typeof errors = {};
    if (reason.trim().length === 0) next.reason = 'Say why the finding is wrong.';
    if (scope === 'questions' && keys.length === 0) next.questions = 'Pick at least one question, or dispute the whole review.';
    setErrors(next);
    if (next.reason || next.questions) return;
    raise.mutate(
      { reason: reason.trim(), questionKeys: scope === 'whole' ? [] : keys },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Dispute raised: an arbiter will decide it.' });
          setReason('');
          setKeys([]);
        },
        onError: (error) => {
          const reasonIssue = isApiError(error) ? error.details.find((d) => d.path === '/reason') : undefined;
          setErrors(reasonIssue ? { reason: reasonIssue.message } : { form: isApiError(error) ? error.message : String(error) });
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={(event) => { event.preventDefault(); submit(); }} aria-labelledby="dispute-form-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="dispute-form-heading">
          Dispute this review
        </Title>
        <Text size="sm">You can dispute this review until {formatDateTime(feedback.disputeWindowEndsAt)}.</Text>
        {errors.form && (
          <Alert color="red" role="alert" title="Could not raise the dispute">
            {errors.form}
          </Alert>
        )}
        <Radio.Group label="What do you dispute?" value={scope} onChange={(value) => setScope(value as 'whole' | 'questions')}>
          <Stack gap={6} mt={6}>
            <Radio value="whole" label="The whole review" />
            <Radio value="questions" label="Some questions" />
          </Stack>
        </Radio.Group>
        {scope === 'questions' && (
          <Checkbox.Group label="Questions" value={keys} onChange={setKeys} error={errors.questions} withAsterisk>
            <Stack gap={6} mt={6}>
              {feedback.questions.map((q) => (
                <Checkbox key={q.key} value={q.key} label={q.text} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Textarea
          label="Reason"
          description="What QA got wrong, with the policy or context that supports you."
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={errors.reason}
          autosize
          minRows={3}
          maxLength={4000}
          withAsterisk
        />
        <div>
          <Button type="submit" loading={raise.isPending}>
            Raise dispute
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}

import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { IconArrowRight, IconCircleCheck } from '@tabler/icons-react';
import { ERROR_TYPE_LABELS, type SubmittedReview } from '../../api/review';

/** After submission: the score as the server computed it, and the way on to the next task (focus lands on the heading). */
export function SubmittedPanel({ result, onNext, taking, nextMessage }: { result: SubmittedReview; onNext: () => void; taking: boolean; nextMessage: string | null }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="submitted-heading">
      <Stack gap="sm" align="flex-start">
        <Title order={2} size="h3" id="submitted-heading" ref={heading} tabIndex={-1}>
          <IconCircleCheck aria-hidden="true" size={22} style={{ verticalAlign: 'middle' }} /> Review submitted
        </Title>
        <Group gap="sm">
          <Badge size="lg" color={result.passed ? 'teal' : 'red'}>
            Score {result.score.toFixed(2)} · {result.passed ? 'passed' : 'failed'}
          </Badge>
          {result.criticalFailed && <Badge color="red">Critical error</Badge>}
          {(result.errorTypes ?? []).map((e) => (
            <Badge key={e} variant="light" color="orange">
              {ERROR_TYPE_LABELS[e] ?? e}
            </Badge>
          ))}
        </Group>
        {nextMessage && (
          <Alert color="blue" role="status">
            {nextMessage}
          </Alert>
        )}
        <Group>
          <Button onClick={onNext} loading={taking} rightSection={<IconArrowRight size={16} aria-hidden="true" />}>
            Next task
          </Button>
          <Button variant="default" component={Link} to="/qa/tasks">
            Back to my tasks
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

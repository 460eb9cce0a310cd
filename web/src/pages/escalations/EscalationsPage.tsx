import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { errorMessage, isApiError } from '../../api/client';
import { useAnswerEscalation, useEscalations, type Escalation, type EscalationStatus } from '../../api/escalations';
import { useCan } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { formatDateTime } from '../../lib/format';

const LIMIT = 20;

function EscalationCard({ item, canAnswer }: { item: Escalation; canAnswer: boolean }) {
  const answer = useAnswerEscalation();
  const [text, setText] = useState('');
  const headingId = `escalation-${item.id}`;
  const fieldError = isApiError(answer.error) ? answer.error.details.find((d) => d.path === '/answer')?.message : undefined;
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h5" id={headingId}>
              Policy unclear: {item.workflowName}
            </Title>
            <Text size="xs" c="dimmed">
              Raised by {item.raisedByLabel} on {formatDateTime(item.createdAt)}
            </Text>
            <Anchor component={Link} to={`/decisions/${item.decisionId}`} size="xs" underline="always">
              Open the decision
            </Anchor>
          </div>
          <Badge color={item.status === 'open' ? 'orange' : 'teal'}>{item.status}</Badge>
        </Group>
        {item.labels.length > 0 && (
          <Group gap={4}>
            <Text size="sm">Labels in question:</Text>
            {item.labels.map((l) => (
              <Badge key={l} variant="light" color="gray" tt="none">
                {l}
              </Badge>
            ))}
          </Group>
        )}
        <Text size="sm" className="assay-pre">
          {item.note}
        </Text>
        {item.answer ? (
          <Paper bg="gray.0" p="sm" radius="sm">
            <Text size="xs" c="dimmed">
              Answered by {item.answeredByLabel ?? 'a policy expert'}
              {item.answeredAt ? ` on ${formatDateTime(item.answeredAt)}` : ''}
            </Text>
            <Text size="sm" className="assay-pre">
              {item.answer}
            </Text>
          </Paper>
        ) : (
          canAnswer &&
          item.status === 'open' && (
            <Stack gap="xs">
              <Textarea
                label="Your answer"
                description="How the policy applies here; the reviewer and the QA leads see it."
                autosize
                minRows={2}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={fieldError}
              />
              {answer.isError && !fieldError && (
                <Alert color="red" role="alert">
                  {errorMessage(answer.error)}
                </Alert>
              )}
              <Group>
                <Button onClick={() => answer.mutate({ id: item.id, answer: text })} loading={answer.isPending} disabled={text.trim().length === 0}>
                  Send answer
                </Button>
              </Group>
            </Stack>
          )
        )}
      </Stack>
    </Paper>
  );
}

/** /escalations: gray areas reviewers flagged, for a policy SME to answer. */
export function EscalationsPage() {
  const can = useCan();
  const [status, setStatus] = useState<EscalationStatus | 'all'>('open');
  const [offset, setOffset] = useState(0);
  const list = useEscalations({ status: status === 'all' ? undefined : status, limit: LIMIT, offset });
  return (
    <>
      <PageHeader title="Escalations" description='Gray areas QA reviewers flagged as "policy unclear", waiting for a policy expert.' />
      <SegmentedControl
        mb="md"
        aria-label="Status"
        value={status}
        onChange={(v) => {
          setStatus(v as EscalationStatus | 'all');
          setOffset(0);
        }}
        data={[
          { value: 'open', label: 'Open' },
          { value: 'answered', label: 'Answered' },
          { value: 'all', label: 'All' },
        ]}
      />
      {list.isPending ? (
        <LoadingState label="Loading escalations" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyMessage title={status === 'open' ? 'No open escalations' : 'No escalations'} description="Reviewers raise them from the review workspace." />
      ) : (
        <Stack gap="md">
          {list.data.items.map((item) => (
            <EscalationCard key={item.id} item={item} canAnswer={can('escalations.answer')} />
          ))}
          <ListPagination total={list.data.total} limit={LIMIT} offset={offset} onOffsetChange={setOffset} noun="escalations" />
        </Stack>
      )}
    </>
  );
}

import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage, isNotFound } from '../../api/client';
import { useAcknowledgeReview, useReview, useReviewFeedback, type ReviewDetail } from '../../api/reviews';
import { useCan } from '../../auth/session';
import { DetailList } from '../../components/DetailList';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { TableSection } from '../../components/TableSection';
import { formatDateTime, humanize } from '../../lib/format';
import { CommentsPanel } from './CommentsPanel';
import { DisputeForm } from './DisputeForm';
import { DisputeStatusBadge, ErrorTypeBadges, formatScore, PassBadge, VerdictText } from './reviewFormat';

/** One review as its agent (or their QA lead) sees it: answers, history, comments, disputes. */
export function ReviewDetailPage() {
  const { reviewId } = useParams();
  const review = useReview(reviewId);
  const feedback = useReviewFeedback(reviewId);
  if (review.isPending) return <LoadingState label="Loading the review" />;
  if (review.error) {
    if (isNotFound(review.error)) return <NotFoundState what="review" backTo="/reviews" backLabel="Back to reviews" />;
    return <ErrorState error={review.error} onRetry={() => void review.refetch()} />;
  }
  return <ReviewView review={review.data} feedback={feedback.data} />;
}

function ReviewView({ review, feedback }: { review: ReviewDetail; feedback: ReturnType<typeof useReviewFeedback>['data'] }) {
  const can = useCan();
  const acknowledge = useAcknowledgeReview(review.id);
  const [ackError, setAckError] = useState<string | null>(null);
  const isAgent = feedback?.isAgent ?? false;
  const openDispute = review.disputes.find((d) => d.status === 'open');

  return (
    <>
      <PageHeader
        title={`Review of ${formatDateTime(review.submittedAt)}`}
        eyebrow="QA review"
        crumbs={[{ label: 'Reviews', to: '/reviews' }]}
        badges={<PassBadge passed={review.passed} criticalFailed={review.criticalFailed} />}
        actions={
          isAgent && !review.acknowledgedAt ? (
            <Button
              loading={acknowledge.isPending}
              onClick={() =>
                acknowledge.mutate(undefined, {
                  onSuccess: () => notifications.show({ color: 'green', message: 'Review acknowledged.' }),
                  onError: (error) => setAckError(errorMessage(error)),
                })
              }
            >
              Acknowledge
            </Button>
          ) : undefined
        }
      />
      {ackError && (
        <Alert color="red" role="alert" mb="md" title="Could not acknowledge">
          {ackError}
        </Alert>
      )}
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            items={[
              { label: 'Score', value: <Text fw={700} size="lg">{formatScore(review.score)}</Text> },
              { label: 'Error types', value: <ErrorTypeBadges types={review.errorTypes} /> },
              { label: 'Acknowledged', value: review.acknowledgedAt ? formatDateTime(review.acknowledgedAt) : 'Not yet' },
              { label: "Agent's decision", value: <VerdictText labels={review.decision.labels} action={review.decision.action} /> },
              { label: 'QA verdict', value: <VerdictText labels={review.verdict.labels} action={review.verdict.action} /> },
              { label: 'Agent', value: review.agentName ?? '—' },
              { label: 'Workflow', value: review.workflowName },
              { label: 'Reviewer', value: review.reviewerName ?? '—' },
              { label: 'Revision', value: review.revision > 1 ? `${review.revision} (corrected after a dispute)` : '1 (as submitted)' },
            ]}
          />
          <Text size="sm" mt="sm">
            <Anchor component={Link} to={`/decisions/${review.decisionId}`}>
              Open the decision
            </Anchor>
          </Text>
        </Paper>

        <TableSection id="answers-heading" title="Questions and answers" titleSize="h3" columns={['Question', 'Answer', "Reviewer's comment"]} minWidth={560}>
          {review.answers.map((a) => (
            <Table.Tr key={a.questionKey}>
              <Table.Td>
                {a.questionText ?? a.questionKey}
                {a.sectionTitle && (
                  <Text size="xs" c="dimmed">
                    {a.sectionTitle}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{typeof a.value === 'number' ? `${a.value} of 5` : humanize(String(a.value))}</Table.Td>
              <Table.Td>{a.comment || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </TableSection>

        <TableSection
          id="history-heading"
          title="Revision history"
          titleSize="h3"
          description="Every state of the review is kept: a dispute that changes the finding adds a revision, the original stays."
          columns={['Revision', 'Why', 'QA verdict', { label: 'Score', align: 'right' }, 'When']}
          minWidth={560}
        >
          {review.revisions.map((r) => (
            <Table.Tr key={r.revision}>
              <Table.Td>{r.revision}</Table.Td>
              <Table.Td>{r.reason === 'dispute' ? 'Changed by a dispute' : 'Submitted'}</Table.Td>
              <Table.Td>
                <VerdictText labels={r.verdict.labels} action={r.verdict.action} />
              </Table.Td>
              <Table.Td ta="right">{formatScore(r.score)}</Table.Td>
              <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </TableSection>

        <section aria-labelledby="disputes-heading">
          <Title order={2} size="h3" id="disputes-heading" mb="sm">
            Disputes
          </Title>
          <Stack gap="sm">
            {review.disputes.length === 0 && (
              <Text size="sm" c="dimmed">
                No disputes.
              </Text>
            )}
            {review.disputes.map((d) => (
              <Paper key={d.id} withBorder p="sm" radius="md">
                <Group justify="space-between" gap="xs">
                  <Group gap="xs">
                    <DisputeStatusBadge status={d.status} outcome={d.outcome} />
                    <Text size="sm">
                      Raised by {d.raisedByLabel} on {formatDateTime(d.createdAt)}
                      {d.questionKeys.length > 0 ? ` about ${d.questionKeys.join(', ')}` : ' about the whole review'}
                    </Text>
                  </Group>
                  {d.status === 'open' ? (
                    <Text size="sm">Decision due {formatDateTime(d.dueAt)}</Text>
                  ) : d.scoreAfter !== null ? (
                    <Text size="sm">
                      Score {formatScore(d.scoreBefore)} → {formatScore(d.scoreAfter)}
                    </Text>
                  ) : null}
                </Group>
                <Text size="sm" mt="xs">
                  {d.reason}
                </Text>
                {d.outcomeReason && (
                  <Text size="sm" mt="xs">
                    <strong>Arbiter:</strong> {d.outcomeReason}
                  </Text>
                )}
                {can('disputes.arbitrate') && d.status === 'open' && (
                  <Anchor component={Link} to={`/disputes/${d.id}`} size="sm">
                    Open the dispute
                  </Anchor>
                )}
              </Paper>
            ))}
            {can('disputes.raise') && feedback && !openDispute && (
              <DisputeForm reviewId={review.id} feedback={feedback} />
            )}
          </Stack>
        </section>

        <CommentsPanel reviewId={review.id} comments={review.comments} />
      </Stack>
    </>
  );
}
